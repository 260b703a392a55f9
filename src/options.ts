import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { envBoolean, parseBrokerUrl, parseHost, parseMilliseconds, parsePort, parseSize, parseWhole, UsageError } from './option-parsers.js';

export { UsageError } from './option-parsers.js';
import { DEFAULT_HOST, DEFAULT_LOG_SIZE, DEFAULT_PORT, type Config } from './config.js';
import { defaultDataFile } from './store/data-file.js';
import { SERVICE_ACCOUNT, usernameProblem } from './broker/accounts.js';
import { defaultBrokerLimits, MAX_PACKET_SIZE, MAX_TOPIC_DEPTH, MIN_PACKET_SIZE, type BrokerLimits } from './broker/limits.js';
import { addHomeAssistantOptions, homeAssistantConfig } from './home-assistant-options.js';
import { addRecordCommands, addRecordOptions, recordConfig, scenarioInUi, subcommandOf, type ReplayCommand, type ScenarioCommand, type SubcommandRequest } from './record-options.js';
import { addFleetOptions, fleetConfig } from './fleet-options.js';

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
  | ReplayCommand
  | ScenarioCommand
  | { kind: 'exit'; code: number; output: string; toStderr: boolean };

/** What a `users` subcommand asked for, before the data file and password are added. */
type UsersRequest = { action: 'add'; username: string; admin: boolean } | { action: 'remove'; username: string } | { action: 'list' };

const ENV_PREFIX = 'SMART_HOME_TUI_';

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** The embedded broker's limits: flag, environment name, parser and help line for each. */
const LIMIT_FLAGS: Array<{ key: keyof BrokerLimits; flag: string; env: string; help: string; shown: string; parse: (value: string) => number }> = [
  {
    key: 'maxPacketSize',
    flag: '--max-packet-size <bytes>',
    env: 'MAX_PACKET_SIZE',
    help: 'largest MQTT packet a client may send (e.g. 65536, 512KiB, 4MiB); a bigger one closes its connection',
    shown: '4MiB',
    parse: parseSize('--max-packet-size', MIN_PACKET_SIZE, MAX_PACKET_SIZE),
  },
  {
    key: 'maxConnections',
    flag: '--max-connections <n>',
    env: 'MAX_CONNECTIONS',
    help: 'open connections (TCP and WebSocket together); more are closed at once',
    shown: String(defaultBrokerLimits.maxConnections),
    // The home's own devices and screen take about ten.
    parse: parseWhole('--max-connections', 16, 1_000_000, 'connections'),
  },
  {
    key: 'maxInflight',
    flag: '--max-inflight <n>',
    env: 'MAX_INFLIGHT',
    help: "QoS 2 messages of one client waiting for PUBREL; one more closes its connection (0 = no limit)",
    shown: String(defaultBrokerLimits.maxInflight),
    parse: parseWhole('--max-inflight', 0, 65_535, 'messages'),
  },
  {
    key: 'maxQueued',
    flag: '--max-queued <n>',
    env: 'MAX_QUEUED',
    help: "packets a client may send before its login is accepted; one more closes its connection",
    shown: String(defaultBrokerLimits.maxQueued),
    parse: parseWhole('--max-queued', 1, 100_000, 'packets'),
  },
  {
    key: 'drainTimeoutMs',
    flag: '--drain-timeout <ms>',
    env: 'DRAIN_TIMEOUT',
    help: 'a subscriber that reads nothing this long while messages wait for it is disconnected (0 = wait forever)',
    shown: `${defaultBrokerLimits.drainTimeoutMs}ms`,
    parse: parseMilliseconds('--drain-timeout', 3_600_000),
  },
  {
    key: 'maxTopicDepth',
    flag: '--max-topic-depth <levels>',
    env: 'MAX_TOPIC_DEPTH',
    help: 'most levels in a topic or filter ("a/b/c" has 3); a deeper one closes its connection',
    shown: String(defaultBrokerLimits.maxTopicDepth),
    parse: parseWhole('--max-topic-depth', 1, MAX_TOPIC_DEPTH, 'levels'),
  },
  {
    key: 'maxClientIdLength',
    flag: '--max-client-id <bytes>',
    env: 'MAX_CLIENT_ID',
    help: 'longest client id in bytes; a longer one is refused with CONNACK 0x02',
    shown: String(defaultBrokerLimits.maxClientIdLength),
    // MQTT-3.1.3-5: a server must accept client ids of 1 to 23 bytes.
    parse: parseWhole('--max-client-id', 23, 65_535, 'bytes'),
  },
];

/**
 * The flag that sets a broker setting, by the key the broker knows it by (a limit, or a
 * listener's port): the broker's sentences name settings by key, the program by flag.
 */
export function flagOfBrokerSetting(key: string): string | undefined {
  if (key === 'port') return '--port';
  if (key === 'wsPort') return '--ws-port';
  return LIMIT_FLAGS.find((limit) => limit.key === key)?.flag.split(' ')[0];
}

/** Commander's camelCase name of a flag such as --max-packet-size. */
const attributeOf = (flag: string): string => flag.split(' ')[0]!.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

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

export function buildProgram(chosen: (request: UsersRequest) => void = () => {}, chosenRecord: (request: SubcommandRequest) => void = () => {}): Command {
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
      new Option('--student', `for classrooms: also accept users student/student, alice/alice and bob/bob, implies --auth (env ${ENV_PREFIX}STUDENT=1)`),
    )
    .showSuggestionAfterError(true)
    .allowExcessArguments(false)
    // The home itself runs when no subcommand is given.
    .action(() => {});
  addHomeAssistantOptions(program, ENV_PREFIX);
  addFleetOptions(program, ENV_PREFIX);
  addRecordOptions(program, ENV_PREFIX);
  for (const limit of LIMIT_FLAGS) {
    program.addOption(
      new Option(limit.flag, `embedded broker: ${limit.help}`)
        .default(defaultBrokerLimits[limit.key], limit.shown)
        .env(`${ENV_PREFIX}${limit.env}`)
        .argParser(limit.parse),
    );
  }
  addUsersCommands(program, chosen);
  addRecordCommands(program, chosenRecord);
  return program;
}

/** Turns argv and the environment into a Config, or into what to print and the exit code. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedArgs {
  let request: UsersRequest | undefined;
  let recordRequest: SubcommandRequest | undefined;
  const program = buildProgram(
    (r) => (request = r),
    (r) => (recordRequest = r),
  );
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
  }>();
  try {
    if (request) return usersCommand(request, opts.data, env);
    if (recordRequest) return subcommandOf(recordRequest, program);
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
      limits: Object.fromEntries(LIMIT_FLAGS.map((limit) => [limit.key, program.getOptionValue(attributeOf(limit.flag)) as number])),
    };
    const record = recordConfig(program, config.brokerUrl);
    if (record) config.record = record;
    const scenario = scenarioInUi(program, config.headless);
    if (scenario !== undefined) config.scenario = scenario;
    const ha = homeAssistantConfig(program, (name) => envBoolean(name, env), ENV_PREFIX);
    if (ha.problem) throw new UsageError(ha.problem);
    if (ha.homeAssistant) config.homeAssistant = ha.homeAssistant;
    const fleet = fleetConfig(program, config.brokerUrl);
    if (fleet.problem) throw new UsageError(fleet.problem);
    Object.assign(config, fleet.fleet);
    if (config.json && !config.headless) {
      throw new UsageError('--json only applies to the headless log; add --headless.');
    }
    if (config.brokerUrl && (config.auth || config.student || config.aclFile !== undefined)) {
      throw new UsageError('--auth, --acl and --student set up the embedded broker; with --broker, set up logins on that broker instead.');
    }
    // The embedded broker's address means nothing with --broker: said, not silently dropped.
    const ignored = config.brokerUrl ? ['port', 'host', 'ws-port'].filter((flag) => (program.getOptionValueSource(attributeOf(`--${flag}`)) ?? 'default') !== 'default') : [];
    if (ignored.length > 0) config.warnings = [`--${ignored.join(' and --')} ${ignored.length > 1 ? 'are' : 'is'} ignored with --broker: the home uses the broker at ${config.brokerUrl}.`];
    const limitGiven = LIMIT_FLAGS.find((limit) => program.getOptionValueSource(attributeOf(limit.flag)) !== 'default');
    if (config.brokerUrl && limitGiven) {
      throw new UsageError(`${limitGiven.flag.split(' ')[0]} limits the embedded broker; with --broker, set limits on that broker instead.`);
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
