/**
 * The course's authorized producer and consumer, with two users: alice publishes her temperature
 * in her own area; bob subscribes to his own area and also tries alice's. A broker that checks
 * logins refuses that second subscription (SUBACK 0x80) and bob never reads alice's data. On a
 * broker that does not, the screen shows bob reading it, and says how to start one that checks.
 */
import type { MqttClient } from 'mqtt';
import { PLAYGROUND_ACCOUNTS } from '../../../broker/accounts.js';
import type { Clock, Random } from '../../../sim/clock.js';
import { closeConnection, openConnection, uniqueClientId } from '../../../sim/connection.js';
import { formatTemperature, rawTemperature, topics } from '../../../sim/wire.js';
import type { Feed } from '../feed.js';
import type { DemoStep, PlaygroundAction, PlaygroundState } from './playground-state.js';

export type DemoLogin = { username: string; password: string };

/** What the SUBACK says for a refused subscription (MQTT 3.1.1 section 3.9.3). */
export const SUBACK_FAILURE = 0x80;

export interface AuthorizedDemoOptions {
  url: string;
  /** Whether the broker checks logins (the program's own clients then have a login). */
  brokerChecksLogins: boolean;
  clock: Clock;
  random: Random;
  feed: Feed<PlaygroundState, PlaygroundAction>;
  /** The two users; the accounts `--student` adds when not given. */
  alice?: DemoLogin;
  bob?: DemoLogin;
}

const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class AuthorizedDemo {
  private alice: MqttClient | undefined;
  private bob: MqttClient | undefined;
  /** Whether bob has read anything of alice's, which the "read nothing" line must never hide. */
  private bobRead = false;
  private readonly aliceLogin: DemoLogin;
  private readonly bobLogin: DemoLogin;

  constructor(private readonly options: AuthorizedDemoOptions) {
    this.aliceLogin = options.alice ?? PLAYGROUND_ACCOUNTS[0];
    this.bobLogin = options.bob ?? PLAYGROUND_ACCOUNTS[1];
  }

  /** Logs both users in, has bob subscribe to both areas and alice publish a first reading. */
  async start(): Promise<void> {
    const a = this.aliceLogin.username;
    const b = this.bobLogin.username;
    this.alice = await this.login(this.aliceLogin, 'alice-login');
    this.bob = await this.login(this.bobLogin, 'bob-login');
    const bob = this.bob;
    if (bob) {
      bob.on('message', (topic, payload) => {
        const value = rawTemperature.parse(payload);
        const what = value.ok ? `${formatTemperature(value.value)} °C` : `"${payload.toString('utf8').slice(0, 20)}"`;
        if (topic.startsWith(`/iot/user/${a}/`)) {
          this.bobRead = true;
          const hint = this.options.brokerChecksLogins ? '' : ': this broker does not check logins';
          this.step({ id: 'bob-read', text: `${b} READ ${a}'s ${what} on ${topic}${hint}`, tone: 'bad' });
        } else {
          this.step({ id: 'bob-own', text: `${b} got his own ${what}`, tone: 'good' });
        }
      });
      await this.subscribe(bob, topics.userArea(b), 'bob-sub-own', `${b} subscribes to his own ${topics.userArea(b)}`);
      await this.subscribe(bob, topics.userArea(a), 'bob-sub-other', `${b} tries ${a}'s ${topics.userArea(a)}`);
      if (!this.bobRead) this.step({ id: 'bob-read', text: `${b} has read nothing of ${a}'s`, tone: 'good' });
    }
    await this.publish();
  }

  /** Alice publishes a new reading in her own area. */
  async publish(): Promise<void> {
    const alice = this.alice;
    if (!alice?.connected) return;
    const a = this.aliceLogin.username;
    const value = 20 + this.options.random() * 20;
    const topic = topics.userTemperature(a);
    try {
      await alice.publishAsync(topic, rawTemperature.encode(value), { qos: 1 });
      this.step({ id: 'alice-pub', text: `${a} published ${formatTemperature(Math.round(value * 100) / 100)} °C to ${topic}`, tone: 'good' });
    } catch (error) {
      this.step({ id: 'alice-pub', text: `${a} could not publish: ${reason(error)}`, tone: 'bad' });
    }
  }

  async stop(): Promise<void> {
    await closeConnection(this.alice);
    await closeConnection(this.bob);
    this.alice = this.bob = undefined;
  }

  private async login(login: DemoLogin, id: string): Promise<MqttClient | undefined> {
    try {
      const client = await openConnection(this.options.url, uniqueClientId(`playground-${login.username}`), login);
      this.step({ id, text: `${login.username} logged in`, tone: 'good' });
      return client;
    } catch (error) {
      const why = reason(error);
      const refused = /user ?name|password|not authori[sz]ed/i.test(why);
      this.step({
        id,
        text: refused
          ? `${login.username}'s login was refused: start with --student, which adds ${login.username} / ${login.password} for the run`
          : `${login.username} could not connect: ${why}`,
        tone: 'warn',
      });
      return undefined;
    }
  }

  private async subscribe(client: MqttClient, filter: string, id: string, what: string): Promise<void> {
    try {
      const [grant] = await client.subscribeAsync(filter, { qos: 0 });
      if (grant && grant.qos === SUBACK_FAILURE) {
        this.step({ id, text: `${what}: refused by the broker (SUBACK 0x80)`, tone: 'good' });
      } else if (id === 'bob-sub-other') {
        const why = this.options.brokerChecksLogins ? 'the broker let it through' : 'granted: this broker does not check logins, start with --student to see it refused';
        this.step({ id, text: `${what}: ${why}`, tone: 'warn' });
      } else {
        this.step({ id, text: `${what}: granted (QoS ${grant?.qos ?? 0})`, tone: 'good' });
      }
    } catch (error) {
      this.step({ id, text: `${what}: ${reason(error)}`, tone: 'bad' });
    }
  }

  private step(step: DemoStep): void {
    this.options.feed.dispatch({ type: 'demo-step', step });
  }
}
