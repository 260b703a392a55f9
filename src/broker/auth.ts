import { filterCovers, topicMatches } from '../wire/index.js';
import { describeRule, type AclRule } from './acl.js';
import { verifyPassword, type Account } from './accounts.js';
import { topics } from '../wire/index.js';

/** Who may connect and what they may do, as plain data so it can cross into the broker thread. */
export interface BrokerAuth {
  /** Refuse clients that give no user name and password. */
  required: boolean;
  accounts: Account[];
  /** Rules from an ACL file; undefined = the course's default policy. */
  acl?: AclRule[];
}

/** The CONNACK return codes a refused login gets (MQTT 3.1.1 table 3.1). */
export const BAD_USER_NAME_OR_PASSWORD = 4;
export const NOT_AUTHORIZED = 5;

/** A refused login, carrying the CONNACK code aedes sends. */
export class LoginRefused extends Error {
  constructor(
    readonly returnCode: typeof BAD_USER_NAME_OR_PASSWORD | typeof NOT_AUTHORIZED,
    message: string,
  ) {
    super(message);
  }
}

export type Decision = { allowed: true } | { allowed: false; rule: string };

/** What one connected client may do; made once at login. */
export interface ClientPolicy {
  publish(topic: string): Decision;
  subscribe(filter: string): Decision;
  /** Whether a message on `topic` may be delivered to this client. */
  receive(topic: string): Decision;
}

const ALLOWED: Decision = { allowed: true };
const EVERYTHING: ClientPolicy = { publish: () => ALLOWED, subscribe: () => ALLOWED, receive: () => ALLOWED };

/** A user publishes and subscribes only under /iot/user/<username>/#; an admin may do anything. */
function defaultPolicy(username: string | undefined, admin: boolean): ClientPolicy {
  if (admin) return EVERYTHING;
  if (username === undefined) {
    const refused: Decision = { allowed: false, rule: 'default policy: clients without a user name may not publish or subscribe' };
    return { publish: () => refused, subscribe: () => refused, receive: () => refused };
  }
  const own = topics.userArea(username);
  const refused: Decision = { allowed: false, rule: `default policy: users may only use ${own}` };
  return {
    publish: (topic) => (topicMatches(own, topic) ? ALLOWED : refused),
    subscribe: (filter) => (filterCovers(own, filter) ? ALLOWED : refused),
    receive: (topic) => (topicMatches(own, topic) ? ALLOWED : refused),
  };
}

const WILDCARD_OR_LEVEL = /[+#/]/;

/** The ACL rules that apply to one client, patterns filled in. */
function rulesFor(rules: AclRule[], username: string | undefined, clientId: string): Array<AclRule & { text: string }> {
  const mine: Array<AclRule & { text: string }> = [];
  for (const rule of rules) {
    if (rule.kind === 'topic') {
      if (rule.user === username) mine.push({ ...rule, text: describeRule(rule) });
      continue;
    }
    const needsUser = rule.filter.includes('%u');
    const needsClient = rule.filter.includes('%c');
    // A name holding a wildcard or a slash would widen the pattern; such a client gets no pattern (as mosquitto).
    if (needsUser && (username === undefined || WILDCARD_OR_LEVEL.test(username))) continue;
    if (needsClient && WILDCARD_OR_LEVEL.test(clientId)) continue;
    const filter = rule.filter.replaceAll('%u', username ?? '').replaceAll('%c', clientId);
    mine.push({ ...rule, filter, text: describeRule(rule) });
  }
  return mine;
}

/**
 * ACL policy: a deny rule that matches refuses; otherwise a rule granting the access must match.
 * A subscription needs a grant covering every topic its filter can match; a deny rule that only
 * overlaps it does not refuse it, the messages it denies are held back on delivery instead.
 */
function aclPolicy(rules: AclRule[], username: string | undefined, clientId: string, admin: boolean): ClientPolicy {
  if (admin) return EVERYTHING;
  const mine = rulesFor(rules, username, clientId);
  const denies = mine.filter((rule) => rule.access === 'deny');
  const reads = mine.filter((rule) => rule.access === 'read' || rule.access === 'readwrite');
  const writes = mine.filter((rule) => rule.access === 'write' || rule.access === 'readwrite');
  const who = username === undefined ? 'clients without a user name' : username;
  const decide = (grants: typeof mine, what: string, target: string, fits: (filter: string) => boolean, denied: (filter: string) => boolean): Decision => {
    const deny = denies.find((rule) => denied(rule.filter));
    if (deny) return { allowed: false, rule: deny.text };
    if (grants.some((rule) => fits(rule.filter))) return ALLOWED;
    return { allowed: false, rule: `acl: no line lets ${who} ${what} ${target}` };
  };
  return {
    publish: (topic) =>
      decide(writes, 'publish to', topic, (f) => topicMatches(f, topic), (f) => topicMatches(f, topic)),
    subscribe: (filter) =>
      decide(reads, 'subscribe to', filter, (f) => filterCovers(f, filter), (f) => filterCovers(f, filter)),
    receive: (topic) =>
      decide(reads, 'read', topic, (f) => topicMatches(f, topic), (f) => topicMatches(f, topic)),
  };
}

/** Checks logins against the accounts and hands out each client's policy. */
export class Gatekeeper {
  readonly #auth: BrokerAuth;
  readonly #accounts: Map<string, Account>;

  constructor(auth: BrokerAuth) {
    this.#auth = auth;
    this.#accounts = new Map(auth.accounts.map((account) => [account.username, account]));
  }

  /** The client's policy, or a LoginRefused with the CONNACK code to send. */
  async login(clientId: string, username: string | undefined, password: Buffer | undefined): Promise<ClientPolicy> {
    if (username === undefined || username === '') {
      if (this.#auth.required) {
        throw new LoginRefused(NOT_AUTHORIZED, 'Not authorized: this broker needs a user name and password');
      }
      return this.#policy(undefined, clientId, false);
    }
    const account = this.#accounts.get(username);
    // The same work for an unknown name as for a wrong password, so timing does not tell which names exist.
    const ok = await verifyPassword(password?.toString('utf8') ?? '', account?.hash);
    if (!account || !ok || password === undefined) {
      throw new LoginRefused(BAD_USER_NAME_OR_PASSWORD, 'Bad user name or password');
    }
    return this.#policy(username, clientId, account.admin);
  }

  #policy(username: string | undefined, clientId: string, admin: boolean): ClientPolicy {
    const acl = this.#auth.acl;
    return acl ? aclPolicy(acl, username, clientId, admin) : defaultPolicy(username, admin);
  }
}
