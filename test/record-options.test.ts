import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/options.js';
import { parseScenario } from '../src/scenario/parse.js';
import { ScenarioFileError } from '../src/scenario/steps.js';

const run = (args: string[]) => parseArgs(['node', 'smart-home-tui', ...args], {});

describe('the record, replay and scenario flags', () => {
  it('--record and --record-max reach the config; --record with --broker is refused in one sentence', () => {
    expect(run(['--record', 'r.ndjson', '--record-max', '512KiB'])).toMatchObject({ kind: 'run', config: { record: { file: 'r.ndjson', maxBytes: 512 * 1024 } } });
    expect(run(['--record', 'r.ndjson'])).toMatchObject({ config: { record: { maxBytes: 64 * 1024 ** 2 } } });
    expect(run(['--broker', 'mqtt://127.0.0.1:1884', '--record', 'r.ndjson'])).toMatchObject({ kind: 'exit', code: 2, output: expect.stringMatching(/^smart-home-tui: --record records what the embedded broker routes/) });
    expect(run(['--record', 'r', '--record-max', '12'])).toMatchObject({ kind: 'exit', code: 2, output: expect.stringContaining('--record-max must be a size') });
  });

  it('replay takes its flags and the program\'s --broker and --port', () => {
    expect(run(['replay', 'r.ndjson', '--speed', '2.5', '--from', '90s', '--topics', 'a/#,b/+', '--loop', '--port', '18299'])).toEqual({
      kind: 'replay', file: 'r.ndjson', speed: 2.5, fromMs: 90_000, topics: ['a/#', 'b/+'], port: 18299, host: '127.0.0.1', loop: true,
    });
    expect(run(['replay', 'r.ndjson', '--speed', '0'])).toMatchObject({ kind: 'exit', code: 2, output: expect.stringContaining('--speed must be a number above 0') });
    expect(run(['replay', 'r.ndjson', '--topics', 'a/#/b'])).toMatchObject({ kind: 'exit', code: 2, output: expect.stringContaining('--topics must be MQTT topic filters') });
  });

  it('scenario takes --speed, --json, --broker; --scenario belongs to the UI', () => {
    expect(run(['scenario', 's.yaml', '--speed', '10', '--json'])).toEqual({ kind: 'scenario', file: 's.yaml', speed: 10, json: true });
    expect(run(['--scenario', 's.yaml'])).toMatchObject({ kind: 'run', config: { scenario: 's.yaml' } });
    expect(run(['--headless', '--scenario', 's.yaml'])).toMatchObject({ kind: 'exit', code: 2, output: expect.stringContaining('use "smart-home-tui scenario FILE"') });
  });
});

describe('a scenario file', () => {
  it('reads times, defaults and the order of steps', () => {
    const scenario = parseScenario('name: t\nsteps:\n  - at: 9m30s\n    wait: 500ms\n  - at: 2\n    expect: { topic: a/+ }\n  - leave: bob\n');
    expect(scenario).toMatchObject({ name: 't', seed: 1, carsPerHour: 0 });
    expect(scenario.steps.map((step) => [step.index, step.verb, step.atMs, step.line])).toEqual([
      [2, 'expect', 2000, 5],
      [3, 'leave', 2000, 7],
      [1, 'wait', 570_000, 3],
    ]);
    expect(scenario.steps[0]).toMatchObject({ withinMs: 5000, not: false });
  });

  it('names the line of what is wrong', () => {
    const wrong = (text: string) => {
      try {
        parseScenario(text);
      } catch (error) {
        if (error instanceof ScenarioFileError) return `${error.line}: ${error.reason}`;
        throw error;
      }
      return 'no error';
    };
    expect(wrong('steps:\n  - wait: 1s\n')).toBe('1: the scenario needs a name: (name: morning)');
    expect(wrong('name: x\nsteps:\n  - at: 1s\n    arrive: a\n    leave: a\n')).toMatch(/^3: step 1 must have exactly one of .* \(it has arrive and leave\)$/);
    expect(wrong('name: x\nsteps:\n  - at: 1s\n    publish: { topic: a, qos: 3 }\n')).toBe('4: qos must be 0, 1 or 2');
    expect(wrong('name: x\nsteps:\n  - cars: { enter: 0 }\n')).toBe('3: the number of cars must be a whole number from 1');
  });
});
