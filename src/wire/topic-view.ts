/**
 * What the Topics screen asks the topic index for and what it gets back: the visible slice of the
 * folded topic tree, the selected topic's detail and the connected clients. Shared by the broker
 * thread (which keeps the index) and the UI (which shows it), so both speak the same shapes.
 */

export interface TopicQuery {
  /** An MQTT topic filter ('+', '#'); '' = every topic, shown as a folded tree. */
  filter: string;
  /** Text looked for in topic names and last payloads; '' = none. */
  search: string;
  retainedOnly: boolean;
  /** Tree paths shown unfolded ('home', 'home/kitchen'). */
  expanded: readonly string[];
  /** First visible row and how many rows fit. */
  offset: number;
  rows: number;
  /** The topic whose detail is wanted; null = none. */
  selected: string | null;
  /** Messages of the selected topic's history wanted, newest last. */
  history: number;
  /** Whether the clients and top talkers are wanted too. */
  clients: boolean;
}

/** One line of the folded tree (or, with a filter or search, one matching topic). */
export interface TopicRow {
  /** The full path of the node: a topic or a prefix of topics. */
  path: string;
  /** The last level's name (the whole topic in a flat list). */
  name: string;
  depth: number;
  /** Topics under this node (itself included when it is a topic). */
  topics: number;
  /** Messages seen on this node and under it. */
  count: number;
  perSecond: number;
  /** Whether this node is itself a topic with a message. */
  isTopic: boolean;
  hasChildren: boolean;
  expanded: boolean;
  /** This topic has a retained message; for a folded node: some topic under it has. */
  retained: boolean;
  /** Epoch ms of the newest message on or under this node; 0 = none this run. */
  lastAt: number;
}

/** One message as the index keeps it. */
export interface TopicMessage {
  /** Epoch ms when the broker routed it. */
  time: number;
  /** The payload's first bytes (the index keeps at most a capped size). */
  payload: Uint8Array;
  /** The payload's real size in bytes. */
  size: number;
  qos: 0 | 1 | 2;
  retain: boolean;
  /** The publishing client's id; '' when only the broker itself knows (a will, a restored message) or unknown. */
  clientId: string;
  /** The MQTT 5 properties it came with; absent for 3.1.1 and for a message without any. */
  properties?: MessageProperties;
}

/** The MQTT 5 properties of a PUBLISH that a reader of the message wants to see. */
export interface MessageProperties {
  contentType?: string;
  payloadFormatIndicator?: boolean;
  messageExpiryInterval?: number;
  responseTopic?: string;
  correlationData?: Uint8Array;
  userProperties?: Record<string, string | string[]>;
}

/** Those of `from` (mqtt-packet's properties of a PUBLISH) worth keeping; undefined when there are none. */
export function messageProperties(from: MessageProperties | undefined): MessageProperties | undefined {
  if (!from) return undefined;
  const kept: MessageProperties = {};
  if (typeof from.contentType === 'string') kept.contentType = from.contentType;
  if (typeof from.payloadFormatIndicator === 'boolean') kept.payloadFormatIndicator = from.payloadFormatIndicator;
  if (typeof from.messageExpiryInterval === 'number') kept.messageExpiryInterval = from.messageExpiryInterval;
  if (typeof from.responseTopic === 'string') kept.responseTopic = from.responseTopic;
  if (from.correlationData instanceof Uint8Array) kept.correlationData = Uint8Array.from(from.correlationData);
  if (from.userProperties && typeof from.userProperties === 'object') kept.userProperties = { ...from.userProperties };
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/** One `name value` per property, in the spec's words, for the message view. */
export function propertyLines(properties: MessageProperties): string[] {
  const lines: string[] = [];
  if (properties.contentType !== undefined) lines.push(`content type ${properties.contentType}`);
  if (properties.payloadFormatIndicator !== undefined) lines.push(`payload format ${properties.payloadFormatIndicator ? 'UTF-8' : 'bytes'}`);
  if (properties.messageExpiryInterval !== undefined) lines.push(`message expiry ${properties.messageExpiryInterval} s`);
  if (properties.responseTopic !== undefined) lines.push(`response topic ${properties.responseTopic}`);
  if (properties.correlationData !== undefined) lines.push(`correlation data ${Buffer.from(properties.correlationData).toString('hex')}`);
  for (const [name, value] of Object.entries(properties.userProperties ?? {})) {
    for (const one of Array.isArray(value) ? value : [value]) lines.push(`user ${name} = ${one}`);
  }
  return lines;
}

export interface TopicDetail {
  topic: string;
  count: number;
  perSecond: number;
  retained: boolean;
  last?: TopicMessage;
  /** Oldest first, the last one included. */
  history: TopicMessage[];
}

export interface ClientView {
  id: string;
  user: string;
  /** 3 = MQTT 3.1, 4 = 3.1.1, 5 = 5.0. */
  protocol: number;
  address: string;
  keepaliveS: number;
  connectedAt: number;
  subscriptions: string[];
  messagesIn: number;
  messagesOut: number;
  perSecond: number;
  /** Bytes written to it that its connection has not taken yet. */
  queuedBytes: number;
  /** Its QoS 2 messages waiting for PUBREL, where the broker counts them; undefined = not known. */
  inflight?: number;
}

export interface Talker {
  name: string;
  perSecond: number;
}

/** The answer to a TopicQuery. */
export interface TopicView {
  rows: TopicRow[];
  /** All rows the query shows, of which `rows` is the slice from the query's offset. */
  totalRows: number;
  offset: number;
  /** Distinct topics the index holds. */
  topics: number;
  messages: number;
  /** Topics not indexed because the index is full. */
  overflow: number;
  /** Why the filter is not a valid MQTT filter; undefined when it is. */
  filterProblem?: string;
  selected?: TopicDetail;
  clients?: ClientView[];
  topTopics?: Talker[];
  topClients?: Talker[];
  /** Epoch ms when the view was made. */
  at: number;
}

/** The topic index as the UI reaches it: ask for a slice, hear the answers, act on clients. */
export interface TopicSource {
  /** True with the embedded broker: publishers, clients, queues are known. */
  readonly embedded: boolean;
  /** The slice wanted from now on (answered now and as the index changes); null = no more answers. */
  watch(query: TopicQuery | null): void;
  onView(cb: (view: TopicView) => void): () => void;
  /** One topic's detail and history, asked once (the Broker log opens a message whole with it). */
  lookup(topic: string): Promise<TopicDetail | undefined>;
  /** Disconnects a client (embedded broker only); resolves whether it was there. */
  disconnect?(clientId: string): Promise<boolean>;
}

/** What the index keeps at most; stated in the README. */
export interface TopicCaps {
  /** Distinct topics; more are counted, not indexed. */
  topics: number;
  /** Bytes of each payload kept; the real size is still shown. */
  payloadBytes: number;
  /** Messages kept per topic for its history. */
  historyPerTopic: number;
  /** Messages kept in all histories together; the oldest go first. */
  historyTotal: number;
}

export const DEFAULT_TOPIC_CAPS: TopicCaps = {
  topics: 200_000,
  payloadBytes: 4_096,
  historyPerTopic: 50,
  historyTotal: 100_000,
};
