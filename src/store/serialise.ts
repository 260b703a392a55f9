import { randomBytes } from 'node:crypto';
import type { HomeData } from './schema.js';

/**
 * The data file's text. Retained messages are most of it (a fleet keeps thousands) and change a
 * few at a time; each is a new object when it changes, never changed in place, so its text is
 * kept with it and only new messages are turned into JSON on a write.
 */
const messageText = new WeakMap<object, string>();

/** Stands in for the retained list while the rest is turned into JSON; no topic or name holds it. */
const PLACE = `\u0000retained-${randomBytes(8).toString('hex')}\u0000`;
const PLACE_JSON = JSON.stringify(PLACE);

function textOf(message: object): string {
  let text = messageText.get(message);
  if (text === undefined) {
    text = JSON.stringify(message);
    messageText.set(message, text);
  }
  return text;
}

/** The whole home as the file holds it: indented, one retained message a line. */
export function serialiseHome(home: HomeData): string {
  const { retained, ...broker } = home.broker;
  const rest = JSON.stringify({ ...home, broker: { ...broker, retained: PLACE } }, null, 2);
  const list = retained.length === 0 ? '[]' : `[\n      ${retained.map(textOf).join(',\n      ')}\n    ]`;
  return `${rest.replace(PLACE_JSON, () => list)}\n`;
}
