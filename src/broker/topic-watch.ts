/**
 * The Topics screen's window on the index: it keeps the newest query, answers it in the next
 * batch, and while messages flow sends the same slice again at most a few times a second, so a
 * flood costs the broker one small answer per interval, never one per message.
 */
import type { TopicQuery, TopicView } from '../wire/index.js';
import type { TopicIndex } from './topic-index.js';

export interface TopicWatchOptions {
  /**
   * Least time between two answers to new queries: a key is answered at once, a key held down
   * (one query per repeat) at most once per this interval, the traffic log's short batch.
   */
  answerMs: number;
  /** How often a changed index is sent again while watched. */
  refreshMs: number;
  now?: () => number;
}

export class TopicWatch {
  #query: TopicQuery | null = null;
  #timer: NodeJS.Timeout | undefined;
  #changed = false;
  #due = 0;
  #answeredAt = -Infinity;
  readonly #now: () => number;

  constructor(
    private readonly index: TopicIndex,
    private readonly send: (view: TopicView) => void,
    private readonly opts: TopicWatchOptions,
  ) {
    this.#now = opts.now ?? Date.now;
  }

  /** The slice wanted from now on; null stops the answers. */
  watch(query: TopicQuery | null): void {
    this.#query = query;
    if (query === null) {
      this.#stop();
      return;
    }
    // A new question is answered at once (or as soon as the last answer is answerMs old), whatever refresh was planned.
    this.#stop();
    this.#plan(Math.max(0, this.#answeredAt + this.opts.answerMs - this.#now()));
  }

  /** The index changed: the watched slice may have too. */
  changed(): void {
    if (this.#query === null || this.#changed) return;
    this.#changed = true;
    this.#plan(this.opts.refreshMs);
  }

  close(): void {
    this.#query = null;
    this.#stop();
  }

  /** Answers within `ms`: a pending answer that comes sooner stays, a later one is brought forward. */
  #plan(ms: number): void {
    const due = this.#now() + ms;
    if (this.#timer !== undefined) {
      if (this.#due <= due) return;
      clearTimeout(this.#timer);
    }
    this.#due = due;
    this.#timer = setTimeout(() => this.#answer(), ms);
    this.#timer.unref();
  }

  #answer(): void {
    this.#timer = undefined;
    this.#changed = false;
    if (this.#query === null) return;
    this.#answeredAt = this.#now();
    this.send(this.index.query(this.#query, this.#answeredAt));
    // Ages and rates move without messages: a slow refresh keeps "3 s ago" and msgs/s true.
    this.#plan(this.opts.refreshMs * 4);
  }

  #stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#changed = false;
  }
}
