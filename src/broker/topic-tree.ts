/** The topic index's tree: one node per topic level, with counts and a rate summed over what is under it. */
import type { TopicMessage } from '../wire/index.js';

const WINDOW_MS = 1_000;

/** Messages per second from two one-second windows, updated only when a message comes: no timer per node. */
export class Rate {
  #start = 0;
  #count = 0;
  #previous = 0;

  add(now: number): void {
    const elapsed = now - this.#start;
    if (elapsed >= WINDOW_MS) {
      // A window long past says nothing of the last second.
      this.#previous = elapsed < 2 * WINDOW_MS ? (this.#count * WINDOW_MS) / elapsed : 0;
      this.#start = now;
      this.#count = 0;
    }
    this.#count++;
  }

  perSecond(now: number): number {
    const elapsed = now - this.#start;
    if (elapsed >= 2 * WINDOW_MS) return 0;
    if (elapsed >= WINDOW_MS) return (this.#count * WINDOW_MS) / elapsed;
    return this.#previous;
  }
}

export class TopicNode {
  children: Map<string, TopicNode> | undefined;
  #sorted: TopicNode[] | undefined;
  /** Messages on this node and under it. */
  count = 0;
  /** Topics under this node, itself included. */
  topics = 0;
  /** Retained topics under this node, itself included. */
  retainedUnder = 0;
  isTopic = false;
  retained = false;
  lastAt = 0;
  readonly rate = new Rate();
  last: TopicMessage | undefined;
  history: TopicMessage[] | undefined;

  constructor(
    readonly name: string,
    readonly path: string,
    readonly parent: TopicNode | undefined,
    readonly depth: number,
  ) {}

  child(name: string): TopicNode {
    this.children ??= new Map();
    let node = this.children.get(name);
    if (!node) {
      node = new TopicNode(name, this.parent === undefined && this.depth < 0 ? name : `${this.path}/${name}`, this, this.depth + 1);
      this.children.set(name, node);
      this.#sorted = undefined;
    }
    return node;
  }

  /** Children by name; kept until a child is added. */
  sortedChildren(): TopicNode[] {
    if (!this.children) return [];
    this.#sorted ??= [...this.children.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return this.#sorted;
  }
}

/** The root: a node of no level, depth -1, whose children are the first levels. */
export function rootNode(): TopicNode {
  return new TopicNode('', '', undefined, -1);
}

/** The node of a topic, made with its levels when missing. */
export function nodeOf(root: TopicNode, topic: string): TopicNode {
  let node = root;
  for (const level of topic.split('/')) node = node.child(level);
  return node;
}
