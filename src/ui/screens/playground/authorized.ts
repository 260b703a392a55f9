/**
 * The course's authorized producer and consumer, with two users: alice publishes her temperature
 * in her own area; bob subscribes to his own area and also tries alice's. A broker that checks
 * logins refuses that second subscription (SUBACK 0x80) and bob never reads alice's data. On a
 * broker that does not, the screen shows bob reading it, and says how to start one that checks.
 */
import type { MqttClient } from 'mqtt';
import type { Clock, Random } from '../../../sim/clock.js';
import { closeConnection, openConnection, uniqueClientId } from '../../../sim/connection.js';
import { PLAYGROUND_ACCOUNTS, topicMatches } from '../../../wire/index.js';
import { formatTemperature, rawTemperature, topics } from '../../../wire/index.js';
import type { Feed } from '../../feed.js';
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

  /** Logs both users in and has bob subscribe to both areas; alice publishes once the screen is opened. */
  async start(): Promise<void> {
    const a = this.aliceLogin.username;
    const b = this.bobLogin.username;
    this.alice = await this.login(this.aliceLogin, 'alice-login');
    this.bob = await this.login(this.bobLogin, 'bob-login');
    if (this.alice && this.bob) this.step({ id: 'logins', text: `${a} and ${b} logged in`, tone: 'good' });
    if (!this.options.brokerChecksLogins) {
      this.step({ id: 'hint', text: 'start with --student to see the broker refuse bob', tone: 'warn' });
    }
    const bob = this.bob;
    if (bob) {
      bob.on('message', (topic, payload) => {
        const value = rawTemperature.parse(payload);
        const what = value.ok ? `${formatTemperature(value.value)} °C` : `"${payload.toString('utf8').slice(0, 20)}"`;
        if (topicMatches(topics.userArea(a), topic)) {
          this.bobRead = true;
          this.step({ id: 'bob-read', text: `${b} READ ${a}'s ${what}`, tone: 'bad' });
        }
      });
      await this.subscribe(bob, topics.userArea(b), 'bob-sub-own', `${b} ⇠ ${topics.userArea(b)}`);
      await this.subscribe(bob, topics.userArea(a), 'bob-sub-other', `${b} ⇠ ${topics.userArea(a)}`);
      if (!this.bobRead) this.step({ id: 'bob-read', text: `${b} has read nothing of ${a}'s`, tone: 'good' });
    }
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
      this.step({ id: 'alice-pub', text: `${a} ⇢ ${topic}: ${formatTemperature(Math.round(value * 100) / 100)} °C`, tone: 'good' });
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
    let granted: number;
    try {
      const [grant] = await client.subscribeAsync(filter, { qos: 0 });
      granted = grant?.qos ?? 0;
    } catch (error) {
      // mqtt.js rejects a SUBACK that refuses the filter; the packet it carries holds the return code.
      const code = (error as { packet?: { granted?: unknown[] } }).packet?.granted?.[0];
      if (typeof code !== 'number') {
        this.step({ id, text: `${what}: ${reason(error)}`, tone: 'bad' });
        return;
      }
      granted = code;
    }
    if ((granted & SUBACK_FAILURE) !== 0) {
      this.step({ id, text: `${what}: refused by the broker (SUBACK 0x${granted.toString(16)})`, tone: 'good' });
    } else {
      const own = id === 'bob-sub-own';
      this.step({ id, text: `${what}: granted (QoS ${granted})`, tone: own ? 'good' : 'bad' });
    }
  }

  private step(step: DemoStep): void {
    this.options.feed.dispatch({ type: 'demo-step', step });
  }
}
