/** The home's shipped defaults (data/home.json): roster, default temperatures, model constants. */
import { z } from 'zod';
import { readHomeDefaultsFile, HOME_DEFAULTS_FILE } from './defaults-file.js';
import { HomeError } from './errors.js';
import { isTopicLevel, PREFERENCE_CELSIUS, READING_CELSIUS } from '../wire/index.js';

const positive = z.number().positive();
// The wire's ranges: a default the codecs would refuse could never be published.
const celsius = z.number().min(READING_CELSIUS.min).max(READING_CELSIUS.max);
const setpoint = z.number().min(PREFERENCE_CELSIUS.min).max(PREFERENCE_CELSIUS.max);
const topicLevel = z.string().refine(isTopicLevel, 'must be one topic level without / + #');

const homeDefaultsSchema = z.object({
  thermostat: z.object({
    defaultSetpoint: setpoint,
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

export { HOME_DEFAULTS_FILE };

/** Validates defaults given as JSON; a bad value is one sentence naming where it is. */
export function parseHomeDefaults(json: unknown, source = 'home defaults'): HomeDefaults {
  const checked = homeDefaultsSchema.safeParse(json);
  if (checked.success) return checked.data;
  const issue = checked.error.issues[0];
  const where = issue?.path.join('.') || 'the top level';
  throw new HomeError(`${source}: ${where} ${issue?.message ?? 'is wrong'}.`);
}

export function loadHomeDefaults(file: string | URL = HOME_DEFAULTS_FILE): HomeDefaults {
  const { json, source } = readHomeDefaultsFile(file);
  return parseHomeDefaults(json, source);
}
