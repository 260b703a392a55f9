import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, seededRandom } from '../src/sim/clock.js';
import { loadHomeDefaults } from '../src/sim/defaults.js';
import { startHome, type Home } from '../src/sim/home.js';
import { startCarpark, type Carpark, type CarparkSlice } from '../src/sim/carpark/index.js';
import { startHomeAssistant, type HomeAssistantLink } from '../src/sim/home-assistant/index.js';
import { memorySlice, memorySlices } from '../src/sim/slice-store.js';
import { haTopics, thermostatState, topics, userRecord } from '../src/wire/index.js';
import { startBareBroker, type BareBroker } from './fixtures/bare-broker.js';
import { MiniHomeAssistant, pythonFloat } from './fixtures/mini-ha.js';
import { Watcher } from './fixtures/watch.js';

const defaults = loadHomeDefaults();
const HOME = 'smart_home_tui';
const id = (part: string) => `${HOME}_${part}`;

let broker: BareBroker;
let clock: ManualClock;
let home: Home;
let carpark: Carpark;
let watcher: Watcher;
let ha: MiniHomeAssistant;
const bridges: HomeAssistantLink[] = [];

async function startBridge(fleet = 0, prefix = 'homeassistant'): Promise<HomeAssistantLink> {
  const bridge = await startHomeAssistant({ url: broker.url, prefix, defaults, fleet });
  bridges.push(bridge);
  return bridge;
}

beforeEach(async () => {
  broker = await startBareBroker();
  clock = new ManualClock();
  watcher = await Watcher.connect(broker.url);
  home = await startHome({ url: broker.url, clock, random: seededRandom(3), slices: memorySlices(), defaults });
  carpark = await startCarpark({ url: broker.url, clock, defaults, slice: memorySlice<CarparkSlice>({}), carsPerHour: 0 });
  await startBridge();
  // HA comes after the home, as when it is pointed at a running one: it learns it from retained configs.
  ha = await MiniHomeAssistant.connect(broker.url);
  await ha.until(() => ha.entities.has(id('thermostat')), 'the home in HA');
});

afterEach(async () => {
  await ha.close();
  for (const bridge of bridges.splice(0)) await bridge.stop();
  await carpark.stop();
  await home.stop();
  await watcher.close();
  await broker.close();
});

/** Registers through the registration app and waits until HA has the person. */
async function register(name: string, temperature: number): Promise<void> {
  await home.actions.register(name, temperature);
  await ha.until(() => ha.entities.has(id(`presence_${name}`)), `${name} in HA`);
}

const shownAs = (uniqueId: string, match: Record<string, unknown>) =>
  ha.until(() => {
    const shown = ha.shown(uniqueId);
    return shown !== undefined && Object.entries(match).every(([key, value]) => (shown as Record<string, unknown>)[key] === value) && shown;
  }, `${uniqueId} shown as ${JSON.stringify(match)}`);

describe('Home Assistant discovery', () => {
  it('shows the home as one device whose configs pass HA’s schemas, with the same unique ids after a restart', async () => {
    await register('alice', 21.5);
    const config = ha.configs.get(HOME)!;
    expect(config.problems).toEqual([]);
    expect(config.device).toMatchObject({ identifiers: [HOME], name: 'Smart home', manufacturer: 'smart-home-tui' });
    expect(ha.configMessages[0]).toEqual({ nodeId: HOME, retain: true, empty: false });
    const table = [...ha.entities.values()].map((e) => `${e.platform} ${String(e.config['name'])} -> ${String(e.config['default_entity_id'])}`).sort();
    expect(table).toEqual([
      'binary_sensor Car park main full -> binary_sensor.smart_home_car_park_main_full',
      'binary_sensor device001 over-heating -> binary_sensor.smart_home_device001_over_heating',
      'climate Thermostat -> climate.smart_home_thermostat',
      'device_tracker alice -> device_tracker.smart_home_alice',
      'sensor Car park main free spaces -> sensor.smart_home_car_park_main_free_spaces',
      'sensor People at home -> sensor.smart_home_people_at_home',
      'sensor device001 temperature -> sensor.smart_home_device001_temperature',
      'switch device001 -> switch.smart_home_device001',
    ]);

    const before = [...ha.entities.keys()].sort();
    for (const bridge of bridges.splice(0)) await bridge.stop();
    const mark = ha.configMessages.length;
    await startBridge();
    await ha.birth();
    await ha.until(() => ha.configMessages.length > mark, 'the restarted home’s config');
    expect(ha.configs.get(HOME)!.problems).toEqual([]);
    expect([...ha.entities.keys()].sort()).toEqual(before);
    // Nobody was withdrawn and added again on the way: the restarted bridge waited for the people.
    expect(ha.removals).toEqual([]);
  });

  it('gives every entity a value HA can show, and follows the home', async () => {
    await register('alice', 21.5);
    clock.advance(1000); // the smart object's first second of telemetry
    await shownAs(id('thermostat'), { state: 'heat', current_temperature: 15, temperature: 15, hvac_action: 'idle' });
    await shownAs(id('presence_alice'), { state: 'not_home' });
    await shownAs(id('people_home'), { state: 0 });
    await shownAs(id('device001_switch'), { state: 'on' });
    const temperature = await shownAs(id('device001_temperature'), { available: true });
    expect(temperature['state']).toBeGreaterThan(20);
    await shownAs(id('device001_over_heating'), { state: 'off' });
    await shownAs(id('carpark_main_spaces'), { state: 130 });
    await shownAs(id('carpark_main_full'), { state: 'off' });

    await home.actions.toggle('alice');
    await shownAs(id('presence_alice'), { state: 'home' });
    await shownAs(id('people_home'), { state: 1 });
    await shownAs(id('thermostat'), { temperature: 21.5 });
    clock.advance(1000); // the thermostat decides to heat on its next second
    await shownAs(id('thermostat'), { hvac_action: 'heating' });
  });
});

describe('Home Assistant commands cross the broker as the home’s own messages', () => {
  it('a target temperature is the registration app’s record for the person the thermostat follows', async () => {
    await register('alice', 21.5);
    await home.actions.toggle('alice');
    await shownAs(id('thermostat'), { temperature: 21.5 });
    const mark = watcher.mark();
    await ha.command(id('thermostat'), 'temperature_command_topic', pythonFloat(23.5));
    const sent = await watcher.waitFor((m) => m.topic === topics.userData, 'the user_data record', mark);
    expect(sent.text).toBe(userRecord.encode({ appInfo: '1', userName: 'alice', temperature: 23.5, isHome: false }));
    await shownAs(id('thermostat'), { temperature: 23.5 });
  });

  it('with nobody home, a target temperature becomes the default setpoint, kept retained', async () => {
    await ha.command(id('thermostat'), 'temperature_command_topic', pythonFloat(18));
    await shownAs(id('thermostat'), { temperature: 18 });
    const late = await Watcher.connect(broker.url, [haTopics.thermostatDefaultSetpoint]);
    try {
      const kept = await late.waitFor((m) => m.topic === haTopics.thermostatDefaultSetpoint, 'the retained default setpoint');
      expect(kept).toMatchObject({ text: '18', retain: true });
    } finally {
      await late.close();
    }
    expect(watcher.count((m) => m.topic === topics.userData)).toBe(0);
  });

  it('a temperature HA should not send changes nothing', async () => {
    const mark = watcher.mark();
    await ha.command(id('thermostat'), 'temperature_command_topic', '40.0');
    await ha.command(id('thermostat'), 'temperature_command_topic', 'warm');
    await ha.command(id('thermostat'), 'temperature_command_topic', pythonFloat(16));
    await shownAs(id('thermostat'), { temperature: 16 });
    expect(watcher.seen.slice(mark).filter((m) => m.topic === haTopics.thermostatDefaultSetpoint).map((m) => m.text)).toEqual(['16']);
  });

  it('mode off stops the heating; heat starts it again', async () => {
    await register('alice', 25);
    await home.actions.toggle('alice');
    await shownAs(id('thermostat'), { temperature: 25 });
    clock.advance(1000);
    await shownAs(id('thermostat'), { hvac_action: 'heating' });
    await ha.command(id('thermostat'), 'mode_command_topic', 'off');
    await shownAs(id('thermostat'), { state: 'off', hvac_action: 'off' });
    const off = await watcher.waitFor((m) => m.topic === topics.thermostatState && thermostatState.parse(m.text).ok && m.text.includes('"mode":"off"'), 'state off');
    expect(thermostatState.parse(off.text)).toMatchObject({ ok: true, value: { heating: false, mode: 'off' } });
    // Off stays off while the room cools: the state it publishes every five seconds says so.
    const mark = watcher.mark();
    clock.advance(5000);
    const later = await watcher.waitFor((m) => m.topic === topics.thermostatState, 'the periodic state', mark);
    expect(thermostatState.parse(later.text)).toMatchObject({ ok: true, value: { heating: false, mode: 'off' } });
    await ha.command(id('thermostat'), 'mode_command_topic', 'heat');
    await shownAs(id('thermostat'), { state: 'heat' });
    clock.advance(1000);
    await shownAs(id('thermostat'), { hvac_action: 'heating' });
  });

  it('the switch publishes the ActionDescriptor on device/<id>/action/switch and the object obeys', async () => {
    await shownAs(id('device001_switch'), { state: 'on' });
    const mark = watcher.mark();
    await ha.command(id('device001_switch'), 'command_topic', 'OFF');
    const action = await watcher.waitFor((m) => m.topic === topics.switchAction('device001'), 'the action', mark);
    expect(action).toMatchObject({ text: '{"action_type":"SWITCH","action_value":"OFF"}', qos: 1 });
    await shownAs(id('device001_switch'), { state: 'off' });
    await ha.command(id('device001_switch'), 'command_topic', 'ON');
    await shownAs(id('device001_switch'), { state: 'on' });
  });
});

describe('Home Assistant’s birth, availability and removals', () => {
  it('publishes the configs again when HA says it is online', async () => {
    await ha.until(() => ha.configs.has(HOME), 'the retained config');
    const mark = ha.configMessages.length;
    await ha.birth();
    const again = await ha.until(() => ha.configMessages.slice(mark).find((m) => m.nodeId === HOME), 'the config again');
    expect(again).toEqual({ nodeId: HOME, retain: false, empty: false });
  });

  it('shows a device unavailable when its client drops without DISCONNECT, and available when it is back', async () => {
    await shownAs(id('thermostat'), { available: true });
    const clients = broker.broker as unknown as { clients: Record<string, { conn: { destroy(): void } }> };
    const thermostatId = Object.keys(clients.clients).find((clientId) => clientId.startsWith('sht-thermostat-'))!;
    clients.clients[thermostatId]!.conn.destroy();
    await shownAs(id('thermostat'), { available: false });
    expect(ha.shown(id('device001_switch'))).toMatchObject({ available: true });
    // mqtt.js reconnects after a second and the thermostat says it is online again.
    await shownAs(id('thermostat'), { available: true });
  });

  it('shows a device unavailable when it stops cleanly, and available when it starts again', async () => {
    await shownAs(id('device001_switch'), { available: true });
    await carpark.stop();
    await shownAs(id('carpark_main_spaces'), { available: false });
    carpark = await startCarpark({ url: broker.url, clock, defaults, slice: memorySlice<CarparkSlice>({}), carsPerHour: 0 });
    await shownAs(id('carpark_main_spaces'), { available: true });
  });

  it('removes a deleted person’s entity and clears their presence', async () => {
    await register('bob', 19);
    await shownAs(id('presence_bob'), { state: 'not_home' });
    const mark = watcher.mark();
    await home.actions.remove('bob');
    await ha.until(() => !ha.entities.has(id('presence_bob')), 'bob removed');
    expect(ha.configs.get(HOME)!.removed).toEqual(['presence_bob']);
    expect(ha.configs.get(HOME)!.problems).toEqual([]);
    const cleared = await watcher.waitFor((m) => m.topic === haTopics.presence('bob'), 'bob’s presence cleared', mark);
    expect(cleared.text).toBe('');
  });

  it('withdraws a person deleted while the bridge was down, once it is back', async () => {
    await register('carol', 20);
    await shownAs(id('presence_carol'), { state: 'not_home' });
    for (const bridge of bridges.splice(0)) await bridge.stop();
    await home.actions.remove('carol');
    const mark = watcher.mark();
    await startBridge();
    await ha.until(() => !ha.entities.has(id('presence_carol')), 'carol withdrawn');
    const cleared = await watcher.waitFor((m) => m.topic === haTopics.presence('carol'), 'carol’s presence cleared', mark);
    expect(cleared.text).toBe('');
    expect(ha.configs.get(HOME)!.problems).toEqual([]);
  });

  it('gives each fleet object a device of its own, and withdraws those of an earlier, larger fleet', async () => {
    const stale = `homeassistant/device/${HOME}_fleet00009/config`;
    await watcher.publish(stale, '{"dev":{"ids":["x"]},"o":{"name":"x"},"cmps":{}}', { qos: 1, retain: true });
    await ha.until(() => ha.configs.has(`${HOME}_fleet00009`), 'the retained config of an old fleet object');
    for (const bridge of bridges.splice(0)) await bridge.stop();

    const larger = await startBridge(2);
    await ha.until(() => !ha.configs.has(`${HOME}_fleet00009`), 'the old retained config cleared');
    const fleet = await ha.until(() => ha.configs.has(`${HOME}_fleet00002`) && ha.configs.get(`${HOME}_fleet00001`), 'the fleet objects’ configs');
    expect(fleet.problems).toEqual([]);
    expect(fleet.device).toMatchObject({ identifiers: [`${HOME}_fleet00001`], name: 'fleet00001', via_device: HOME });
    expect(fleet.components.map((c) => c.platform).sort()).toEqual(['binary_sensor', 'sensor', 'switch']);
    await larger.stop();
    bridges.splice(bridges.indexOf(larger), 1);

    await startBridge(1);
    await ha.until(() => !ha.configs.has(`${HOME}_fleet00002`), 'fleet00002 withdrawn');
    expect(ha.entities.has(id('fleet00002_switch'))).toBe(false);
    expect(ha.entities.has(id('fleet00001_switch'))).toBe(true);
    // Not retained: HA gets them again with its birth message.
    const mark = ha.configMessages.length;
    await ha.birth();
    await ha.until(() => ha.configMessages.slice(mark).some((m) => m.nodeId === `${HOME}_fleet00001` && !m.empty), 'fleet00001 after the birth');
  });

  it('uses another discovery prefix when told, and hears HA’s birth on its default topic or under the prefix', async () => {
    const other = await MiniHomeAssistant.connect(broker.url, 'lab/ha');
    try {
      await startBridge(0, 'lab/ha');
      const config = await other.until(() => other.configs.get(HOME), 'the config under lab/ha');
      expect(config.problems).toEqual([]);
      for (const birth of ['homeassistant/status', 'lab/ha/status']) {
        const mark = other.configMessages.length;
        await other.birth(birth);
        await other.until(() => other.configMessages.slice(mark).some((m) => m.nodeId === HOME && !m.retain), `the config again after ${birth}`);
      }
    } finally {
      await other.close();
    }
  });
});
