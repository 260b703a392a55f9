/**
 * Retained messages indexed by topic level: a tree with one branch per level, so a subscription
 * is answered by walking the levels its filter names, in time that grows with the matches and
 * not with the number of retained messages. A home of 20,000 devices, each with retained topics
 * of its own, made every SUBSCRIBE test every retained topic (20,000 SUBSCRIBEs x 60,000 topics).
 *
 * Matching follows MQTT 3.1.1 section 4.7: `+` is one level, `#` is this level and all below it
 * (`a/#` matches `a`), and neither wildcard matches a first level that starts with `$`.
 */
class Level<T> {
  readonly children = new Map<string, Level<T>>();
  value: T | undefined;
}

const SEPARATOR = '/';

export class RetainedIndex<T> {
  readonly #root = new Level<T>();
  #size = 0;

  get size(): number {
    return this.#size;
  }

  get(topic: string): T | undefined {
    let level: Level<T> | undefined = this.#root;
    for (const word of topic.split(SEPARATOR)) {
      level = level.children.get(word);
      if (level === undefined) return undefined;
    }
    return level.value;
  }

  set(topic: string, value: T): void {
    let level = this.#root;
    for (const word of topic.split(SEPARATOR)) {
      let next = level.children.get(word);
      if (next === undefined) {
        next = new Level<T>();
        level.children.set(word, next);
      }
      level = next;
    }
    if (level.value === undefined) this.#size += 1;
    level.value = value;
  }

  /** Removes the topic's message and every level left empty behind it. */
  delete(topic: string): void {
    const words = topic.split(SEPARATOR);
    const path: Level<T>[] = [this.#root];
    for (const word of words) {
      const next = path[path.length - 1]!.children.get(word);
      if (next === undefined) return;
      path.push(next);
    }
    const last = path[path.length - 1]!;
    if (last.value === undefined) return;
    last.value = undefined;
    this.#size -= 1;
    for (let i = path.length - 1; i > 0; i--) {
      const level = path[i]!;
      if (level.value !== undefined || level.children.size > 0) break;
      path[i - 1]!.children.delete(words[i - 1]!);
    }
  }

  /** The messages whose topics the filter matches, in no particular order. */
  match(filter: string): T[] {
    const found: T[] = [];
    collect(this.#root, filter.split(SEPARATOR), 0, found);
    return found;
  }

  /** Every message, `$` topics included. */
  all(): T[] {
    const found: T[] = [];
    everything(this.#root, found, false);
    return found;
  }
}

function collect<T>(level: Level<T>, words: readonly string[], depth: number, found: T[]): void {
  if (depth === words.length) {
    if (level.value !== undefined) found.push(level.value);
    return;
  }
  const word = words[depth]!;
  const first = depth === 0;
  if (word === '#') {
    everything(level, found, first);
    return;
  }
  if (word === '+') {
    for (const [name, child] of level.children) {
      if (first && name.startsWith('$')) continue;
      collect(child, words, depth + 1, found);
    }
    return;
  }
  const child = level.children.get(word);
  if (child !== undefined) collect(child, words, depth + 1, found);
}

/** This level's message and all below it; at the first level, `$` topics are left out when asked. */
function everything<T>(level: Level<T>, found: T[], skipDollar: boolean): void {
  if (level.value !== undefined) found.push(level.value);
  for (const [name, child] of level.children) {
    if (skipDollar && name.startsWith('$')) continue;
    everything(child, found, false);
  }
}
