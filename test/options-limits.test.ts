import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/options.js';
import { defaultBrokerLimits } from '../src/broker/limits.js';

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => parseArgs(['node', 'smart-home-tui', ...args], env);

function refusal(args: string[], env: NodeJS.ProcessEnv = {}): string {
  const parsed = run(args, env);
  expect(parsed.kind).toBe('exit');
  if (parsed.kind !== 'exit') return '';
  expect(parsed.code).toBe(2);
  expect(parsed.toStderr).toBe(true);
  expect(parsed.output.trim().split('\n')).toHaveLength(1);
  expect(parsed.output).not.toMatch(/\bat .*\.js:\d+/);
  return parsed.output;
}

describe('broker limit flags', () => {
  it('start with the documented defaults', () => {
    const parsed = run([]);
    expect(parsed).toMatchObject({
      kind: 'run',
      config: {
        limits: {
          maxPacketSize: 4 * 1024 * 1024,
          maxConnections: 10_000,
          maxInflight: 1000,
          maxQueued: 42,
          drainTimeoutMs: 5000,
          maxTopicDepth: 32,
          maxClientIdLength: 128,
        },
      },
    });
    if (parsed.kind === 'run') expect(parsed.config.limits).toEqual(defaultBrokerLimits);
  });

  it('take every limit from the command line, sizes and times with their units', () => {
    const parsed = run([
      '--max-packet-size', '512KiB', '--max-connections', '50', '--max-inflight', '0', '--max-queued', '7',
      '--drain-timeout', '2s', '--max-topic-depth', '100', '--max-client-id', '23',
    ]);
    expect(parsed).toMatchObject({
      kind: 'run',
      config: {
        limits: {
          maxPacketSize: 512 * 1024, maxConnections: 50, maxInflight: 0, maxQueued: 7,
          drainTimeoutMs: 2000, maxTopicDepth: 100, maxClientIdLength: 23,
        },
      },
    });
    expect(run(['--max-packet-size', '4MiB', '--drain-timeout', '250ms'])).toMatchObject({
      config: { limits: { maxPacketSize: 4 * 1024 * 1024, drainTimeoutMs: 250 } },
    });
    expect(run(['--max-packet-size', '65536', '--drain-timeout', '0'])).toMatchObject({
      config: { limits: { maxPacketSize: 65536, drainTimeoutMs: 0 } },
    });
  });

  it('take every limit from SMART_HOME_TUI_<NAME>, and the command line wins', () => {
    const env = {
      SMART_HOME_TUI_MAX_PACKET_SIZE: '1MiB', SMART_HOME_TUI_MAX_CONNECTIONS: '30', SMART_HOME_TUI_MAX_INFLIGHT: '10',
      SMART_HOME_TUI_MAX_QUEUED: '5', SMART_HOME_TUI_DRAIN_TIMEOUT: '100', SMART_HOME_TUI_MAX_TOPIC_DEPTH: '8',
      SMART_HOME_TUI_MAX_CLIENT_ID: '64',
    };
    expect(run([], env)).toMatchObject({
      config: {
        limits: {
          maxPacketSize: 1024 * 1024, maxConnections: 30, maxInflight: 10, maxQueued: 5,
          drainTimeoutMs: 100, maxTopicDepth: 8, maxClientIdLength: 64,
        },
      },
    });
    expect(run(['--max-connections', '99'], env)).toMatchObject({ config: { limits: { maxConnections: 99 } } });
  });

  it('are listed in --help with their defaults and environment names', () => {
    const help = run(['--help']);
    expect(help.kind).toBe('exit');
    if (help.kind !== 'exit') return;
    const text = help.output.replace(/\s+/g, ' ');
    for (const [flag, env] of [
      ['--max-packet-size', 'MAX_PACKET_SIZE'], ['--max-connections', 'MAX_CONNECTIONS'], ['--max-inflight', 'MAX_INFLIGHT'],
      ['--max-queued', 'MAX_QUEUED'], ['--drain-timeout', 'DRAIN_TIMEOUT'], ['--max-topic-depth', 'MAX_TOPIC_DEPTH'],
      ['--max-client-id', 'MAX_CLIENT_ID'],
    ]) {
      expect(text).toContain(flag);
      expect(text).toContain(`SMART_HOME_TUI_${env}`);
    }
    expect(text).toContain('default: 4MiB');
    expect(text).toContain('default: 10000');
    expect(text).toContain('default: 5000ms');
  });

  it.each([
    [['--max-packet-size', 'big'], /--max-packet-size must be a size from 64 bytes to 256 MiB/],
    [['--max-packet-size', '10'], /--max-packet-size must be a size/],
    [['--max-packet-size', '1GiB'], /--max-packet-size must be a size/],
    [['--max-packet-size', '300MiB'], /--max-packet-size must be a size/],
    [['--max-connections', '15'], /--max-connections must be a whole number of connections from 16/],
    [['--max-connections', '1.5'], /--max-connections must be a whole number/],
    [['--max-inflight', 'many'], /--max-inflight must be a whole number of messages from 0 to 65535/],
    [['--max-inflight', '70000'], /--max-inflight must be a whole number/],
    [['--max-queued', '0'], /--max-queued must be a whole number of packets from 1/],
    [['--drain-timeout', 'soon'], /--drain-timeout must be a time such as 5000/],
    [['--drain-timeout', '2h'], /--drain-timeout must be a time/],
    [['--max-topic-depth', '101'], /--max-topic-depth must be a whole number of levels from 1 to 100/],
    [['--max-topic-depth', '0'], /--max-topic-depth must be a whole number/],
    [['--max-client-id', '22'], /--max-client-id must be a whole number of bytes from 23 to 65535/],
    [['--max-client-id', '-5'], /--max-client-id must be a whole number|unknown option '-5'/],
  ])('refuses %j with one sentence naming the flag, exit code 2', (args, message) => {
    expect(refusal(args as string[])).toMatch(message);
  });

  it('refuses a bad limit from the environment, naming the variable', () => {
    const output = refusal([], { SMART_HOME_TUI_MAX_CONNECTIONS: 'lots' });
    expect(output).toMatch(/SMART_HOME_TUI_MAX_CONNECTIONS/);
    expect(output).toMatch(/--max-connections must be a whole number/);
  });

  it('refuses a limit together with --broker: it only limits the embedded broker', () => {
    expect(refusal(['--broker', 'mqtt://localhost:1883', '--drain-timeout', '100'])).toMatch(
      /--drain-timeout limits the embedded broker; with --broker, set limits on that broker instead/,
    );
    expect(run(['--broker', 'mqtt://localhost:1883']).kind).toBe('run');
  });
});

describe('every other flag with a bad value', () => {
  it.each([
    [['--host', ''], /--host must be an address such as 127.0.0.1/],
    [['--host', 'two words'], /--host must be an address/],
    [['--port', '1.5'], /--port must be a port number/],
    [['--port', ''], /--port must be a port number/],
    [['--ws-port', 'abc'], /--ws-port must be a port number between 0 and 65535, not "abc"/],
    [['--ws-port', '65536'], /--ws-port must be a port number/],
    [['--broker', 'mqtt//missing-colon'], /--broker must be a URL/],
    [['--broker', 'ftp://x:21'], /--broker must start with mqtt:\/\//],
    [['--port'], /option '-p, --port <port>' argument missing/],
    [['--data'], /option '--data <file>' argument missing/],
    [['--acl'], /option '--acl <file>' argument missing/],
    [['--broker', 'mqtt://x:1', '--auth'], /--auth, --acl and --student set up the embedded broker/],
    [['--broker', 'mqtt://x:1', '--student'], /--auth, --acl and --student set up the embedded broker/],
    [['--broker', 'mqtt://x:1', '--acl', 'rules.acl'], /--auth, --acl and --student set up the embedded broker/],
    [['--headless=yes'], /unknown option|does not take an argument|too many arguments/],
  ])('refuses %j with one sentence, exit code 2', (args, message) => {
    expect(refusal(args as string[])).toMatch(message);
  });

  it.each([
    ['SMART_HOME_TUI_PORT', 'eighty', /--port must be a port number/],
    ['SMART_HOME_TUI_WS_PORT', '99999', /--ws-port must be a port number/],
    ['SMART_HOME_TUI_HOST', ' ', /--host must be an address/],
    ['SMART_HOME_TUI_BROKER', 'localhost:1883', /--broker must/],
    ['SMART_HOME_TUI_JSON', 'maybe', /SMART_HOME_TUI_JSON must be 1 or 0/],
    ['SMART_HOME_TUI_AUTH', 'sure', /SMART_HOME_TUI_AUTH must be 1 or 0/],
    ['SMART_HOME_TUI_STUDENT', '2', /SMART_HOME_TUI_STUDENT must be 1 or 0/],
    ['SMART_HOME_TUI_RESET_DATA', 'please', /SMART_HOME_TUI_RESET_DATA must be 1 or 0/],
  ])('refuses %s=%j from the environment with one sentence', (name, value, message) => {
    expect(refusal([], { [name]: value })).toMatch(message);
  });
});

describe('connections for a fleet', () => {
  it('raises the connection limit so every fleet object gets in, and keeps a higher one', async () => {
    const { withRoomForFleet } = await import('../src/runtime.js');
    expect(withRoomForFleet(undefined, 10_000)?.maxConnections).toBe(10_100);
    expect(withRoomForFleet({ maxConnections: 50 }, 500)?.maxConnections).toBe(600);
    expect(withRoomForFleet({ maxConnections: 20_000 }, 500)?.maxConnections).toBe(20_000);
    expect(withRoomForFleet({ maxConnections: 50 }, undefined)?.maxConnections).toBe(50);
  });
});
