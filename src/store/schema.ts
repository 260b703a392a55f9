import { z } from 'zod';
import { inRange, isUserName, PREFERENCE_CELSIUS, rangeText, READING_CELSIUS, type Range } from '../wire/index.js';

/** The data version this program writes; files with a lower one are migrated on load. */
export const CURRENT_VERSION = 1;

const retainedMessage = z.object({
  topic: z.string().min(1),
  /** Raw payload bytes as base64, so binary payloads survive the round trip. */
  payload: z.base64(),
  qos: z.literal([0, 1, 2]),
});

const brokerAccount = z.object({
  username: z.string().min(1),
  /** A self-describing scrypt string (algorithm, parameters, salt, key). */
  hash: z.string().min(1),
  admin: z.boolean(),
});

// The wire's ranges hold for the file too: a value edited in by hand is refused like a bad payload.
const inside = (range: Range) => ({ error: `must be a number ${rangeText(range)}` });
const celsius = (range: Range) => z.number(inside(range)).refine((value) => inRange(value, range), inside(range));
const celsiusText = (range: Range) => z.string(inside(range)).refine((text) => text.trim() !== '' && inRange(Number(text), range), inside(range));
const userName = z.string().refine(isUserName, { error: 'must be a user name (letters and digits)' });

const doorLockerUser = z.object({
  temperature: celsiusText(PREFERENCE_CELSIUS),
  isHome: z.boolean(),
});

const smartObject = z.object({
  switch: z.enum(['ON', 'OFF']),
  temperature: celsius(READING_CELSIUS),
});

const carparkLot = z.object({
  free: z.number().int().min(0),
});

// prefault runs the default through the schema, so a missing slice gets every inner default.
export const homeSchema = z.object({
  version: z.literal(CURRENT_VERSION),
  broker: z
    .object({
      retained: z.array(retainedMessage).default([]),
      accounts: z.array(brokerAccount).default([]),
    })
    .prefault({}),
  doorLocker: z
    .object({
      users: z.record(userName, doorLockerUser).default({}),
    })
    .prefault({}),
  thermostat: z
    .object({
      /** People at home, in arrival order. */
      queue: z.array(userName).default([]),
      /** Preferred temperature per person, as the decimal string they sent. */
      users: z.record(userName, celsiusText(PREFERENCE_CELSIUS)).default({}),
      roomTemperature: celsius(READING_CELSIUS).nullable().default(null),
    })
    .prefault({}),
  smartObjects: z.record(z.string(), smartObject).default({}),
  carpark: z.record(z.string(), carparkLot).default({}),
});

export type HomeData = z.infer<typeof homeSchema>;

/** A new, empty home: what a fresh data file starts as. */
export function emptyHome(): HomeData {
  return homeSchema.parse({ version: CURRENT_VERSION });
}
