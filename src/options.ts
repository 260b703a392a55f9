import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_HOST, DEFAULT_LOG_SIZE, DEFAULT_PORT, type Config } from './config.js';
import { defaultDataFile } from './store/index.js';

/** A mistake in how the program was started: one sentence for stderr, exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

export type ParsedArgs =
  | { kind: 'run'; config: Config }
  | { kind: 'exit'; code: number; output: string; toStderr: boolean };

const ENV_PREFIX = 'SMART_HOME_TUI_';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function parsePort(flag: string, allowZero: boolean) {
  return (value: string): number => {
    const port = Number(value);
    if (!/^\d+$/.test(value.trim()) || port > 65535 || (!allowZero && port === 0)) {
      throw new InvalidArgumentError(`${flag} must be a port number between ${allowZero ? 0 : 1} and 65535, not "${value}".`);
    }
    return port;
  };
}

function parseBrokerUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`--broker must be a URL such as mqtt://localhost:1883, not "${value}".`);
  }
  if (!['mqtt:', 'tcp:', 'ws:', 'wss:', 'mqtts:'].includes(url.protocol)) {
    throw new InvalidArgumentError(`--broker must start with mqtt://, mqtts://, ws:// or wss://, not "${url.protocol}//".`);
  }
  return value;
}

function parseHost(value: string): string {
  if (value.trim() === '' || /\s/.test(value)) {
    throw new InvalidArgumentError(`--host must be an address such as 127.0.0.1, not "${value}".`);
  }
  return value;
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off', '']);

/** Boolean flags also come from the environment; "0"/"false" must mean off. */
function envBoolean(name: string, env: NodeJS.ProcessEnv): boolean | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new UsageError(`${name} must be 1 or 0 (or true/false), not "${raw}".`);
}

export function buildProgram(): Command {
  const program = new Command('smart-home-tui')
    .description('A whole MQTT smart home in your terminal: broker, devices, store and UI.')
    .version(packageVersion(), '-v, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show this help and exit')
    .addOption(
      new Option('-p, --port <port>', 'TCP port of the embedded MQTT broker')
        .default(DEFAULT_PORT)
        .env(`${ENV_PREFIX}PORT`)
        .argParser(parsePort('--port', true)),
    )
    .addOption(
      new Option('--host <address>', 'address the embedded broker listens on')
        .default(DEFAULT_HOST)
        .env(`${ENV_PREFIX}HOST`)
        .argParser(parseHost),
    )
    .addOption(
      new Option('--ws-port <port>', 'also serve MQTT over WebSocket on this port (off by default)')
        .env(`${ENV_PREFIX}WS_PORT`)
        .argParser(parsePort('--ws-port', true)),
    )
    .addOption(
      new Option('--data <file>', 'the JSON file the home is kept in').default(defaultDataFile(), 'in your data directory').env(`${ENV_PREFIX}DATA`),
    )
    .addOption(
      new Option('--broker <url>', 'use this MQTT broker instead of starting the embedded one')
        .env(`${ENV_PREFIX}BROKER`)
        .argParser(parseBrokerUrl),
    )
    .addOption(new Option('--headless', `run without the UI and print the broker log (env ${ENV_PREFIX}HEADLESS=1)`))
    .addOption(new Option('--json', `with --headless, print the log as NDJSON (env ${ENV_PREFIX}JSON=1)`))
    .addOption(
      new Option('--reset-data', `move the data file aside (home.json.bak-<time>) and start fresh (env ${ENV_PREFIX}RESET_DATA=1)`),
    )
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    .exitOverride();
  return program;
}

/** Turns argv and the environment into a Config, or into what to print and the exit code. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedArgs {
  const program = buildProgram();
  let stdout = '';
  let stderr = '';
  program.configureOutput({
    writeOut: (text) => {
      stdout += text;
    },
    writeErr: (text) => {
      stderr += text;
    },
    outputError: (text, write) => write(text.replace(/^error: /, 'smart-home-tui: ')),
  });
  const savedEnv = process.env;
  try {
    // commander reads option values from process.env; let callers (tests) pass their own.
    process.env = env;
    program.parse(argv, { from: 'node' });
  } catch (error) {
    if (error instanceof CommanderError) {
      const ok = error.exitCode === 0;
      return { kind: 'exit', code: ok ? 0 : 2, output: ok ? stdout : oneLine(stderr || error.message), toStderr: !ok };
    }
    throw error;
  } finally {
    process.env = savedEnv;
  }
  const opts = program.opts<{
    port: number;
    host: string;
    wsPort?: number;
    data: string;
    broker?: string;
    headless?: boolean;
    json?: boolean;
    resetData?: boolean;
  }>();
  try {
    const flag = (name: 'headless' | 'json' | 'resetData', envName: string): boolean =>
      opts[name] ?? envBoolean(`${ENV_PREFIX}${envName}`, env) ?? false;
    const config: Config = {
      port: opts.port,
      host: opts.host,
      wsPort: opts.wsPort,
      dataFile: opts.data,
      brokerUrl: opts.broker,
      headless: flag('headless', 'HEADLESS'),
      json: flag('json', 'JSON'),
      resetData: flag('resetData', 'RESET_DATA'),
      logSize: DEFAULT_LOG_SIZE,
    };
    if (config.json && !config.headless) {
      throw new UsageError('--json only applies to the headless log; add --headless.');
    }
    return { kind: 'run', config };
  } catch (error) {
    if (error instanceof UsageError) {
      return { kind: 'exit', code: error.exitCode, output: `smart-home-tui: ${error.message}\n`, toStderr: true };
    }
    throw error;
  }
}

/** Commander sometimes adds a second line (a suggestion); keep the message readable but short. */
function oneLine(text: string): string {
  const lines = text.trim().split('\n').filter((line) => line.trim() !== '');
  return `${lines.join(' ')}\n`;
}
