/** The home's shipped defaults (data/home.json): roster, default temperatures, model constants. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { HomeError } from './errors.js';
import { isTopicLevel } from '../wire/index.js';

const positive = z.number().positive();
const celsius = z.number().min(-50).max(100);
const topicLevel = z.string().refine(isTopicLevel, 'must be one topic level without / + #');

const homeDefaultsSchema = z.object({
  thermostat: z.object({
    defaultSetpoint: celsius,
    outdoorTemperature: celsius,
    heatingTimeConstantSeconds: positive,
    driftTimeConstantSeconds: positive,
    hysteresis: z.number().min(0).max(10),
    statePeriodSeconds: positive,
  }),
  smartObjects: z.object({
    roster: z.array(topicLevel),
    producer: z.string(),
    softwareVersion: z.string(),
    startTemperature: celsius,
    ambientTemperature: celsius,
    heaterTemperature: celsius,
    heatingTimeConstantSeconds: positive,
    coolingTimeConstantSeconds: positive,
    noise: z.number().min(0).max(5),
    overHeatingAbove: celsius,
  }),
  controller: z.object({
    switchOffAbove: celsius,
    switchOnAfterSeconds: positive,
  }),
  carPark: z.object({
    lots: z.array(z.object({ id: topicLevel, capacity: z.number().int().min(1) })).min(1),
  }),
});

export type HomeDefaults = z.infer<typeof homeDefaultsSchema>;
export type ThermostatDefaults = HomeDefaults['thermostat'];
export type SmartObjectDefaults = HomeDefaults['smartObjects'];
export type ControllerDefaults = HomeDefaults['controller'];

/** The file shipped with the package; the same relative path holds from src/sim and dist/sim. */
export const HOME_DEFAULTS_FILE = new URL('../../data/home.json', import.meta.url);

/** Validates defaults given as JSON; a bad value is one sentence naming where it is. */
export function parseHomeDefaults(json: unknown, source = 'home defaults'): HomeDefaults {
  const checked = homeDefaultsSchema.safeParse(json);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0];
  const where = issue?.path.join('.') || 'the top level';
  throw new HomeError(`${source}: ${where} ${issue?.message ?? 'is wrong'}.`);
}

export function loadHomeDefaults(file: string | URL = HOME_DEFAULTS_FILE): HomeDefaults {
  const source = typeof file === 'string' ? file : file.pathname;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new HomeError(`Cannot read ${source}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new HomeError(`${source} is not valid JSON.`);
  }
  return parseHomeDefaults(json, source);
}
