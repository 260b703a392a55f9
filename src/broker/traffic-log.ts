import { DEFAULT_LOG_SIZE } from '../config.js';
import type { TrafficEntry } from './traffic.js';

/**
 * The last `capacity` traffic entries. A ring buffer: a push overwrites the oldest entry in
 * place, so a busy broker never shifts or copies the log.
 */
export class TrafficLog {
  readonly capacity: number;
  private readonly ring: (TrafficEntry | undefined)[];
  /** Index of the oldest entry. */
  private start = 0;
  private count = 0;

  constructor(capacity = DEFAULT_LOG_SIZE) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`The traffic log needs room for at least one entry, not ${capacity}.`);
    }
    this.capacity = capacity;
    this.ring = new Array<TrafficEntry | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(entries: readonly TrafficEntry[]): void {
    // A batch larger than the log only leaves its tail behind.
    const from = Math.max(0, entries.length - this.capacity);
    for (let i = from; i < entries.length; i++) {
      const end = (this.start + this.count) % this.capacity;
      this.ring[end] = entries[i];
      if (this.count < this.capacity) this.count++;
      else this.start = (this.start + 1) % this.capacity;
    }
  }

  clear(): void {
    this.ring.fill(undefined);
    this.start = 0;
    this.count = 0;
  }

  /** The i-th entry, 0 = oldest. */
  at(i: number): TrafficEntry | undefined {
    if (i < 0 || i >= this.count) return undefined;
    return this.ring[(this.start + i) % this.capacity];
  }

  /** All entries, oldest first. */
  entries(): TrafficEntry[] {
    return this.range(0, this.count);
  }

  /**
   * The visible window: up to `count` entries, oldest first, ending `fromEnd` entries before
   * the newest (0 = follow the newest).
   */
  slice(fromEnd: number, count: number): TrafficEntry[] {
    const end = this.count - Math.min(Math.max(0, fromEnd), this.count);
    const begin = Math.max(0, end - Math.max(0, count));
    return this.range(begin, end);
  }

  /** Entries whose topic or client id contains `text` (any case), oldest first. */
  filter(text: string): TrafficEntry[] {
    const needle = text.toLowerCase();
    if (needle === '') return this.entries();
    const found: TrafficEntry[] = [];
    for (let i = 0; i < this.count; i++) {
      const entry = this.ring[(this.start + i) % this.capacity]!;
      if (
        entry.clientId.toLowerCase().includes(needle) ||
        (entry.topic !== undefined && entry.topic.toLowerCase().includes(needle))
      ) {
        found.push(entry);
      }
    }
    return found;
  }

  private range(begin: number, end: number): TrafficEntry[] {
    const out: TrafficEntry[] = [];
    for (let i = begin; i < end; i++) out.push(this.ring[(this.start + i) % this.capacity]!);
    return out;
  }
}
