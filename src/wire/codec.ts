/**
 * What every payload codec shares: results, the size and UTF-8 checks, JSON and text codecs with
 * people-worded messages, and the small value rules (decimals, names, topic levels, UUIDs).
 */
import { z } from 'zod';
import { rangeText, type Range } from './ranges.js';
export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface Codec<T> {
  /** Never throws: a bad payload gives `{ok: false, reason}` with a short sentence. */
  parse(payload: Buffer | Uint8Array | string): ParseResult<T>;
  encode(value: T): string;
}

/** Larger payloads are refused before decoding so a flood of junk costs little. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export const ok = <T>(value: T): ParseResult<T> => ({ ok: true, value });
export const fail = <T>(reason: string): ParseResult<T> => ({ ok: false, reason });

/** Payload bytes to text: size limit first, then strict UTF-8. */
export function payloadText(payload: Buffer | Uint8Array | string): ParseResult<string> {
  if (typeof payload === 'string') {
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) return fail('payload larger than 64 KiB');
    return ok(payload);
  }
  if (payload.byteLength > MAX_PAYLOAD_BYTES) return fail('payload larger than 64 KiB');
  try {
    return ok(utf8.decode(payload));
  } catch {
    return fail('not valid UTF-8');
  }
}

export function parseJson(payload: Buffer | Uint8Array | string): ParseResult<unknown> {
  const text = payloadText(payload);
  if (!text.ok) return text;
  try {
    return ok(JSON.parse(text.value) as unknown);
  } catch {
    return fail('not JSON');
  }
}

/** A JSON codec whose shape is a zod schema with people-worded messages. */
export function jsonCodec<S extends z.ZodType, T>(
  schema: S,
  fromWire: (wire: z.output<S>) => ParseResult<T>,
  toWire: (value: T) => unknown,
): Codec<T> {
  return {
    parse(payload) {
      const json = parseJson(payload);
      if (!json.ok) return json;
      const checked = schema.safeParse(json.value);
      if (!checked.success) return fail(checked.error.issues[0]?.message ?? 'payload has the wrong shape');
      return fromWire(checked.data);
    },
    encode: (value) => JSON.stringify(toWire(value)),
  };
}

/** A text codec: the payload is one value written as text. */
export function textCodec<T>(fromText: (text: string) => ParseResult<T>, toText: (value: T) => string): Codec<T> {
  return {
    parse(payload) {
      const text = payloadText(payload);
      return text.ok ? fromText(text.value) : text;
    },
    encode: toText,
  };
}

/** zod error option: "x is missing" when absent, "x must be <what>" otherwise. */
export const says = (name: string, what: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? `${name} is missing` : `${name} must be ${what}`),
});

export const OBJECT = { error: 'payload must be a JSON object' };

export const DECIMAL = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

export const finite = (name: string) => z.number(says(name, 'a number')).finite(`${name} must be a finite number`);

/** A temperature in °C as a JSON number, inside one of the home's ranges. */
export const celsiusIn = (name: string, range: Range) =>
  finite(name)
    .min(range.min, `${name} must be ${rangeText(range)}`)
    .max(range.max, `${name} must be ${rangeText(range)}`);

/** A temperature in °C written as a decimal string (the thermostat app's way), inside a range. */
export const celsiusTextIn = (name: string, range: Range) =>
  z
    .string(says(name, 'a string'))
    .regex(DECIMAL, `${name} is not a number`)
    .refine((text) => {
      const value = Number(text);
      return Number.isFinite(value) && value >= range.min && value <= range.max;
    }, `${name} must be ${rangeText(range)}`);
export const epochSeconds = z.number(says('timestamp', 'a number of seconds')).int('timestamp must be whole seconds');
export const onOff = (name: string) => z.enum(['ON', 'OFF'], says(name, '"ON" or "OFF"'));

/** Temperatures as the original apps write them: Python's str(float), "21.5" or "19.0". */
export function formatTemperature(celsius: number): string {
  const rounded = Math.round(celsius * 100) / 100;
  return Number.isInteger(rounded) ? rounded.toFixed(1) : String(rounded);
}

/** Epoch seconds, as the course's descriptors carry them. */
export const epochSecondsOf = (ms: number): number => Math.floor(ms / 1000);

/** One topic level: not empty, no separators or wildcards. */
export function isTopicLevel(text: string): boolean {
  return text.length > 0 && text.length <= 128 && !/[/+#\u0000]/.test(text);
}

export const UUID_LENGTH = 36;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
