import { safeText } from './wire/preview.js';
import type { TrafficEntry, TrafficNote } from './wire/traffic.js';
import { flagOfBrokerSetting } from './options.js';

/**
 * The run's one traffic log, on the main thread: the embedded broker's batches, the lines an
 * outside broker's monitor makes, and the home's own remarks (a wrong challenge reply, a failed
 * save) join here in the order they arrive and get one sequence. The view and the headless
 * printer read from it; nothing else makes or prints log lines.
 */
export class LogSink {
  #seq = 0;
  readonly #listeners = new Set<(entries: TrafficEntry[]) => void>();
  #held: TrafficEntry[] = [];
  #holdTimer: NodeJS.Timeout | undefined;

  /**
   * @param holdRemarksMs With the embedded broker, the packet a remark is about (a wrong reply)
   *   reaches this thread in the broker's next batch, a few milliseconds after the remark: a
   *   remark waits for that batch (or this long) so it reads after the packet, as it happened.
   */
  constructor(private readonly holdRemarksMs = 0) {}

  /** Hears every batch from now on; returns the way to stop. */
  listen(cb: (entries: TrafficEntry[]) => void): () => void {
    this.#listeners.add(cb);
    return () => this.#listeners.delete(cb);
  }

  /** Entries made elsewhere (escaped already): numbered here, limits named by their flags. */
  append(entries: readonly TrafficEntry[]): void {
    if (entries.length === 0) return;
    const held = this.#takeHeld();
    this.#emit(held.length === 0 ? entries : [...entries, ...held]);
  }

  /** A remark of the home itself; wire text in it is escaped here, as the broker does for its lines. */
  note(line: TrafficNote | Omit<TrafficEntry, 'seq' | 'time'>): void {
    const entry: TrafficEntry = { ...line, seq: 0, time: Date.now(), clientId: safeText(line.clientId) };
    if (line.topic !== undefined) entry.topic = safeText(line.topic);
    if (line.detail !== undefined) entry.detail = safeText(line.detail);
    if (this.holdRemarksMs <= 0) return this.#emit([entry]);
    this.#held.push(entry);
    if (this.#holdTimer === undefined) {
      this.#holdTimer = setTimeout(() => this.#emit(this.#takeHeld()), this.holdRemarksMs);
      this.#holdTimer.unref();
    }
  }

  /** Sends what is held back at once (at the end of a run). */
  flush(): void {
    this.#emit(this.#takeHeld());
  }

  #takeHeld(): TrafficEntry[] {
    if (this.#holdTimer !== undefined) clearTimeout(this.#holdTimer);
    this.#holdTimer = undefined;
    const held = this.#held;
    this.#held = [];
    return held;
  }

  #emit(entries: readonly TrafficEntry[]): void {
    if (entries.length === 0) return;
    const batch = entries.map((entry) => withLimitFlag({ ...entry, seq: ++this.#seq }));
    for (const listener of this.#listeners) listener(batch);
  }
}

/** The broker names a limit by key; a person changes it with a flag, so the line ends with the flag's name. */
export function withLimitFlag(entry: TrafficEntry): TrafficEntry {
  if (entry.limit === undefined || entry.detail === undefined) return entry;
  const flag = flagOfBrokerSetting(entry.limit);
  return flag === undefined ? entry : { ...entry, detail: `${entry.detail.replace(/\.$/, '')} (${flag}).` };
}
