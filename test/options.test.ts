import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/options.js';

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => parseArgs(['node', 'smart-home-tui', ...args], env);

describe('command-line options', () => {
  it('starts with the documented defaults', () => {
    const parsed = run([]);
    expect(parsed.kind).toBe('run');
    if (parsed.kind !== 'run') return;
    expect(parsed.config).toMatchObject({ port: 1883, host: '127.0.0.1', headless: false, json: false, resetData: false });
    expect(parsed.config.wsPort).toBeUndefined();
    expect(parsed.config.brokerUrl).toBeUndefined();
    expect(parsed.config.dataFile).toMatch(/smart-home-tui.*home\.json$/);
  });

  it('takes every flag', () => {
    const parsed = run([
      '--port', '1999', '--host', '0.0.0.0', '--ws-port', '8080', '--data', '/tmp/h.json',
      '--broker', 'mqtt://localhost:1884', '--headless', '--json', '--reset-data',
    ]);
    expect(parsed).toMatchObject({
      kind: 'run',
      config: {
        port: 1999, host: '0.0.0.0', wsPort: 8080, dataFile: '/tmp/h.json',
        brokerUrl: 'mqtt://localhost:1884', headless: true, json: true, resetData: true,
      },
    });
  });

  it('says --port (and --host, --ws-port) is ignored with --broker, in one warning sentence', () => {
    const parsed = run(['--port', '22100', '--broker', 'mqtt://localhost:1884']);
    expect(parsed).toMatchObject({
      kind: 'run',
      config: { warnings: ['--port is ignored with --broker: the home uses the broker at mqtt://localhost:1884.'] },
    });
    const both = run(['--broker', 'mqtt://localhost:1884', '--host', '::1'], { SMART_HOME_TUI_PORT: '2000' });
    expect(both).toMatchObject({
      config: { warnings: ['--port and --host are ignored with --broker: the home uses the broker at mqtt://localhost:1884.'] },
    });
    const quiet = run(['--broker', 'mqtt://localhost:1884']);
    expect(quiet.kind === 'run' && quiet.config.warnings).toBeFalsy();
    const embedded = run(['--port', '22100']);
    expect(embedded.kind === 'run' && embedded.config.warnings).toBeFalsy();
  });

  it('takes each flag from the environment, and the command line wins', () => {
    const env = {
      SMART_HOME_TUI_PORT: '2000', SMART_HOME_TUI_WS_PORT: '9001', SMART_HOME_TUI_DATA: '/tmp/e.json',
      SMART_HOME_TUI_HEADLESS: '1', SMART_HOME_TUI_JSON: 'true', SMART_HOME_TUI_RESET_DATA: '0',
      SMART_HOME_TUI_HOST: '::1', SMART_HOME_TUI_BROKER: 'mqtt://broker.local:1883',
    };
    expect(run([], env)).toMatchObject({
      kind: 'run',
      config: { port: 2000, wsPort: 9001, dataFile: '/tmp/e.json', headless: true, json: true, resetData: false, host: '::1', brokerUrl: 'mqtt://broker.local:1883' },
    });
    expect(run(['--port', '3000'], env)).toMatchObject({ config: { port: 3000 } });
  });

  it.each([
    [['--bogus'], /unknown option '--bogus'/],
    [['--port', 'abc'], /--port must be a port number between 0 and 65535, not "abc"/],
    [['--port', '70000'], /--port must be a port number/],
    [['--ws-port', '-1'], /--ws-port must be a port number|unknown option '-1'/],
    [['--broker', 'localhost'], /--broker must be a URL such as mqtt:\/\/localhost:1883/],
    [['--broker', 'http://x:1'], /--broker must start with mqtt:\/\//],
    [['--json'], /--json only applies to the headless log; add --headless/],
    [['extra'], /too many arguments|unknown command/],
    [['--fleet', '100001'], /--fleet must be a number of smart objects from 0 to 100000, not "100001"/],
    [['--fleet', '10', '--fleet-via', 'zigbee'], /--fleet-via must be connections .* or gateway/],
    [['--fleet', '10', '--fleet-part', '3/2', '--broker', 'mqtt://h:1883'], /--fleet-part must be i\/k with 1 <= i <= k/],
    [['--fleet', '10', '--fleet-part', '1/2'], /--fleet-part splits a fleet over machines that share one broker; give that broker with --broker URL/],
    [['--fleet-via', 'gateway'], /--fleet-via has no use without --fleet N/],
  ])('refuses %j with one sentence and exit code 2', (args, message) => {
    const parsed = run(args as string[]);
    expect(parsed.kind).toBe('exit');
    if (parsed.kind !== 'exit') return;
    expect(parsed.code).toBe(2);
    expect(parsed.toStderr).toBe(true);
    expect(parsed.output).toMatch(message);
    expect(parsed.output.trim().split('\n')).toHaveLength(1);
    expect(parsed.output).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('takes the fleet flags: how many, how they connect, which part', () => {
    const parsed = run(['--fleet', '100000', '--fleet-via', 'gateway', '--fleet-part', '2/5', '--broker', 'mqtt://emqx:1883']);
    expect(parsed).toMatchObject({ kind: 'run', config: { fleet: 100_000, fleetVia: 'gateway', fleetPart: { index: 2, of: 5 } } });
    expect(run([], { SMART_HOME_TUI_FLEET: '20' })).toMatchObject({ config: { fleet: 20 } });
  });

  it('refuses a boolean environment variable it cannot read', () => {
    const parsed = run([], { SMART_HOME_TUI_HEADLESS: 'maybe' });
    expect(parsed).toMatchObject({ kind: 'exit', code: 2 });
    if (parsed.kind === 'exit') expect(parsed.output).toMatch(/SMART_HOME_TUI_HEADLESS must be 1 or 0/);
  });

  it('prints help and the version to stdout with exit code 0', () => {
    const help = run(['--help']);
    expect(help).toMatchObject({ kind: 'exit', code: 0, toStderr: false });
    if (help.kind === 'exit') {
      for (const flag of ['--port', '--host', '--ws-port', '--data', '--broker', '--headless', '--json', '--reset-data', '--version']) {
        expect(help.output).toContain(flag);
      }
    }
    const version = run(['--version']);
    expect(version).toMatchObject({ kind: 'exit', code: 0 });
    if (version.kind === 'exit') expect(version.output.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
