/** The car park's payloads: passages, the sign, refusals. */
import { z } from 'zod';
import {
  celsiusIn,
  epochSeconds,
  jsonCodec,
  OBJECT,
  ok,
  says,
  type Codec,
} from './codec.js';
import { READING_CELSIUS } from './ranges.js';
export interface CarPassage {
  /** Epoch seconds. */
  timestamp: number;
  /** The sensor's temperature in °C. */
  temperatureC: number;
}

export const carPassage: Codec<CarPassage> = jsonCodec(
  z.object({ timestamp: epochSeconds, temperatureC: celsiusIn('temperatureC', READING_CELSIUS) }, OBJECT),
  (wire) => ok({ timestamp: wire.timestamp, temperatureC: wire.temperatureC }),
  (p) => ({ timestamp: p.timestamp, temperatureC: Math.round(p.temperatureC * 10) / 10 }),
);

export interface CarparkDisplay {
  /** "HH:MM". */
  time: string;
  spaces: number;
  full: boolean;
  temperatureC: number | null;
}

export const carparkDisplay: Codec<CarparkDisplay> = jsonCodec(
  z.object(
    {
      time: z.string(says('time', 'a string')).regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must be HH:MM'),
      spaces: z.number(says('spaces', 'a number')).int('spaces must be a whole number').min(0, 'spaces must not be negative'),
      full: z.boolean(says('full', 'true or false')),
      temperatureC: celsiusIn('temperatureC', READING_CELSIUS).nullable(),
    },
    OBJECT,
  ),
  (wire) => ok({ time: wire.time, spaces: wire.spaces, full: wire.full, temperatureC: wire.temperatureC }),
  (d) => ({ time: d.time, spaces: d.spaces, full: d.full, temperatureC: d.temperatureC }),
);

export interface CarparkRefusal {
  /** Epoch seconds. */
  timestamp: number;
  passage: 'entry' | 'exit';
  /** Why it was not counted: the lot was full (entry) or already empty (exit). */
  reason: 'full' | 'empty';
  spaces: number;
}

/** `{"timestamp":..,"passage":"entry","reason":"full","spaces":0}`. */
export const carparkRefusal: Codec<CarparkRefusal> = jsonCodec(
  z.object(
    {
      timestamp: epochSeconds,
      passage: z.enum(['entry', 'exit'], says('passage', '"entry" or "exit"')),
      reason: z.enum(['full', 'empty'], says('reason', '"full" or "empty"')),
      spaces: z.number(says('spaces', 'a number')).int('spaces must be a whole number').min(0, 'spaces must not be negative'),
    },
    OBJECT,
  ),
  (wire) => ok({ timestamp: wire.timestamp, passage: wire.passage, reason: wire.reason, spaces: wire.spaces }),
  (r) => ({ timestamp: r.timestamp, passage: r.passage, reason: r.reason, spaces: r.spaces }),
);

/** The car-park sign's clock: "HH:MM" in the machine's time zone. */
export function signTime(epochMs: number): string {
  const date = new Date(epochMs);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}
