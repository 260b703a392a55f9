import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBinary, STACK_TRACE, tempDir } from './fixtures/binary.js';
import { parseScenario } from '../src/scenario/parse.js';
import { runScenario } from '../src/scenario/run.js';
import type { Seen } from '../src/scenario/expectations.js';
import { loadHomeDefaults, type HomeDefaults } from '../src/sim/defaults.js';

function scenarioFile(text: string): string {
  const file = join(tempDir(), 'scenario.yaml');
  writeFileSync(file, text);
  return file;
}

describe('scenario FILE.yaml through the built program', () => {
  it('passes the over-heating example at x10: exit 0, and --json says every step held', { timeout: 40_000 }, async () => {
    const run = await runBinary(['scenario', 'data/scenarios/over-heating.yaml', '--speed', '10', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { name: string; passed: boolean; steps: Array<{ ok: boolean; verb: string }>; failures: string[] };
    expect(result).toMatchObject({ name: 'over-heating', passed: true, failures: [] });
    expect(result.steps.filter((step) => step.verb === 'expect')).toHaveLength(9);
    expect(result.steps.every((step) => step.ok)).toBe(true);
  });

  it('fails with exit 1 and one sentence per failed expectation naming step, topic and what came instead', { timeout: 30_000 }, async () => {
    const file = scenarioFile(`name: wrong
steps:
  - at: 0s
    publish: { topic: sensor/temperature, payload: "30.5" }
  - at: 1s
    expect: { topic: sensor/temperature, payload: "31", within: 2s }
  - expect: { topic: sensor/temperature, payload: "30.5", within: 2s }
  - expect: { topic: smart_home/thermostat/state, json: { setpoint: 15 } }
  - at: 2s
    register: { name: eve, celsius: 23 }
  - arrive: eve
  - expect: { topic: smart_home/thermostat/state, json: { for_user: eve }, not: true, within: 5s }
`);
    const run = await runBinary(['scenario', file, '--speed', '5']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines, run.stdout).toHaveLength(3);
    expect(lines[0]).toBe('step 2 (line 5, at 1s): sensor/temperature did not carry "31" within 2s; the last message was 30.5.');
    expect(lines[1]).toMatch(/^step 7 \(line 12, at 2s\): smart_home\/thermostat\/state got \{"setpoint":23,"for_user":"eve".* in, and should not have within 5s\.$/);
    expect(lines[2]).toMatch(/^wrong: FAILED, 2 of 7 steps went wrong, 2 of 4 expectations held/);
  });

  it('names the line and the reason of a malformed file, exit 2, before anything runs', async () => {
    const file = scenarioFile('name: broken\nsteps:\n  - at: 1s\n    wait: 1s\n  - at: 2s\n    switch: { device: device001, to: MAYBE }\n');
    const run = await runBinary(['scenario', file]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.stderr).toBe(`smart-home-tui: ${file} line 6: switch's to must be ON or OFF.\n`);
  });
});

describe('the fast clock keeps what the models do', () => {
  // A quicker smart object, so a whole over-heating cycle fits in a few seconds at x1.
  const base = loadHomeDefaults();
  const defaults: HomeDefaults = {
    ...base,
    smartObjects: { ...base.smartObjects, heatingTimeConstantSeconds: 4, coolingTimeConstantSeconds: 3, overHeatingAbove: 30, startTemperature: 22 },
    controller: { switchOffAbove: 32, switchOnAfterSeconds: 3 },
  };
  const story = parseScenario(`name: cycle
seed: 7
steps:
  - at: 0s
    register: { name: alice, celsius: 21.5 }
  - at: 1s
    arrive: alice
  - at: 15s
    wait: 1s
`);

  async function observe(speed: number) {
    const seen: Seen[] = [];
    const result = await runScenario(story, { speed, dataFile: join(tempDir(), 'home.json'), defaults, onMessage: (message) => seen.push(message) });
    expect(result.failures.join('\n')).toBe('');
    const json = (message: Seen) => JSON.parse(message.payload.toString()) as Record<string, unknown>;
    const events = seen.filter((m) => m.topic === 'device/device001/event').map((m) => ({ atMs: m.atMs, type: json(m).event_type, value: json(m).event_value as number }));
    const actions = seen.filter((m) => m.topic === 'device/device001/action/switch').map((m) => ({ atMs: m.atMs, value: json(m).action_value }));
    const states = seen.filter((m) => m.topic === 'smart_home/thermostat/state' && m.atMs > 0).map(json);
    // The room while heating, by home seconds since the heater came on. When alice's arrival crosses
    // the broker depends on how busy the machine is (a tenth of a wall second is a home second at x10),
    // so the runs are lined up on the heater's start, stamped by the thermostat's own clock.
    const start = states.find((state) => state.heating === true)!;
    const heating = states
      .filter((state) => state.heating === true && (state.timestamp as number) >= (start.timestamp as number))
      .map((state) => ({ second: (state.timestamp as number) - (start.timestamp as number), room: state.room_temperature as number }));
    return { events, actions, setpoint: states.at(-1)!.setpoint, heating };
  }

  /** The room `second` home seconds into heating, between the two states around it. */
  function roomAt(heating: Array<{ second: number; room: number }>, second: number): number | undefined {
    const after = heating.findIndex((point) => point.second >= second);
    if (after < 0) return undefined;
    const b = heating[after]!;
    if (b.second === second || after === 0) return b.second === second ? b.room : undefined;
    const a = heating[after - 1]!;
    return a.room + ((b.room - a.room) * (second - a.second)) / (b.second - a.second);
  }

  it('x10 gives the setpoint, the over-heating events and the controller answers of x1, within the model noise', { timeout: 60_000 }, async () => {
    const [slow, fast] = await Promise.all([observe(1), observe(10)]);
    expect(slow.setpoint).toBe(21.5);
    expect(fast.setpoint).toBe(slow.setpoint);
    // The runs end a moment apart in home time: the one cycle cut at the end may be in one and not the other.
    const common = <T,>(a: T[], b: T[]) => Math.min(a.length, b.length);
    const events = common(slow.events, fast.events);
    const actions = common(slow.actions, fast.actions);
    expect(events).toBeGreaterThanOrEqual(2);
    expect(actions).toBeGreaterThanOrEqual(4);
    expect(Math.abs(slow.actions.length - fast.actions.length)).toBeLessThanOrEqual(1);
    expect(fast.actions.slice(0, actions).map((action) => action.value)).toEqual(slow.actions.slice(0, actions).map((action) => action.value));
    expect(fast.actions.slice(0, 4).map((action) => action.value)).toEqual(['OFF', 'ON', 'OFF', 'ON']);
    // Up to the first crossing only the model and its seeded noise decide: the same tick, the same value.
    expect(fast.events[0]!.value).toBeCloseTo(slow.events[0]!.value, 2);
    for (const [i, event] of slow.events.slice(0, events).entries()) {
      expect(fast.events[i]!.type).toBe(event.type);
      // Later the controller's answer may land a tick apart, and one tick heats this model by up to 3.3 °C.
      expect(Math.abs(fast.events[i]!.value - event.value)).toBeLessThan(3.5);
      expect(Math.abs(fast.events[i]!.atMs - event.atMs)).toBeLessThanOrEqual(2000);
    }
    // The room follows the same curve at both speeds: no tick lost or doubled.
    const compared = fast.heating.filter((point) => roomAt(slow.heating, point.second) !== undefined);
    expect(compared.at(-1)?.second ?? 0).toBeGreaterThanOrEqual(3);
    expect(fast.heating.at(-1)!.room).toBeGreaterThan(fast.heating[0]!.room);
    for (const point of compared) expect(Math.abs(point.room - roomAt(slow.heating, point.second)!)).toBeLessThan(0.05);
  });
});
