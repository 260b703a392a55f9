import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadHomeDefaults } from '../src/sim/defaults.js';
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
