import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_HOST, DEFAULT_LOG_SIZE, DEFAULT_PORT, type Config } from './config.js';
import { defaultDataFile } from './store/index.js';
import { SERVICE_ACCOUNT, usernameProblem } from './broker/accounts.js';

/** A mistake in how the program was started: one sentence for stderr, exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** `smart-home-tui users ...`: change the broker's accounts in the data file. */
export type UsersCommand =
  | {
      kind: 'users';
      action: 'add';
      username: string;
      admin: boolean;
      dataFile: string;
      /** From SMART_HOME_TUI_PASSWORD; undefined = ask on the terminal. */
      password?: string;
    }
  | { kind: 'users'; action: 'remove'; username: string; dataFile: string }
  | { kind: 'users'; action: 'list'; dataFile: string };

export type ParsedArgs =
  | { kind: 'run'; config: Config }
  | UsersCommand
  | { kind: 'exit'; code: number; output: string; toStderr: boolean };

/** What a `users` subcommand asked for, before the data file and password are added. */
type UsersRequest = { action: 'add'; username: string; admin: boolean } | { action: 'remove'; username: string } | { action: 'list' };

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

const MAX_FLEET = 10_000;

function parseFleet(value: string): number {
  const count = Number(value);
  if (!/^\d+$/.test(value.trim()) || count > MAX_FLEET) {
    throw new InvalidArgumentError(`--fleet must be a number of smart objects from 0 to ${MAX_FLEET}, not "${value}".`);
  }
  return count;
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

/** The `users` subcommands; each tells `chosen` what was asked. */
function addUsersCommands(program: Command, chosen: (request: UsersRequest) => void): void {
  const users = program
    .command('users')
    .description('manage the accounts clients log in to the embedded broker with (used with --auth)')
    .helpOption('-h, --help', 'show this help and exit');
  users
    .command('add <name>')
    .description(`add an account, or change its password (password from ${ENV_PREFIX}PASSWORD, or asked on the terminal)`)
    .option('--admin', 'the account may read and write every topic')
    .helpOption('-h, --help', 'show this help and exit')
    .action((name: string, opts: { admin?: boolean }) => chosen({ action: 'add', username: name, admin: opts.admin ?? false }));
  users
    .command('remove <name>')
    .description('remove an account')
    .helpOption('-h, --help', 'show this help and exit')
    .action((name: string) => chosen({ action: 'remove', username: name }));
  users
    .command('list')
    .description('list the accounts and which are admins')
    .helpOption('-h, --help', 'show this help and exit')
    .action(() => chosen({ action: 'list' }));
}

export function buildProgram(chosen: (request: UsersRequest) => void = () => {}): Command {
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
    .addOption(new Option('--auth', `clients must log in with an account (see "users add"; env ${ENV_PREFIX}AUTH=1)`))
    .addOption(
      new Option('--acl <file>', 'topic rules in mosquitto acl_file syntax instead of the default /iot/user/<name>/# policy').env(
        `${ENV_PREFIX}ACL`,
      ),
    )
    .addOption(
      new Option('--student', `for classrooms: also accept user student with password student, implies --auth (env ${ENV_PREFIX}STUDENT=1)`),
    )
    .addOption(
      new Option('--fleet <n>', `also run N simulated smart objects (fleet00001...), each its own MQTT client, at 1 Hz (up to ${MAX_FLEET})`)
        .env(`${ENV_PREFIX}FLEET`)
        .argParser(parseFleet),
    )
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    // The home itself runs when no subcommand is given.
    .action(() => {});
  addUsersCommands(program, chosen);
  return program;
}

/** Turns argv and the environment into a Config, or into what to print and the exit code. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedArgs {
  let request: UsersRequest | undefined;
  const program = buildProgram((r) => (request = r));
  let stdout = '';
  let stderr = '';
  const output = {
    writeOut: (text: string) => {
      stdout += text;
    },
    writeErr: (text: string) => {
      stderr += text;
    },
    outputError: (text: string, write: (text: string) => void) => write(text.replace(/^error: /, 'smart-home-tui: ')),
  };
  const everyCommand = (command: Command): Command[] => [command, ...command.commands.flatMap(everyCommand)];
  for (const command of everyCommand(program)) command.configureOutput(output).exitOverride();
  const savedEnv = process.env;
  try {
    // commander reads option values from process.env; let callers (tests) pass their own.
    process.env = env;
    program.parse(argv, { from: 'node' });
  } catch (error) {
    if (error instanceof CommanderError) {
      const ok = error.exitCode === 0;
      // `users` alone prints its help as the error: keep its lines.
      if (!ok && error.code === 'commander.help') return { kind: 'exit', code: 2, output: stderr, toStderr: true };
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
    auth?: boolean;
    acl?: string;
    student?: boolean;
    fleet?: number;
  }>();
  try {
    if (request) return usersCommand(request, opts.data, env);
    const flag = (name: 'headless' | 'json' | 'resetData' | 'auth' | 'student', envName: string): boolean =>
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
      auth: flag('auth', 'AUTH'),
      aclFile: opts.acl,
      student: flag('student', 'STUDENT'),
      ...(opts.fleet ? { fleet: opts.fleet } : {}),
    };
    if (config.json && !config.headless) {
      throw new UsageError('--json only applies to the headless log; add --headless.');
    }
    if (config.brokerUrl && (config.auth || config.student || config.aclFile !== undefined)) {
      throw new UsageError('--auth, --acl and --student set up the embedded broker; with --broker, set up logins on that broker instead.');
    }
    return { kind: 'run', config };
  } catch (error) {
    if (error instanceof UsageError) {
      return { kind: 'exit', code: error.exitCode, output: `smart-home-tui: ${error.message}\n`, toStderr: true };
    }
    throw error;
  }
}

function usersCommand(request: UsersRequest, dataFile: string, env: NodeJS.ProcessEnv): UsersCommand {
  if (request.action === 'list') return { kind: 'users', action: 'list', dataFile };
  const problem = usernameProblem(request.username);
  if (problem) throw new UsageError(problem);
  if (request.action === 'remove') return { kind: 'users', action: 'remove', username: request.username, dataFile };
  if (request.username === SERVICE_ACCOUNT) {
    throw new UsageError(`${SERVICE_ACCOUNT} is the home's own devices' account and gets a new password at every start; choose another name.`);
  }
  const password = env[`${ENV_PREFIX}PASSWORD`];
  if (password === '') {
    throw new UsageError(`${ENV_PREFIX}PASSWORD is empty; set it to the password, or unset it to be asked on the terminal.`);
  }
  return { kind: 'users', action: 'add', username: request.username, admin: request.admin, dataFile, ...(password === undefined ? {} : { password }) };
}

/** Commander sometimes adds a second line (a suggestion); keep the message readable but short. */
function oneLine(text: string): string {
  const lines = text.trim().split('\n').filter((line) => line.trim() !== '');
  return `${lines.join(' ')}\n`;
}
