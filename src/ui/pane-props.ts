import type { HomeActions, HomeViewSource } from '../sim/view-types.js';
import type { TopicSource } from '../wire/index.js';

/**
 * Runs one action and reports it in the footer; resolves false (never rejects) when it failed.
 * `what` names it for people: "register alice".
 */
export type Act = (what: string, run: (actions: HomeActions) => Promise<void>) => Promise<boolean>;

export interface PaneProps {
  /** The home's view; each pane reads only its slice of it, so a log burst re-renders the log alone. */
  home: HomeViewSource;
  width: number;
  height: number;
  focused: boolean;
  act: Act;
  /** The broker's topic index, from which the Broker log opens a message whole; undefined = not available. */
  topics?: TopicSource;
}

/** Lines inside a pane's border. */
export function innerHeight(height: number): number {
  return Math.max(0, height - 2);
}

/** Columns inside a pane's border and padding. */
export function innerWidth(width: number): number {
  return Math.max(0, width - 4);
}
