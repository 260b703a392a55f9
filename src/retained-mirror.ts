import type { RetainedMessage } from './broker/embedded.js';

/**
 * The data file's copy of the broker's retained messages, kept in step one change at a time:
 * an index from topic to place in the list, so a batch of changes costs what it changes,
 * whatever the number of retained messages (a fleet has thousands).
 */
export class RetainedMirror {
  readonly #list: RetainedMessage[];
  readonly #at = new Map<string, number>();

  /** Works on `list` in place: the store's array. */
  constructor(list: RetainedMessage[]) {
    this.#list = list;
    // A topic twice (a file edited by hand) keeps its last message, as the broker does.
    const byTopic = new Map(list.map((message) => [message.topic, message]));
    if (byTopic.size !== list.length) list.splice(0, list.length, ...byTopic.values());
    list.forEach((message, i) => this.#at.set(message.topic, i));
  }

  /** An empty payload clears the topic; anything else replaces or adds its message. */
  apply(changes: readonly RetainedMessage[]): void {
    for (const change of changes) {
      const at = this.#at.get(change.topic);
      if (change.payload === '') {
        if (at !== undefined) this.#remove(at);
      } else if (at !== undefined) {
        this.#list[at] = change;
      } else {
        this.#at.set(change.topic, this.#list.length);
        this.#list.push(change);
      }
    }
  }

  /** Moves the last message into the place of the removed one: no shift of the whole list. */
  #remove(at: number): void {
    const removed = this.#list[at]!;
    const last = this.#list.pop()!;
    this.#at.delete(removed.topic);
    if (last !== removed) {
      this.#list[at] = last;
      this.#at.set(last.topic, at);
    }
  }
}
