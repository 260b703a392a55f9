/**
 * The home's ranges, spelled once: codecs refuse a value outside them (a bad payload, never
 * state), and the store, the devices and the UI's forms check against the same numbers.
 */

export interface Range {
  min: number;
  max: number;
}

/** A person's preferred temperature, and so any setpoint the thermostat may hold. */
export const PREFERENCE_CELSIUS: Range = { min: 5, max: 35 };

/**
 * Any thermometer of the home: the room, the course's sensors, the smart object (its heater
 * reaches 45 °C), the car park's gate. Wider than any weather, far narrower than a typo.
 */
export const READING_CELSIUS: Range = { min: -50, max: 100 };

/** A user name: letters and digits, at most this many. */
export const USER_NAME_MAX_LENGTH = 64;
export const LETTERS_AND_DIGITS = /^[A-Za-z0-9]+$/;

export function inRange(value: number, range: Range): boolean {
  return Number.isFinite(value) && value >= range.min && value <= range.max;
}

/** "from 5 to 35 °C", for sentences. */
export function rangeText(range: Range): string {
  return `from ${range.min} to ${range.max} °C`;
}
