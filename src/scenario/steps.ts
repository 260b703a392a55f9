/** What a scenario file says, once read and checked: its steps, each with its time and source line. */

export type BadPayloadKind = 'not-json' | 'wrong-types' | 'oversize' | 'binary' | 'invalid-utf8';
export const BAD_PAYLOAD_KINDS: readonly BadPayloadKind[] = ['not-json', 'wrong-types', 'oversize', 'binary', 'invalid-utf8'];

export type StepAction =
  | { verb: 'publish'; topic: string; payload: string; qos: 0 | 1 | 2; retain: boolean }
  | { verb: 'expect'; topic: string; payload?: string; json?: unknown; withinMs: number; not: boolean }
  | { verb: 'register'; name: string; celsius: number }
  | { verb: 'arrive' | 'leave'; name: string }
  | { verb: 'switch'; device: string; to: 'ON' | 'OFF' }
  | { verb: 'offline' | 'online'; device: string }
  | { verb: 'restart'; what: 'broker' }
  | { verb: 'bad-payload'; topic: string; kind: BadPayloadKind }
  | { verb: 'cars'; lot: string; passage: 'entry' | 'exit'; count: number; everyMs: number }
  | { verb: 'wait'; forMs: number };

export type Verb = StepAction['verb'];

export type Step = StepAction & {
  /** 1-based place in the file's list of steps. */
  index: number;
  /** Line of the step in the file. */
  line: number;
  /** Scenario time the step starts at, in ms. */
  atMs: number;
};

export interface Scenario {
  name: string;
  /** Seed of the devices' noise: the same seed, the same temperatures. */
  seed: number;
  /** Cars per hour the car park's sensors let through by themselves; 0 = only the scenario's cars. */
  carsPerHour: number;
  /** Steps in time order (steps at the same time in file order). */
  steps: Step[];
}

/** A malformed scenario file: where and why, for one sentence and exit code 2. */
export class ScenarioFileError extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/** How long a step keeps the scenario running after it starts. */
export function stepLengthMs(step: Step): number {
  if (step.verb === 'expect') return step.withinMs;
  if (step.verb === 'wait') return step.forMs;
  if (step.verb === 'cars') return step.count * step.everyMs;
  return 0;
}

/** 90000 -> "90s", 1500 -> "1.5s". */
export function secondsText(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}
