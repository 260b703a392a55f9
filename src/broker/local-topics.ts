/**
 * The topic index of an outside broker, built from what one client subscribed to '#' hears:
 * topics, payloads, counts and rates, and retained messages as they arrive on subscribing. Who
 * published, who is connected and how full their queues are only the broker itself knows.
 */
import type { TopicCaps, TopicDetail, TopicQuery, TopicSource, TopicView } from '../wire/index.js';
import { TopicIndex } from './topic-index.js';
import { TopicWatch } from './topic-watch.js';

const ANSWER_MS = 10;
const REFRESH_MS = 250;

export class LocalTopics implements TopicSource {
  readonly embedded = false;
  readonly index: TopicIndex;
  readonly #watch: TopicWatch;
  readonly #listeners = new Set<(view: TopicView) => void>();

  readonly #now: () => number;

  constructor(opts: { caps?: Partial<TopicCaps>; now?: () => number } = {}) {
    this.#now = opts.now ?? Date.now;
    this.index = new TopicIndex(opts.caps);
    this.#watch = new TopicWatch(this.index, (view) => this.#listeners.forEach((listener) => listener(view)), {
      answerMs: ANSWER_MS,
      refreshMs: REFRESH_MS,
      now: this.#now,
    });
  }

  /** A message the '#' subscription delivered; `retain` is set only for messages the broker kept. */
  heard(topic: string, payload: Uint8Array, qos: 0 | 1 | 2, retain: boolean): void {
    const now = this.#now();
    this.index.publish(topic, payload, qos, retain, '', now);
    // An empty payload deletes a retained message whatever flag it comes with.
    if (retain || payload.length === 0) this.index.retained(topic, payload, qos, now);
    this.#watch.changed();
  }

  watch(query: TopicQuery | null): void {
    this.#watch.watch(query);
  }

  onView(cb: (view: TopicView) => void): () => void {
    this.#listeners.add(cb);
    return () => this.#listeners.delete(cb);
  }

  lookup(topic: string): Promise<TopicDetail | undefined> {
    return Promise.resolve(this.index.detail(topic, this.index.caps.historyPerTopic, this.#now()));
  }

  close(): void {
    this.#watch.close();
    this.#listeners.clear();
  }
}
