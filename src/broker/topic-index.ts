/**
 * Every topic the broker has seen or retains, as a tree with counts, rates, retained marks, the
 * last payload and a short history per topic, within fixed caps. It answers the Topics screen's
 * queries with the visible slice only, so the screen costs the same with ten topics or 100,000.
 */
import {
  DEFAULT_TOPIC_CAPS,
  filterProblem,
  topicMatches,
  type ClientView,
  type MessageProperties,
  type Talker,
  type TopicCaps,
  type TopicDetail,
  type TopicMessage,
  type TopicQuery,
  type TopicRow,
  type TopicView,
} from '../wire/index.js';
import { nodeOf, Rate, rootNode, type TopicNode } from './topic-tree.js';

const TOP_TALKERS = 5;

interface ClientCounts {
  in: number;
  out: number;
  rate: Rate;
}

/** What only the broker knows of its clients, asked when the Clients view is open. */
export type ClientsOf = () => Array<Omit<ClientView, 'messagesIn' | 'messagesOut' | 'perSecond'>>;

export class TopicIndex {
  readonly caps: TopicCaps;
  messages = 0;
  overflow = 0;
  readonly #root = rootNode();
  readonly #topics = new Map<string, TopicNode>();
  /** Topics in the order they were first seen: a filter's matches grow from where they were last read. */
  readonly #order: TopicNode[] = [];
  readonly #clients = new Map<string, ClientCounts>();
  /** Every kept history message with its topic, oldest first, for the total cap. */
  #kept: Array<{ node: TopicNode; message: TopicMessage } | undefined> = [];
  #keptHead = 0;
  #keptLive = 0;
  #matches: { filter: string; read: number; nodes: TopicNode[]; sorted: boolean } | undefined;

  constructor(
    caps: Partial<TopicCaps> = {},
    private readonly clientsOf?: ClientsOf,
  ) {
    this.caps = { ...DEFAULT_TOPIC_CAPS, ...caps };
  }

  get topicCount(): number {
    return this.#topics.size;
  }

  /** A message the broker routed. */
  publish(topic: string, payload: Uint8Array, qos: 0 | 1 | 2, retain: boolean, clientId: string, now: number, properties?: MessageProperties): void {
    this.messages++;
    if (clientId !== '') {
      const counts = this.#countsOf(clientId);
      counts.in++;
      counts.rate.add(now);
    }
    const node = this.#topic(topic);
    if (!node) return;
    const message: TopicMessage = { time: now, payload: keep(payload, this.caps.payloadBytes), size: payload.length, qos, retain, clientId, ...(properties ? { properties } : {}) };
    node.last = message;
    for (let at: TopicNode | undefined = node; at && at.depth >= 0; at = at.parent) {
      at.count++;
      at.rate.add(now);
      at.lastAt = now;
    }
    this.#remember(node, message);
  }

  /** A retained message stored (payload) or cleared (empty); a restored one becomes the topic's last message. */
  retained(topic: string, payload: Uint8Array, qos: 0 | 1 | 2, now: number): void {
    const on = payload.length > 0;
    const node = on ? this.#topic(topic) : this.#topics.get(topic);
    if (!node) return;
    if (on && !node.last) node.last = { time: now, payload: keep(payload, this.caps.payloadBytes), size: payload.length, qos, retain: true, clientId: '' };
    if (node.retained === on) return;
    node.retained = on;
    for (let at: TopicNode | undefined = node; at && at.depth >= 0; at = at.parent) at.retainedUnder += on ? 1 : -1;
  }

  /** A message delivered to a client. */
  delivered(clientId: string): void {
    this.#countsOf(clientId).out++;
  }

  /** A client that left: its counts go with it. */
  forget(clientId: string): void {
    this.#clients.delete(clientId);
  }

  query(q: TopicQuery, now: number): TopicView {
    const problem = q.filter === '' ? undefined : filterProblem(q.filter);
    const flat = q.filter !== '' || q.search !== '' || q.retainedOnly;
    const { rows, total } = problem ? { rows: [], total: 0 } : flat ? this.#flatRows(q, now) : this.#treeRows(q, now);
    const view: TopicView = {
      rows,
      totalRows: total,
      offset: q.offset,
      topics: this.#topics.size,
      messages: this.messages,
      overflow: this.overflow,
      at: now,
    };
    if (problem) view.filterProblem = problem;
    if (q.selected !== null) {
      const detail = this.detail(q.selected, q.history, now);
      if (detail) view.selected = detail;
    }
    if (q.clients) Object.assign(view, this.#clientsView(now));
    return view;
  }

  detail(topic: string, history: number, now: number): TopicDetail | undefined {
    const node = this.#topics.get(topic);
    if (!node) return undefined;
    const detail: TopicDetail = {
      topic,
      count: node.count,
      perSecond: node.rate.perSecond(now),
      retained: node.retained,
      history: history > 0 ? (node.history ?? []).slice(-history) : [],
    };
    if (node.last) detail.last = node.last;
    return detail;
  }

  #topic(topic: string): TopicNode | undefined {
    let node = this.#topics.get(topic);
    if (node) return node;
    if (this.#topics.size >= this.caps.topics) {
      this.overflow++;
      return undefined;
    }
    node = nodeOf(this.#root, topic);
    node.isTopic = true;
    for (let at: TopicNode | undefined = node; at && at.depth >= 0; at = at.parent) at.topics++;
    this.#topics.set(topic, node);
    this.#order.push(node);
    return node;
  }

  #remember(node: TopicNode, message: TopicMessage): void {
    if (this.caps.historyPerTopic <= 0 || this.caps.historyTotal <= 0) return;
    const history = (node.history ??= []);
    history.push(message);
    this.#kept.push({ node, message });
    this.#keptLive++;
    if (history.length > this.caps.historyPerTopic) {
      history.shift();
      this.#keptLive--;
    }
    while (this.#keptLive > this.caps.historyTotal) {
      const oldest = this.#kept[this.#keptHead]!;
      this.#kept[this.#keptHead++] = undefined;
      if (oldest.node.history?.[0] === oldest.message) {
        oldest.node.history.shift();
        this.#keptLive--;
      }
    }
    // Array.shift copies a large array every time; the queue is read from a head and cut now and then.
    if (this.#keptHead > 4_096 && this.#keptHead * 2 > this.#kept.length) {
      this.#kept = this.#kept.slice(this.#keptHead);
      this.#keptHead = 0;
    }
    // Entries a topic's own cap dropped linger in the queue; sweep them before they outgrow it.
    if (this.#kept.length - this.#keptHead > 2 * this.caps.historyTotal + 1_000) {
      this.#kept = this.#kept.slice(this.#keptHead).filter((entry) => entry!.node.history?.includes(entry!.message));
      this.#keptHead = 0;
    }
  }

  #countsOf(clientId: string): ClientCounts {
    let counts = this.#clients.get(clientId);
    if (!counts) this.#clients.set(clientId, (counts = { in: 0, out: 0, rate: new Rate() }));
    return counts;
  }

  #row(node: TopicNode, expanded: ReadonlySet<string>, now: number, flat: boolean): TopicRow {
    const open = !flat && expanded.has(node.path);
    const hasChildren = !flat && (node.children?.size ?? 0) > 0;
    return {
      path: node.path,
      name: flat ? node.path : node.name,
      depth: flat ? 0 : node.depth,
      topics: node.topics,
      count: node.count,
      perSecond: node.rate.perSecond(now),
      isTopic: node.isTopic,
      hasChildren,
      expanded: open,
      retained: node.retained || (hasChildren && !open && node.retainedUnder > 0),
      lastAt: node.lastAt,
    };
  }

  /** The folded tree, depth first by name; only unfolded nodes are walked. */
  #treeRows(q: TopicQuery, now: number): { rows: TopicRow[]; total: number } {
    const expanded = new Set(q.expanded);
    const rows: TopicRow[] = [];
    let total = 0;
    const stack: TopicNode[] = [...this.#root.sortedChildren()].reverse();
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (total >= q.offset && rows.length < q.rows) rows.push(this.#row(node, expanded, now, false));
      total++;
      if (expanded.has(node.path) && node.children) {
        const children = node.sortedChildren();
        for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
      }
    }
    return { rows, total };
  }

  /** Topics matching the filter, the text and the retained toggle, as one list by name. */
  #flatRows(q: TopicQuery, now: number): { rows: TopicRow[]; total: number } {
    const filter = q.filter === '' ? '#' : q.filter;
    if (this.#matches?.filter !== filter) this.#matches = { filter, read: 0, nodes: [], sorted: true };
    const matches = this.#matches;
    for (; matches.read < this.#order.length; matches.read++) {
      const node = this.#order[matches.read]!;
      if (topicMatches(filter, node.path) || (q.filter === '' && node.path.startsWith('$'))) {
        matches.nodes.push(node);
        matches.sorted = false;
      }
    }
    if (!matches.sorted) {
      matches.nodes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      matches.sorted = true;
    }
    const text = q.search.toLowerCase();
    const shown = matches.nodes.filter((node) => (!q.retainedOnly || node.retained) && (text === '' || mentions(node, text)));
    const none = new Set<string>();
    return { rows: shown.slice(q.offset, q.offset + q.rows).map((node) => this.#row(node, none, now, true)), total: shown.length };
  }

  #clientsView(now: number): Pick<TopicView, 'clients' | 'topTopics' | 'topClients'> {
    const clients = (this.clientsOf?.() ?? []).map((client) => {
      const counts = this.#clients.get(client.id);
      return { ...client, messagesIn: counts?.in ?? 0, messagesOut: counts?.out ?? 0, perSecond: counts?.rate.perSecond(now) ?? 0 };
    });
    const topTopics: Talker[] = [];
    for (const node of this.#order) consider(topTopics, { name: node.path, perSecond: node.rate.perSecond(now) });
    const topClients: Talker[] = [];
    for (const [id, counts] of this.#clients) consider(topClients, { name: id, perSecond: counts.rate.perSecond(now) });
    return { clients, topTopics, topClients };
  }
}

/** Keeps the busiest few, busiest first, without sorting everything. */
function consider(top: Talker[], talker: Talker): void {
  if (talker.perSecond <= 0) return;
  if (top.length >= TOP_TALKERS && top[top.length - 1]!.perSecond >= talker.perSecond) return;
  let i = top.length;
  while (i > 0 && top[i - 1]!.perSecond < talker.perSecond) i--;
  top.splice(i, 0, talker);
  if (top.length > TOP_TALKERS) top.pop();
}

/** A copy of at most `cap` bytes: the broker's buffer may be reused after the packet is gone. */
function keep(payload: Uint8Array, cap: number): Uint8Array {
  return new Uint8Array(payload.subarray(0, cap));
}

function mentions(node: TopicNode, lowerText: string): boolean {
  if (node.path.toLowerCase().includes(lowerText)) return true;
  const payload = node.last?.payload;
  return payload !== undefined && Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8').toLowerCase().includes(lowerText);
}
