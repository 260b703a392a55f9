/** `--record`/`--record-max`, and the `replay` and `scenario` subcommands with their flags. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { filterProblem } from './wire/topic-filter.js';
import { parseSize, UsageError } from './option-parsers.js';

export const DEFAULT_RECORD_MAX = 64 * 1024 ** 2;
const MAX_SPEED = 1000;

/** `smart-home-tui replay FILE`: a recording published again with its timing. */
export interface ReplayCommand {
  kind: 'replay';
  file: string;
  speed: number;
  /** Milliseconds into the recording to start at. */
  fromMs: number;
  /** Only messages on topics these filters match; undefined = all. */
  topics?: string[];
  /** An outside broker; undefined = a fresh embedded one on port and host. */
  brokerUrl?: string;
  port: number;
  host: string;
  loop: boolean;
}

/** `smart-home-tui scenario FILE.yaml`: the home run along a timeline and checked. */
export interface ScenarioCommand {
  kind: 'scenario';
  file: string;
  speed: number;
  brokerUrl?: string;
  json: boolean;
  /** The data file given with --data; undefined = a fresh one for the run. */
  dataFile?: string;
}

export type SubcommandRequest = { kind: 'replay'; file: string; opts: Record<string, unknown> } | { kind: 'scenario'; file: string; opts: Record<string, unknown> };

function parseSpeed(value: string): number {
  const speed = Number(value.trim().replace(/^x/i, ''));
  if (!(speed > 0 && speed <= MAX_SPEED)) throw new InvalidArgumentError(`--speed must be a number above 0 and up to ${MAX_SPEED} (2 = twice as fast), not "${value}".`);
  return speed;
}

/** A time into a recording or scenario: 1500, 1500ms, 30s, 2m, 1h. */
export function parseDuration(value: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min|h)?\s*$/i.exec(value);
  if (!match) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 }[(match[2] ?? 'ms').toLowerCase()]!;
  return Math.round(Number(match[1]) * unit);
}

function parseFrom(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError(`--from must be a time into the recording such as 90s, 2m or 1500 (milliseconds), not "${value}".`);
  return ms;
}

function parseTopics(value: string): string[] {
  const filters = value.split(',').map((filter) => filter.trim());
  for (const filter of filters) {
    const problem = filterProblem(filter);
    if (problem) throw new InvalidArgumentError(`--topics must be MQTT topic filters separated by commas; "${filter}": ${problem}`);
  }
  return filters;
}

export function addRecordOptions(program: Command, envPrefix: string): void {
  program
    .addOption(new Option('--record <file>', 'write every message the embedded broker routes to this file as NDJSON').env(`${envPrefix}RECORD`))
    .addOption(
      new Option('--record-max <size>', 'stop recording before the file passes this size (e.g. 512KiB, 64MiB)')
        .default(DEFAULT_RECORD_MAX, '64MiB')
        .env(`${envPrefix}RECORD_MAX`)
        .argParser(parseSize('--record-max', 1024, 256 * 1024 ** 2)),
    )
    .addOption(new Option('--scenario <file>', 'run this scenario (see the scenario command) in the UI, its progress in the status bar'));
}

/** `--scenario FILE` for the UI, or undefined. */
export function scenarioInUi(program: Command, headless: boolean): string | undefined {
  const file = program.getOptionValue('scenario') as string | undefined;
  if (file !== undefined && headless) throw new UsageError('--scenario runs a scenario inside the UI; without the UI, use "smart-home-tui scenario FILE".');
  return file;
}

/** The recording part of the config, or undefined without --record. */
export function recordConfig(program: Command, brokerUrl: string | undefined): { file: string; maxBytes: number } | undefined {
  const file = program.getOptionValue('record') as string | undefined;
  if (file === undefined) return undefined;
  if (brokerUrl) throw new UsageError('--record records what the embedded broker routes; with --broker, record on that broker instead.');
  return { file, maxBytes: program.getOptionValue('recordMax') as number };
}

/** The `replay` and `scenario` subcommands; each tells `chosen` what was asked. */
export function addRecordCommands(program: Command, chosen: (request: SubcommandRequest) => void): void {
  program
    .command('replay <file>')
    .description('publish a recording (--record) again with its timing, to a fresh embedded broker on --port/--host, or to the broker given with --broker')
    .addOption(new Option('--speed <x>', 'play X times faster (0.5 = half speed)').default(1).argParser(parseSpeed))
    .addOption(new Option('--from <time>', 'start this far into the recording (e.g. 90s, 2m)').default(0).argParser(parseFrom))
    .addOption(new Option('--topics <filters>', 'only messages on these topic filters, separated by commas (e.g. "sensor/#,smart_home/+")').argParser(parseTopics))
    .option('--loop', 'start again at the end, until stopped')
    .helpOption('-h, --help', 'show this help and exit')
    .action((file: string, opts: Record<string, unknown>) => chosen({ kind: 'replay', file, opts }));
  program
    .command('scenario <file>')
    .description('run the home along a YAML timeline and check what it publishes; exit 0 when every expectation holds (also takes --broker, --data, --json)')
    .addOption(new Option('--speed <x>', "run the devices' simulated time and the timeline X times faster").default(1).argParser(parseSpeed))
    .helpOption('-h, --help', 'show this help and exit')
    .action((file: string, opts: Record<string, unknown>) => chosen({ kind: 'scenario', file, opts }));
}

/** The subcommand with the program's own flags it shares (--broker, --port, --host, --json, --data). */
export function subcommandOf(request: SubcommandRequest, program: Command): ReplayCommand | ScenarioCommand {
  const global = program.opts<{ broker?: string; port: number; host: string; json?: boolean; data: string }>();
  if (request.kind === 'replay') {
    return {
      kind: 'replay',
      file: request.file,
      speed: request.opts.speed as number,
      fromMs: request.opts.from as number,
      ...(request.opts.topics ? { topics: request.opts.topics as string[] } : {}),
      ...(global.broker ? { brokerUrl: global.broker } : {}),
      port: global.port,
      host: global.host,
      loop: request.opts.loop === true,
    };
  }
  const dataGiven = (program.getOptionValueSource('data') ?? 'default') !== 'default';
  return {
    kind: 'scenario',
    file: request.file,
    speed: request.opts.speed as number,
    ...(global.broker ? { brokerUrl: global.broker } : {}),
    json: global.json === true,
    ...(dataGiven ? { dataFile: global.data } : {}),
  };
}
