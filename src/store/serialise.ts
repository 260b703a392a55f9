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

/** Items done between two looks at the clock while the home is turned into text in slices. */
const CHECK_EVERY = 64;

/**
 * The home as the file holds it, a part at a time: it yields after every CHECK_EVERY smart objects
 * or retained messages. Everything it reads is taken before the first yield (the rest of the home
 * as JSON, the list of objects, a copy of the retained list), and objects and messages are
 * replaced, never changed in place, so the text is the home as it was when it began.
 */
function* homeText(home: HomeData): Generator<void, string> {
  const { retained, ...broker } = home.broker;
  const rest = JSON.stringify({ ...home, smartObjects: OBJECTS_PLACE, broker: { ...broker, retained: PLACE } }, null, 2);
  const objects = Object.entries(home.smartObjects);
  const messages = retained.slice();
  const objectTexts: string[] = [];
  for (const [id, state] of objects) {
    objectTexts.push(`${JSON.stringify(id)}: ${indentedTextOf(state)}`);
    if (objectTexts.length % CHECK_EVERY === 0) yield;
  }
  const messageTexts: string[] = [];
  for (const message of messages) {
    messageTexts.push(textOf(message));
    if (messageTexts.length % CHECK_EVERY === 0) yield;
  }
  const objectsText = objectTexts.length === 0 ? '{}' : `{\n    ${objectTexts.join(',\n    ')}\n  }`;
  const list = messageTexts.length === 0 ? '[]' : `[\n      ${messageTexts.join(',\n      ')}\n    ]`;
  return `${rest.replace(PLACE_JSON, () => list).replace(OBJECTS_PLACE_JSON, () => objectsText)}\n`;
}

/** The whole home as the file holds it: indented, one retained message a line. */
export function serialiseHome(home: HomeData): string {
  const parts = homeText(home);
  for (;;) {
    const step = parts.next();
    if (step.done) return step.value;
  }
}

/**
 * serialiseHome's text, made in slices of at most about sliceMs of the thread each, with a turn of
 * the event loop between them: a fleet's home is megabytes of text and tens of milliseconds of
 * work, which in one piece would hold up a key press for as long. busyMs is the work without the waits.
 */
export async function serialiseHomeInSlices(home: HomeData, sliceMs = 4): Promise<{ text: string; busyMs: number }> {
  const parts = homeText(home);
  let busyMs = 0;
  let sliceStart = performance.now();
  for (;;) {
    const step = parts.next();
    if (step.done) return { text: step.value, busyMs: busyMs + performance.now() - sliceStart };
    const ran = performance.now() - sliceStart;
    if (ran >= sliceMs) {
      busyMs += ran;
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
}
