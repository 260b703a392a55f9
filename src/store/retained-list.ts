/** One retained message as the data file keeps it; `payload` '' in a change clears the topic. */
export interface RetainedEntry {
  topic: string;
  payload: string;
  qos: 0 | 1 | 2;
}

/**
 * Keeps the data file's list of retained messages in step with the broker's changes, each
 * change in constant time: a fleet of thousands of devices sends retained changes in every
 * batch, and rebuilding the whole list for each batch held up the program's main thread.
 * The list is changed in place; a cleared topic's place is taken by the last entry.
 */
export class RetainedList {
  readonly #places = new Map<string, number>();

  constructor(private readonly list: RetainedEntry[]) {
    list.forEach((entry, place) => this.#places.set(entry.topic, place));
  }

  apply(changes: readonly RetainedEntry[]): void {
    for (const change of changes) {
      const place = this.#places.get(change.topic);
      if (change.payload !== '') {
        if (place === undefined) this.#places.set(change.topic, this.list.push(change) - 1);
        else this.list[place] = change;
      } else if (place !== undefined) {
        const last = this.list.pop()!;
        this.#places.delete(change.topic);
        if (place < this.list.length) {
          this.list[place] = last;
          this.#places.set(last.topic, place);
        }
      }
    }
  }
}
