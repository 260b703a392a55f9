import { z } from 'zod';

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

const doorLockerUser = z.object({
  temperature: z.string(),
  isHome: z.boolean(),
});

const smartObject = z.object({
  switch: z.enum(['ON', 'OFF']),
  temperature: z.number(),
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
      users: z.record(z.string(), doorLockerUser).default({}),
    })
    .prefault({}),
  thermostat: z
    .object({
      /** People at home, in arrival order. */
      queue: z.array(z.string()).default([]),
      /** Preferred temperature per person, as the decimal string they sent. */
      users: z.record(z.string(), z.string()).default({}),
      roomTemperature: z.number().nullable().default(null),
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
