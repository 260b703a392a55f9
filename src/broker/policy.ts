import type { Aedes, AuthenticateError, AedesPublishPacket, Client, PublishPacket, Subscription } from 'aedes';
import { Gatekeeper, type BrokerAuth, type ClientPolicy } from './auth.js';
import type { BrokerTrafficLog } from './traffic-log.js';

const SYS_PREFIX = '$SYS/';
/** Marks the errors that only carry a refusal the policy has logged already. */
const REFUSED = Symbol('refused by the policy');

/** True for an error aedes reports about a publish the policy refused (and logged). */
export function isPolicyRefusal(error: unknown): boolean {
  return typeof error === 'object' && error !== null && REFUSED in error;
}

type AuthenticateDone = (error: AuthenticateError | null, success: boolean | null) => void;
type PublishDone = (error?: Error | null) => void;
type SubscribeDone = (error: Error | null, subscription?: Subscription | null) => void;

/** The broker's policy points, aedes-style: who may connect, publish, subscribe and receive. */
export interface BrokerPolicy {
  authenticate(client: Client, username: string | undefined, password: Buffer | undefined, done: AuthenticateDone): void;
  authorizePublish(client: Client | null, packet: PublishPacket, done: PublishDone): void;
  authorizeSubscribe(client: Client, subscription: Subscription, done: SubscribeDone): void;
  authorizeForward(client: Client, packet: AedesPublishPacket): AedesPublishPacket | null | undefined;
}

/**
 * The policy of the embedded broker. Without `auth` everyone may connect and do anything; with
 * it the gatekeeper checks the login and each client keeps the policy it was given. Every
 * refusal is one line in the log that names the rule.
 */
export class HomePolicy implements BrokerPolicy {
  readonly #gatekeeper: Gatekeeper | undefined;
  readonly #policies = new WeakMap<Client, ClientPolicy>();
  /** Publishes refused by the policy; they reach no one (see dropRefusedPublishes). */
  readonly #dropped = new WeakSet<object>();
  /** Why each refused subscription was refused, for the log line of the SUBACK. */
  readonly #refusedFilters = new WeakMap<Client, Map<string, string>>();
  /** Topics already logged as held back from a client, so a busy topic is one line, not thousands. */
  readonly #heldBack = new WeakMap<Client, Set<string>>();

  constructor(
    auth: BrokerAuth | undefined,
    private readonly log: BrokerTrafficLog,
  ) {
    this.#gatekeeper = auth ? new Gatekeeper(auth) : undefined;
  }

  authenticate = (client: Client, username: string | undefined, password: Buffer | undefined, done: AuthenticateDone): void => {
    if (!this.#gatekeeper) return done(null, true);
    this.#gatekeeper.login(client.id ?? '', username, password).then(
      (policy) => {
        this.#policies.set(client, policy);
        done(null, true);
      },
      (error: Error & { returnCode?: number }) => {
        this.log.note('auth-failure', client.id ?? '', {
          detail: `Login refused${username ? ` for user ${username}` : ''}${error.message ? `: ${error.message}` : ''}`,
        });
        done(Object.assign(new Error(error.message), { returnCode: error.returnCode ?? 5 }) as AuthenticateError, false);
      },
    );
  };

  authorizePublish = (client: Client | null, packet: PublishPacket, done: PublishDone): void => {
    if (client && packet.topic.startsWith(SYS_PREFIX)) return done(new Error(`${SYS_PREFIX} topic is reserved`));
    const decision = this.#policyOf(client)?.publish(packet.topic);
    if (decision && !decision.allowed) {
      this.log.note('denied', client?.id ?? '', { topic: packet.topic, detail: `Publish refused: ${decision.rule}` });
      // MQTT 5 has a refusal: aedes answers PUBACK/PUBREC 0x87 (Not authorized) and keeps the connection.
      if (client?.version === 5) return done(Object.assign(new Error(`Publish refused: ${decision.rule}`), { [REFUSED]: true }));
      // MQTT 3.1.1 has none; like mosquitto, the broker acknowledges it and drops it.
      this.#dropped.add(packet);
    }
    done(null);
  };

  authorizeSubscribe = (client: Client, subscription: Subscription, done: SubscribeDone): void => {
    const decision = this.#policyOf(client)?.subscribe(subscription.topic);
    if (decision && !decision.allowed) {
      let reasons = this.#refusedFilters.get(client);
      if (!reasons) this.#refusedFilters.set(client, (reasons = new Map()));
      reasons.set(subscription.topic, decision.rule);
      // A null subscription makes aedes answer 0x80 for this filter.
      return done(null, null);
    }
    done(null, subscription);
  };

  authorizeForward = (client: Client, packet: AedesPublishPacket): AedesPublishPacket | null => {
    const decision = this.#policyOf(client)?.receive(packet.topic);
    if (!decision || decision.allowed) return packet;
    let topics = this.#heldBack.get(client);
    if (!topics) this.#heldBack.set(client, (topics = new Set()));
    if (!topics.has(packet.topic)) {
      topics.add(packet.topic);
      this.log.note('denied', client.id, { topic: packet.topic, detail: `Not delivered: ${decision.rule}` });
    }
    return null;
  };

  /** Why a subscription in this SUBACK was refused (asked once per refusal), or undefined. */
  refusalOf(client: Client, filter: string): string | undefined {
    const reasons = this.#refusedFilters.get(client);
    const why = reasons?.get(filter);
    reasons?.delete(filter);
    return why;
  }

  /**
   * A refused publish is acknowledged to its sender (aedes does that before routing it) but goes
   * no further. aedes calls publish(packet, client, done) internally; its typings know only
   * (packet, done).
   */
  dropRefusedPublishes(aedes: Aedes): void {
    const inner = aedes as unknown as { publish: (packet: object, client?: unknown, done?: unknown) => void };
    const publish = inner.publish.bind(aedes);
    inner.publish = (packet, client, done) => {
      if (!this.#dropped.has(packet)) return publish(packet, client, done);
      this.#dropped.delete(packet);
      const callback = typeof client === 'function' ? client : done;
      if (typeof callback === 'function') callback(null);
    };
  }

  // A client that logged in without a policy (no auth) may do anything.
  #policyOf(client: Client | null): ClientPolicy | undefined {
    return client && this.#gatekeeper ? this.#policies.get(client) : undefined;
  }
}
