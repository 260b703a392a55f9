import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadHomeDefaults, parseHomeDefaults } from '../src/sim/defaults.js';
import { readHomeDefaultsFile, setpointInFile } from '../src/sim/defaults-file.js';
import { HomeError } from '../src/sim/errors.js';

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function fileWith(text: string): string {
  dir = mkdtempSync(join(tmpdir(), 'home-defaults-'));
  const file = join(dir, 'home.json');
  writeFileSync(file, text);
  return file;
}

describe('home defaults', () => {
  it('ships a 15 °C default, device001 and a 130-space main lot', () => {
    const defaults = loadHomeDefaults();
    expect(defaults.thermostat.defaultSetpoint).toBe(15);
    expect(defaults.smartObjects.roster).toEqual(['device001']);
    expect(defaults.carPark.lots).toEqual([{ id: 'main', capacity: 130 }]);
    expect(defaults.controller).toEqual({ switchOffAbove: 37, switchOnAfterSeconds: 10 });
  });

  it('names what is wrong in a bad file in one sentence', () => {
    const shipped = loadHomeDefaults();
    const bad = { ...shipped, smartObjects: { ...shipped.smartObjects, roster: ['device/001'] } };
    const file = fileWith(JSON.stringify(bad));
    expect(() => loadHomeDefaults(file)).toThrow(HomeError);
    expect(() => loadHomeDefaults(file)).toThrow(`${file}: smartObjects.roster.0 must be one topic level without / + #.`);
    expect(() => loadHomeDefaults(fileWith('{ not json'))).toThrow(/is not valid JSON\.$/);
    expect(() => loadHomeDefaults('/nonexistent/home.json')).toThrow('Cannot read /nonexistent/home.json: ENOENT.');
  });
});

describe('the first frame\'s setpoint, read before the file is checked', () => {
  it('is the shipped default setpoint', () => {
    expect(setpointInFile(readHomeDefaultsFile().json)).toBe(15);
  });

  it('is given only where the check accepts the setpoint, so a bad one is said before the screen is taken', () => {
    const shipped = readHomeDefaultsFile().json as { thermostat: Record<string, unknown> };
    const withSetpoint = (defaultSetpoint: unknown) => ({ ...shipped, thermostat: { ...shipped.thermostat, defaultSetpoint } });
    for (let tenths = -1000; tenths <= 1000; tenths += 5) {
      const json = withSetpoint(tenths / 10);
      const accepted = (() => {
        try {
          parseHomeDefaults(json);
          return true;
        } catch {
          return false;
        }
      })();
      expect(setpointInFile(json) !== undefined, `setpoint ${tenths / 10}`).toBe(accepted);
    }
    for (const odd of ['21', null, undefined, Number.NaN, Infinity]) expect(setpointInFile(withSetpoint(odd))).toBeUndefined();
    expect(setpointInFile(null)).toBeUndefined();
    expect(setpointInFile([])).toBeUndefined();
  });
});
