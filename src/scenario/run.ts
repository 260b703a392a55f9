/**
 * A scenario run: the whole home (broker, store, devices) on a fast clock, a client of its own
 * that hears every topic and publishes for the file, and the steps on the timeline.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Config } from '../config.js';
import { DEFAULT_LOG_SIZE } from '../config.js';
import { startRuntime, type Runtime } from '../runtime.js';
import { FastClock } from '../sim/clock.js';
import { dropConnection, restoreConnection, uniqueClientId } from '../sim/connection.js';
import { HomeError } from '../sim/errors.js';
import type { HomeDefaults } from '../sim/defaults.js';
import { carPassage, epochSecondsOf, topics, userRoster } from '../wire/index.js';
import { checkExpectation, Heard, type Seen } from './expectations.js';
import { secondsText, stepLengthMs, type BadPayloadKind, type Scenario, type Step, type Verb } from './steps.js';

export interface ScenarioRunOptions {
  speed: number;
  /** An outside broker for the home; undefined = the embedded one on a free port. */
  brokerUrl?: string;
  dataFile: string;
  defaults: HomeDefaults;
  /** Each step as it starts, e.g. for a progress line. */
  onStep?: (step: Step, done: number, total: number) => void;
  /** Every message the scenario's client hears, at its scenario time. */
  onMessage?: (message: Seen) => void;
}

export interface StepResult {
  step: number;
  line: number;
  atMs: number;
  verb: Verb;
  ok: boolean;
  failure?: string;
}

export interface ScenarioResult {
  name: string;
  passed: boolean;
  speed: number;
  /** Scenario time the run covered, and the wall time it took. */
  homeMs: number;
  wallMs: number;
  steps: StepResult[];
  failures: string[];
}

/** How long an arrive or leave waits, in wall time, for the home to know the person. */
const KNOWN_WITHIN_MS = 10_000;
/** When the list has not shown a person this long, the door locker itself is asked. */
const ASK_DOOR_AFTER_MS = 1000;

const BAD_PAYLOADS: Record<BadPayloadKind, Buffer> = {
  'not-json': Buffer.from('{"oops":'),
  'wrong-types': Buffer.from(JSON.stringify({ timestamp: 'now', value: 'warm', user_name: 7, temperature: 'hot' })),
  oversize: Buffer.alloc(1024 * 1024, 'a'),
  binary: Buffer.from([0x00, 0xff, 0x10, 0x80, 0x7f, 0x01]),
  'invalid-utf8': Buffer.from([0x7b, 0xc3, 0x28, 0x7d]),
};

export async function runScenario(scenario: Scenario, options: ScenarioRunOptions): Promise<ScenarioResult> {
  const clock = new FastClock(options.speed);
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    dataFile: options.dataFile,
    ...(options.brokerUrl ? { brokerUrl: options.brokerUrl } : {}),
    headless: true,
    json: false,
    resetData: false,
    logSize: DEFAULT_LOG_SIZE,
    auth: false,
    student: false,
  };
  const wallStart = Date.now();
  const runtime = await startRuntime(config, { defaults: options.defaults, ...scenarioHooks(scenario, clock) });
  try {
    return await runScenarioOn(scenario, runtime, clock, options, wallStart);
  } finally {
    await runtime.stop();
    clock.stop();
  }
}

/** What the runtime needs for a scenario's home: its clock, its seed, its car park. */
export function scenarioHooks(scenario: Scenario, clock: FastClock) {
  return { clock, seed: scenario.seed, carsPerHour: scenario.carsPerHour };
}

/** Runs the steps on a home already started with scenarioHooks (the UI's `--scenario`); starts the clock. */
export async function runScenarioOn(
  scenario: Scenario,
  runtime: Runtime,
  clock: FastClock,
  options: Pick<ScenarioRunOptions, 'onStep' | 'onMessage'>,
  wallStart = Date.now(),
): Promise<ScenarioResult> {
  const heard = new Heard();
  let client: MqttClient | undefined;
  try {
    client = await mqtt.connectAsync(runtime.brokerUrl, { clientId: uniqueClientId('scenario'), reconnectPeriod: 200, connectTimeout: 5000, ...runtime.login }, false);
    client.on('error', () => {});
    // The clock stands still until it starts, so the retained messages heard at once are at 0.
    let originMs = clock.now();
    const nowMs = () => clock.now() - originMs;
    client.on('message', (topic, payload) => {
      const message = { topic, payload, atMs: Math.max(0, nowMs()) };
      heard.add(message);
      options.onMessage?.(message);
    });
    await client.subscribeAsync('#', { qos: 1 });
    clock.start();
    originMs = clock.now();

    const results: StepResult[] = [];
    const running: Array<Promise<void>> = [];
    let done = 0;
    for (const step of scenario.steps) {
      await sleep(clock, step.atMs - nowMs());
      options.onStep?.(step, done, scenario.steps.length);
      const result: StepResult = { step: step.index, line: step.line, atMs: step.atMs, verb: step.verb, ok: true };
      results.push(result);
      const fail = (failure: string | undefined) => {
        if (failure !== undefined) Object.assign(result, { ok: false, failure });
        done++;
      };
      const work = perform(step, { runtime, client, heard, clock, nowMs })
        .then(fail)
        .catch((error: unknown) => fail(`${where(step)}: ${describeVerb(step)} failed: ${error instanceof Error ? error.message : String(error)}`));
      // Expectations, cars and waits run beside the timeline; everything else is done before the next step.
      if (step.verb === 'expect' || step.verb === 'cars' || step.verb === 'wait') running.push(work);
      else await work;
    }
    await Promise.all(running);
    const homeMs = Math.max(nowMs(), ...scenario.steps.map((step) => step.atMs + stepLengthMs(step)));
    const failures = results.flatMap((result) => (result.failure === undefined ? [] : [result.failure]));
    return { name: scenario.name, passed: failures.length === 0, speed: clock.speed, homeMs, wallMs: Date.now() - wallStart, steps: results, failures };
  } finally {
    await client?.endAsync(true).catch(() => undefined);
  }
}

interface StepContext {
  runtime: Runtime;
  client: MqttClient;
  heard: Heard;
  clock: FastClock;
  nowMs: () => number;
}

const where = (step: Step) => `step ${step.index} (line ${step.line}, at ${secondsText(step.atMs)})`;

function describeVerb(step: Step): string {
  switch (step.verb) {
    case 'arrive':
    case 'leave':
      return `${step.verb} ${step.name}`;
    case 'offline':
    case 'online':
      return `${step.verb} ${step.device}`;
    case 'register':
      return `register ${step.name}`;
    case 'switch':
      return `switch ${step.device} ${step.to}`;
    default:
      return step.verb;
  }
}

/** Does one step; resolves to the failure sentence, or undefined when it went as the file says. */
async function perform(step: Step, ctx: StepContext): Promise<string | undefined> {
  const { runtime, client } = ctx;
  switch (step.verb) {
    case 'publish':
      await client.publishAsync(step.topic, step.payload, { qos: step.qos, retain: step.retain });
      return undefined;
    case 'bad-payload':
      await client.publishAsync(step.topic, BAD_PAYLOADS[step.kind], { qos: 1 });
      return undefined;
    case 'expect':
      return checkExpectation(step, ctx.heard, ctx.clock, ctx.nowMs);
    case 'register':
      await runtime.actions.register(step.name, step.celsius);
      return undefined;
    case 'arrive':
    case 'leave':
      return pass(step.name, step.verb === 'arrive', ctx, step);
    case 'switch':
      await runtime.actions.switchObject(step.device, step.to);
      return undefined;
    case 'offline':
    case 'online': {
      const changed = step.verb === 'offline' ? dropConnection(step.device) : restoreConnection(step.device);
      if (changed > 0) return undefined;
      return `${where(step)}: ${describeVerb(step)} changed nothing: no device of the home called ${step.device} is ${step.verb === 'offline' ? 'online' : 'offline'} (names: thermostat, door-locker, controller, registration, switch, carpark, the smart objects' ids).`;
    }
    case 'restart':
      if (!runtime.restartBroker) return `${where(step)}: restart needs the embedded broker; this run uses ${runtime.brokerUrl}.`;
      await runtime.restartBroker();
      return undefined;
    case 'cars':
      for (let car = 0; car < step.count; car++) {
        if (car > 0) await sleep(ctx.clock, step.atMs + car * step.everyMs - ctx.nowMs());
        const passage = carPassage.encode({ timestamp: epochSecondsOf(ctx.clock.now()), temperatureC: 12 });
        const topic = step.passage === 'entry' ? topics.carparkEntry(step.lot) : topics.carparkExit(step.lot);
        await client.publishAsync(topic, passage, { qos: 1 });
      }
      return undefined;
    case 'wait':
      await sleep(ctx.clock, step.atMs + step.forMs - ctx.nowMs());
      return undefined;
  }
}

/** A person passes the door to be home (or away); nothing happens when they already are. */
async function pass(name: string, home: boolean, ctx: StepContext, step: Step): Promise<string | undefined> {
  // The door locker learns of a person from the broker a moment after registration; its retained
  // roster says when it has, and whether they are in.
  const giveUpAt = Date.now() + KNOWN_WITHIN_MS;
  const askDoorAt = Date.now() + ASK_DOOR_AFTER_MS;
  for (;;) {
    const roster = ctx.heard.latest.get(topics.userRoster);
    const parsed = roster ? userRoster.parse(roster.payload) : undefined;
    const person = parsed?.ok ? parsed.value.find((entry) => entry.userName === name) : undefined;
    if (person?.isHome === home) return undefined;
    if (person || (home && Date.now() > askDoorAt)) {
      // A person the list does not show yet is away, if the door locker knows them at all.
      try {
        await ctx.runtime.actions.toggle(name);
        return undefined;
      } catch (error) {
        if (person || !(error instanceof HomeError)) throw error;
      }
    }
    if (Date.now() > giveUpAt) return `${where(step)}: ${describeVerb(step)} failed: nobody called ${name} is registered.`;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function sleep(clock: FastClock, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
