/**
 * Reading data/home.json, apart from checking it (defaults.ts, with zod): the terminal's first
 * frame needs only the file's default setpoint, and loading the checker took longer than drawing.
 */
import { readFileSync } from 'node:fs';
import { HomeError } from './errors.js';
import { inRange, PREFERENCE_CELSIUS } from '../wire/ranges.js';

/** The file shipped with the package; the same relative path holds from src/sim and dist/sim. */
export const HOME_DEFAULTS_FILE = new URL('../../data/home.json', import.meta.url);

export interface HomeDefaultsFile {
  /** The file's JSON, not checked yet. */
  json: unknown;
  /** The file, as a sentence about it names it. */
  source: string;
}

/** The file's JSON; a file that cannot be read or is not JSON is one sentence (a HomeError). */
export function readHomeDefaultsFile(file: string | URL = HOME_DEFAULTS_FILE): HomeDefaultsFile {
  const source = typeof file === 'string' ? file : file.pathname;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new HomeError(`Cannot read ${source}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
  }
  try {
    return { json: JSON.parse(text), source };
  } catch {
    throw new HomeError(`${source} is not valid JSON.`);
  }
}

/** The thermostat's default setpoint as the file gives it, if it is one the check will accept; else undefined. */
export function setpointInFile(json: unknown): number | undefined {
  const thermostat = (json as { thermostat?: { defaultSetpoint?: unknown } } | null)?.thermostat;
  const setpoint = thermostat?.defaultSetpoint;
  return typeof setpoint === 'number' && inRange(setpoint, PREFERENCE_CELSIUS) ? setpoint : undefined;
}
