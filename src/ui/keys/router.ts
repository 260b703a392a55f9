/**
 * Keys go to one place at a time, by priority: a text field being edited takes every key; else
 * the focused pane (or the shown screen) may use it; else the screen's keys (the home's pane
 * keys); else the global keys. Ctrl-C comes before all of them.
 *
 * Targets read and change their state at once (a Feed), so a burst of keys is handled in order
 * without waiting for React to render between two keys.
 */
import type { KeyPress } from './key-press.js';

export interface KeyTarget {
  /** True while a text field (or a y/n question) here takes every key. */
  editing(): boolean;
  /** Handles a key; false when the key is not this target's, so the next layer gets it. */
  handle(press: KeyPress): boolean;
  /** Tells of changes that may change editing(); the footer follows it. */
  subscribe?(listener: () => void): () => void;
}

export type KeyLayer = (press: KeyPress) => boolean;

export interface RouterPlace {
  /** The target that has the keyboard: the overlay, the focused pane or the shown screen; null = none. */
  active(): string | null;
  /** Before everything (Ctrl-C). */
  first: KeyLayer;
  /** After the active target, in order: the screen's keys, then the global keys. */
  after: readonly KeyLayer[];
  /** Tells of changes to active(). */
  subscribe(listener: () => void): () => void;
}

export class KeyRouter {
  private readonly targets = new Map<string, { target: KeyTarget; unsubscribe: () => void }>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly place: RouterPlace) {
    place.subscribe(() => this.changed());
  }

  route = (press: KeyPress): void => {
    if (this.place.first(press)) return;
    const target = this.activeTarget();
    if (target?.editing()) {
      target.handle(press);
      return;
    }
    if (target?.handle(press)) return;
    for (const layer of this.place.after) if (layer(press)) return;
  };

  /** Whether a text field of the active target takes every key now. */
  editing = (): boolean => this.activeTarget()?.editing() ?? false;

  add(id: string, target: KeyTarget): () => void {
    this.targets.get(id)?.unsubscribe();
    const unsubscribe = target.subscribe?.(() => this.changed()) ?? (() => {});
    this.targets.set(id, { target, unsubscribe });
    this.changed();
    return () => {
      if (this.targets.get(id)?.target !== target) return;
      unsubscribe();
      this.targets.delete(id);
      this.changed();
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private activeTarget(): KeyTarget | undefined {
    const id = this.place.active();
    return id === null ? undefined : this.targets.get(id)?.target;
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
