import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/options.js';
import { homeConfig } from '../src/sim/home-assistant/discovery.js';
import { checkDeviceConfig } from './fixtures/home-assistant-schema.js';

const parts = { people: ['alice'], smartObjects: ['device001'], lots: ['main'], version: '1.2.3' };
const config = () => homeConfig(parts) as unknown as { dev: Record<string, unknown>; o: Record<string, unknown>; cmps: Record<string, Record<string, unknown>> };

describe('the discovery check written from HA’s schemas', () => {
  it('passes the home’s config with every key expanded', () => {
    const result = checkDeviceConfig(JSON.stringify(config()));
    expect(result.problems).toEqual([]);
    const climate = result.components.find((c) => c.platform === 'climate')!.config;
    expect(climate).toMatchObject({ current_temperature_topic: 'smart_home/thermostat/state', temperature_unit: 'C', modes: ['heat', 'off'] });
    expect(climate['availability']).toEqual([{ topic: 'smart_home/home_assistant/availability' }, { topic: 'smart_home/thermostat/availability' }]);
  });

  it('finds what HA would refuse or silently lose', () => {
    const cases: Array<[string, (c: ReturnType<typeof config>) => void, RegExp]> = [
      ['no origin', (c) => delete (c as Partial<typeof c>).o, /origin/],
      ['no device identifier', (c) => delete c.dev['ids'], /identifying value/],
      ['no unique id', (c) => delete c.cmps['thermostat']!['uniq_id'], /unique_id is required/],
      ['a misspelt key', (c) => (c.cmps['people_home']!['stat_topic'] = 'x'), /stat_topic is not a key/],
      ['a wildcard in a command topic', (c) => (c.cmps['device001_switch']!['cmd_t'] = 'device/+/action/switch'), /command_topic must not contain wildcards/],
      ['a # inside a state topic', (c) => (c.cmps['device001_temperature']!['stat_t'] = 'device/#/x'), /state_topic has a #/],
      ['an HVAC mode HA has not', (c) => (c.cmps['thermostat']!['modes'] = ['heat', 'warm']), /modes must be one of/],
      ['a temperature sensor without its unit', (c) => delete c.cmps['device001_temperature']!['unit_of_meas'], /needs unit_of_measurement/],
      ['an entity id of another platform', (c) => (c.cmps['thermostat']!['default_entity_id'] = 'sensor.thermostat'), /not a climate entity id/],
      ['an unknown platform', (c) => (c.cmps['thermostat']!['p'] = 'thermostat'), /platform must be one of/],
      ['a template the test cannot render', (c) => (c.cmps['device001_temperature']!['val_tpl'] = '{{ value_json.value | float }}'), /cannot render/],
    ];
    for (const [what, spoil, problem] of cases) {
      const spoilt = config();
      spoil(spoilt);
      expect(checkDeviceConfig(JSON.stringify(spoilt)).problems.join('; '), what).toMatch(problem);
    }
  });

  it('takes a component sent with its platform only as a removal', () => {
    const gone = homeConfig({ ...parts, people: [] }, new Map([['presence_alice', 'device_tracker']]));
    const result = checkDeviceConfig(JSON.stringify(gone));
    expect(result.problems).toEqual([]);
    expect(result.removed).toEqual(['presence_alice']);
  });
});

describe('--ha-prefix and --no-ha', () => {
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => parseArgs(['node', 'smart-home-tui', ...args], env);

  it('announce the home under homeassistant unless told otherwise', () => {
    expect(run([])).toMatchObject({ kind: 'run', config: { homeAssistant: { prefix: 'homeassistant' } } });
    expect(run(['--ha-prefix', 'lab/ha'])).toMatchObject({ kind: 'run', config: { homeAssistant: { prefix: 'lab/ha' } } });
    expect(run([], { SMART_HOME_TUI_HA_PREFIX: 'ha2' })).toMatchObject({ kind: 'run', config: { homeAssistant: { prefix: 'ha2' } } });
  });

  it('turn it off with --no-ha or SMART_HOME_TUI_HA=0', () => {
    for (const parsed of [run(['--no-ha']), run([], { SMART_HOME_TUI_HA: '0' })]) {
      expect(parsed.kind).toBe('run');
      expect(parsed.kind === 'run' && parsed.config.homeAssistant).toBeUndefined();
    }
  });

  it('refuse a prefix HA cannot use, and a prefix with --no-ha, in one sentence', () => {
    for (const bad of ['home/#', '/homeassistant', 'a//b']) {
      const parsed = run(['--ha-prefix', bad]);
      expect(parsed).toMatchObject({ kind: 'exit', code: 2, toStderr: true });
      expect(parsed.kind === 'exit' && parsed.output.trim().split('\n')).toHaveLength(1);
    }
    expect(run(['--no-ha', '--ha-prefix', 'x'])).toMatchObject({ kind: 'exit', code: 2, output: 'smart-home-tui: --ha-prefix has no use with --no-ha; give one of them.\n' });
  });
});

describe('what Home Assistant may send is checked like every payload of the home', () => {
  it('names what is wrong with a setpoint or a mode, on the command topics and the thermostat’s own', async () => {
    const { checkPayload, haTopics } = await import('../src/wire/index.js');
    for (const topic of [haTopics.thermostatTargetCommand, haTopics.thermostatDefaultSetpoint]) {
      expect(checkPayload(topic, '21.5')).toBeNull();
      expect(checkPayload(topic, '36')).toBe('temperature must be from 5 to 35 °C');
      expect(checkPayload(topic, 'warm')).toBe('temperature is not a number');
    }
    for (const topic of [haTopics.thermostatModeCommand, haTopics.thermostatMode]) {
      expect(checkPayload(topic, 'off')).toBeNull();
      expect(checkPayload(topic, 'cool')).toBe('mode must be "heat" or "off"');
    }
  });
});
