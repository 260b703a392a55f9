import { checkPayload, payloadPreview, safeText, type TrafficEntry, type TrafficKind } from '../wire/index.js';
import { MessageRate } from './message-rate.js';

/** A retained message as the broker keeps it and the store saves it. */
export interface RetainedMessage {
  topic: string;
  /** Base64; '' means the retained message on this topic was cleared. */
  payload: string;
  qos: 0 | 1 | 2;
}

/** A traffic entry before it is shown: the payload is kept by reference, the preview made later. */
interface PendingEntry extends TrafficEntry {
  payload?: Buffer;
}

type EntryExtra = Omit<PendingEntry, 'seq' | 'time' | 'kind' | 'clientId'>;

export interface TrafficLogOptions {
  /** How long traffic and retained changes are gathered before listeners hear of them. */
  batchMs: number;
  /** Publish entries shown per second at most; the rest are summed up in one info entry per batch. */
  maxPerSecond: number;
}

/** Shown as the sender of messages the broker publishes itself (wills) and of its own remarks. */
export const BROKER_SENDER = '(broker)';

/**
 * The broker's side of the traffic log: every line is made here, in the broker thread, and
 * listeners get them in small batches with the retained changes of the same moment. Plain
 * publishes are shown within a budget (a person reads a screenful, not a flood: building a line
 * for every message cost the broker its 1 ms p99 at 5,000 messages/s); lines that matter (a bad
 * payload, a refusal, an error) always show. Wire text is escaped once, here.
 */
export class BrokerTrafficLog {
  readonly rate = new MessageRate();
  messagesTotal = 0;
  readonly #traffic = new Set<(entries: TrafficEntry[]) => void>();
  readonly #retained = new Set<(changes: RetainedMessage[]) => void>();
  readonly #budget: number;
  #seq = 0;
  #pending: PendingEntry[] = [];
  #publishesInBatch = 0;
  #notShown = 0;
  #retainedChanges = new Map<string, RetainedMessage>();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(private readonly opts: TrafficLogOptions) {
    this.#budget = Math.max(1, Math.round((opts.maxPerSecond * opts.batchMs) / 1000));
  }

  /** Batched traffic entries; returns the way to stop listening. */
  onTraffic(cb: (entries: TrafficEntry[]) => void): () => void {
    this.#traffic.add(cb);
    return () => this.#traffic.delete(cb);
  }

  /** Batched retained changes, for the store to keep; returns the way to stop listening. */
  onRetained(cb: (changes: RetainedMessage[]) => void): () => void {
    this.#retained.add(cb);
    return () => this.#retained.delete(cb);
  }

  /** One line about a client or the broker itself. */
  note(kind: TrafficKind, clientId: string, extra?: EntryExtra): void {
    if (this.#traffic.size === 0) return;
    this.#pending.push({ seq: ++this.#seq, time: Date.now(), kind, clientId, ...extra });
    this.#schedule();
  }

  /** A message the broker routes: counted always, logged while someone listens, checked against the home's formats. */
  publish(
    topic: string,
    payload: Buffer,
    qos: 0 | 1 | 2,
    retain: boolean,
    sender: string | undefined,
    userProperties?: Record<string, string | string[]>,
  ): void {
    const now = Date.now();
    this.messagesTotal++;
    this.rate.add(now);
    if (this.#traffic.size === 0) return;
    // Only the broker knows who sent a bad payload, so the line naming them is made here.
    const problem = checkPayload(topic, payload);
    if (problem === null) {
      if (this.#publishesInBatch >= this.#budget) {
        this.#notShown++;
        this.#schedule();
        return;
      }
      this.#publishesInBatch++;
    }
    this.#pending.push({
      seq: ++this.#seq,
      time: now,
      kind: problem === null ? 'publish' : 'bad-payload',
      clientId: sender ?? BROKER_SENDER,
      topic,
      qos,
      retain,
      size: payload.length,
      payload,
      ...(userProperties === undefined ? {} : { userProperties }),
      ...(problem === null ? {} : { detail: problem }),
    });
    this.#schedule();
  }

  /** A retained message stored, replaced or cleared. */
  retainedChanged(topic: string, payload: Uint8Array, qos: 0 | 1 | 2): void {
    this.#retainedChanges.set(topic, { topic, payload: payload.length === 0 ? '' : Buffer.from(payload).toString('base64'), qos });
    this.#schedule();
  }

  /** Sends what is pending and stops batching; safe to call twice. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#flush();
    this.#traffic.clear();
    this.#retained.clear();
  }

  #schedule(): void {
    if (this.#timer === undefined && !this.#closed) {
      this.#timer = setTimeout(() => this.#flush(), this.opts.batchMs);
      // The listeners keep the process alive, never a pending batch.
      this.#timer.unref();
    }
  }

  #flush(): void {
    this.#timer = undefined;
    if (this.#notShown > 0) {
      this.#pending.push({
        seq: ++this.#seq,
        time: Date.now(),
        kind: 'info',
        clientId: BROKER_SENDER,
        detail: `${this.#notShown} messages not shown (${this.rate.perSecond(Date.now())}/s)`,
      });
    }
    const batch = this.#pending;
    this.#pending = [];
    this.#publishesInBatch = 0;
    this.#notShown = 0;
    if (batch.length > 0 && this.#traffic.size > 0) {
      const entries = batch.map(shown);
      for (const listener of this.#traffic) listener(entries);
    }
    if (this.#retainedChanges.size > 0) {
      const changes = [...this.#retainedChanges.values()];
      this.#retainedChanges = new Map();
      for (const listener of this.#retained) listener(changes);
    }
  }
}

/** The entry as listeners see it: wire text escaped, the payload replaced by its preview. */
function shown(entry: PendingEntry): TrafficEntry {
  const { payload, ...rest } = entry;
  const out: TrafficEntry = { ...rest, clientId: safeText(rest.clientId) };
  if (rest.topic !== undefined) out.topic = safeText(rest.topic);
  if (rest.detail !== undefined) out.detail = safeText(rest.detail);
  if (payload !== undefined) out.preview = payloadPreview(payload);
  return out;
}
