/** `expect` steps: what the scenario's own client saw on a topic, against what the step says should come. */
import type { Clock } from '../sim/clock.js';
import { payloadPreview, topicMatches } from '../wire/index.js';
import { secondsText, type Step } from './steps.js';

type Expectation = Extract<Step, { verb: 'expect' }>;

/** A message the scenario's client received, at scenario time `atMs`. */
export interface Seen {
  topic: string;
  payload: Buffer;
  atMs: number;
}

/** Everything the scenario's client hears: the last message of each topic and a feed for waiting steps. */
export class Heard {
  readonly latest = new Map<string, Seen>();
  readonly #listeners = new Set<(message: Seen) => void>();

  add(message: Seen): void {
    // An empty retained message clears the topic.
    if (message.payload.length === 0) this.latest.delete(message.topic);
    else this.latest.set(message.topic, message);
    for (const listener of this.#listeners) listener(message);
  }

  listen(listener: (message: Seen) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The newest message on a topic the filter matches. */
  lastOn(filter: string): Seen | undefined {
    let newest: Seen | undefined;
    for (const message of this.latest.values()) {
      if (topicMatches(filter, message.topic) && (newest === undefined || message.atMs >= newest.atMs)) newest = message;
    }
    return newest;
  }
}

/** Whether `expected` is in `actual`: every field it names, with that value (arrays element by element). */
export function jsonSubset(expected: unknown, actual: unknown): boolean {
  if (Array.isArray(expected)) return Array.isArray(actual) && expected.length === actual.length && expected.every((e, i) => jsonSubset(e, actual[i]));
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const fields = actual as Record<string, unknown>;
    return Object.entries(expected).every(([key, value]) => key in fields && jsonSubset(value, fields[key]));
  }
  return Object.is(expected, actual);
}

export function payloadMatches(step: Expectation, payload: Buffer): boolean {
  if (step.payload !== undefined) return payload.toString('utf8') === step.payload;
  if (step.json !== undefined) {
    try {
      return jsonSubset(step.json, JSON.parse(payload.toString('utf8')));
    } catch {
      return false;
    }
  }
  return true;
}

function wanted(step: Expectation): string {
  if (step.payload !== undefined) return `carry ${JSON.stringify(step.payload)}`;
  if (step.json !== undefined) return `carry ${JSON.stringify(step.json)}`;
  return 'carry a message';
}

const shown = (message: Seen | undefined) => (message === undefined ? 'nothing came on it' : `the last message was ${payloadPreview(message.payload)}`);

/**
 * Resolves to undefined when the expectation holds, else to the sentence saying what came instead.
 * A plain expectation holds when the topic's current message matches, or a matching one comes
 * within the time; `not` holds when no matching message comes within it.
 */
export function checkExpectation(step: Expectation, heard: Heard, clock: Clock, nowMs: () => number): Promise<string | undefined> {
  const where = `step ${step.index} (line ${step.line}, at ${secondsText(step.atMs)})`;
  const current = heard.lastOn(step.topic);
  if (!step.not && current !== undefined && payloadMatches(step, current.payload)) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    let last: Seen | undefined = current;
    const done = (failure: string | undefined) => {
      stop();
      clock.clearTimeout(timer);
      resolve(failure);
    };
    const stop = heard.listen((message) => {
      if (!topicMatches(step.topic, message.topic)) return;
      last = message;
      if (!payloadMatches(step, message.payload)) return;
      if (step.not) done(`${where}: ${message.topic} got ${payloadPreview(message.payload)} ${secondsText(message.atMs - step.atMs)} in, and should not have within ${secondsText(step.withinMs)}.`);
      else done(undefined);
    });
    const timer = clock.setTimeout(
      () => done(step.not ? undefined : `${where}: ${step.topic} did not ${wanted(step)} within ${secondsText(step.withinMs)}; ${shown(last)}.`),
      Math.max(0, step.atMs + step.withinMs - nowMs()),
    );
  });
}
