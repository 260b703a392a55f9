import { randomBytes } from 'node:crypto';
import type { HomeData } from './schema.js';

/**
 * The data file's text. Retained messages are most of it (a fleet keeps thousands) and change a
 * few at a time; each is a new object when it changes, never changed in place, so its text is
 * kept with it and only new messages are turned into JSON on a write.
 */

/** `toText` once per object: an object that is replaced, never changed, keeps its text. */
function keptText(toText: (value: object) => string): (value: object) => string {
  const kept = new WeakMap<object, string>();
  return (value) => {
    let text = kept.get(value);
    if (text === undefined) {
      text = toText(value);
      kept.set(value, text);
    }
    return text;
  };
}

/** Stands in for the retained list while the rest is turned into JSON; no topic or name holds it. */
const PLACE = `\u0000retained-${randomBytes(8).toString('hex')}\u0000`;
const PLACE_JSON = JSON.stringify(PLACE);

const textOf = keptText((message) => JSON.stringify(message));

/** Stands in for the smart objects the same way. */
const OBJECTS_PLACE = `\u0000objects-${randomBytes(8).toString('hex')}\u0000`;
const OBJECTS_PLACE_JSON = JSON.stringify(OBJECTS_PLACE);

/**
 * A smart object's state as it sits in the file, indented under `smartObjects`. A fleet keeps
 * thousands and each changes every few seconds, always as a new object, so its text is kept too.
 */
const indentedTextOf = keptText((state) => JSON.stringify(state, null, 2).replace(/\n/g, '\n    '));

function objectsText(objects: HomeData['smartObjects']): string {
  const entries = Object.entries(objects);
  if (entries.length === 0) return '{}';
  return `{\n    ${entries.map(([id, state]) => `${JSON.stringify(id)}: ${indentedTextOf(state)}`).join(',\n    ')}\n  }`;
}

/** The whole home as the file holds it: indented, one retained message a line. */
export function serialiseHome(home: HomeData): string {
  const { retained, ...broker } = home.broker;
  const rest = JSON.stringify({ ...home, smartObjects: OBJECTS_PLACE, broker: { ...broker, retained: PLACE } }, null, 2);
  const list = retained.length === 0 ? '[]' : `[\n      ${retained.map(textOf).join(',\n      ')}\n    ]`;
  return `${rest.replace(PLACE_JSON, () => list).replace(OBJECTS_PLACE_JSON, () => objectsText(home.smartObjects))}\n`;
}
