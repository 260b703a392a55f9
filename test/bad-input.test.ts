import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { CURRENT_VERSION } from '../src/store/index.js';
import { startBareBroker, type BareBroker } from './fixtures/bare-broker.js';
import { cleanEnv, occupiedPort, releasePorts, runBinary, STACK_TRACE, startHeadless, tempDir, type Running } from './fixtures/binary.js';

afterAll(releasePorts);

const noStackTrace = (text: string) => expect(text).not.toMatch(STACK_TRACE);
const oneSentence = (text: string) => {
  expect(text.trim().split('\n')).toHaveLength(1);
  expect(text).toMatch(/^smart-home-tui: /);
  noStackTrace(text);
};

interface LogEntry {
  kind: string;
  clientId: string;
  topic?: string;
  detail?: string;
  preview?: string;
}
const entriesOf = (stdout: string): LogEntry[] =>
  stdout
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as LogEntry);

/** The data file's text once the store has written it (it writes shortly after the first change). */
async function fileOnDisk(file: string): Promise<string> {
  await expect.poll(() => existsSync(file), { timeout: 5000, interval: 20 }).toBe(true);
  return readFileSync(file, 'utf8');
}

const ONE_MIB = Buffer.alloc(1024 * 1024, 0x7b);
const BINARY = Buffer.from([0x00, 0x01, 0x02, 0x03, 0x7f, 0x1b]);
const INVALID_UTF8 = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);

/** Each seed topic with payloads it must refuse, and the reason the log gives. */
const seedTopics: Array<{ topic: string; wrongTypes: string; wrongTypesReason: RegExp; text?: boolean }> = [
  {
    topic: 'smart_home/user_data',
    wrongTypes: JSON.stringify({ app_info: 1, is_home: '0', temperature: '22', user_name: 'eve' }),
    wrongTypesReason: /app_info must be/,
  },
  {
    topic: 'smart_home/presence_data',
    wrongTypes: JSON.stringify({ app_info: '0', is_home: true, temperature: '22', user_name: 'eve' }),
    wrongTypesReason: /is_home must be/,
  },
  {
    topic: 'device/device001/action/switch',
    wrongTypes: JSON.stringify({ action_type: 'SWITCH', action_value: true }),
    wrongTypesReason: /action_value must be/,
  },
  { topic: 'sensor/temperature', wrongTypes: 'hot', wrongTypesReason: /temperature is not a number/, text: true },
  {
    topic: 'device/temperature',
    wrongTypes: JSON.stringify({ timestamp: 'now', value_type: 'TEMPERATURE_SENSOR', value: 21 }),
    wrongTypesReason: /timestamp must be/,
  },
  {
    topic: 'device/device001/info',
    wrongTypes: JSON.stringify({ device_id: 7, producer: 'x', software_version: '1' }),
    wrongTypesReason: /device_id must be/,
  },
  { topic: 'login', wrongTypes: 'a/b', wrongTypesReason: /client id must be one topic level/, text: true },
  {
    topic: 'carpark/north/entry',
    wrongTypes: JSON.stringify({ timestamp: 1, temperatureC: 'warm' }),
    wrongTypesReason: /temperatureC must be/,
  },
  {
    topic: 'carpark/north/exit',
    wrongTypes: JSON.stringify({ timestamp: 1.5, temperatureC: 20 }),
    wrongTypesReason: /timestamp must be whole seconds/,
  },
];

const badPayloads = (seed: (typeof seedTopics)[number]) => [
  // A text topic's value is text, not JSON; this text is neither a temperature nor a client id.
  { what: 'not JSON', payload: Buffer.from(seed.text ? '{oops/#' : '{"app_info":'), reason: seed.text ? /./ : /not JSON/ },
  { what: 'wrong types', payload: Buffer.from(seed.wrongTypes), reason: seed.wrongTypesReason },
  { what: '1 MiB', payload: ONE_MIB, reason: /payload larger than 64 KiB/ },
  { what: 'binary', payload: BINARY, reason: seed.text ? /./ : /not JSON/ },
  { what: 'invalid UTF-8', payload: INVALID_UTF8, reason: /not valid UTF-8/ },
];

describe('bad payloads on every seed topic, through the running program', () => {
  it('each gives exactly one bad-payload line naming topic, client and reason; the home is unchanged and keeps running', async () => {
    const file = join(tempDir(), 'home.json');
    const app = await startHeadless(['--json', '--port', '0', '--data', file]);
    const clientId = `bad-payload-test-${process.pid}`;
    const client = await mqtt.connectAsync(app.url, { clientId, reconnectPeriod: 0 });
    await app.waitForStdout('device/device001/telemetry/switch');
    const before = await fileOnDisk(file);

    let sent = 0;
    for (const seed of seedTopics) {
      for (const bad of badPayloads(seed)) {
        await client.publishAsync(seed.topic, bad.payload, { qos: 1 });
        sent++;
      }
    }

    const badLines = () => entriesOf(app.stdout()).filter((entry) => entry.kind === 'bad-payload');
    await expect.poll(() => badLines().length, { timeout: 5000 }).toBeGreaterThanOrEqual(sent);
    const bad = badLines();
    expect(bad).toHaveLength(sent);
    // aedes reports publishes on different topics in the order their deliveries finish, so match per topic.
    for (const seed of seedTopics) {
      const lines = bad.filter((entry) => entry.topic === seed.topic);
      expect(lines, seed.topic).toHaveLength(badPayloads(seed).length);
      const expected = badPayloads(seed).sort((a, b) => Number(a.reason.source === '.') - Number(b.reason.source === '.'));
      for (const { what, reason } of expected) {
        const at = lines.findIndex((entry) => reason.test(entry.detail ?? ''));
        expect(at, `${seed.topic} ${what}: a line matching ${reason}`).toBeGreaterThanOrEqual(0);
        const [entry] = lines.splice(at, 1);
        expect(entry!.clientId).toBe(clientId);
        // Previews never carry raw control characters to the terminal.
        expect(entry!.preview ?? '').not.toMatch(/[\u0000-\u001f\u007f]/);
      }
    }

    // Still running: a good registration goes through and the door locker keeps it.
    await client.publishAsync(
      'smart_home/user_data',
      JSON.stringify({ app_info: '1', is_home: '0', temperature: '21.5', user_name: 'goodafterbad' }),
      { qos: 1 },
    );
    await app.waitForStdout(/"topic":"smart_home\/door_locker\/users".*goodafterbad/);
    // Still one line per bad payload, well after the last one: no second report came late.
    expect(badLines()).toHaveLength(sent);
    await client.endAsync();
    const finished = await app.stop('SIGTERM');
    expect(finished.code).toBe(143);

    // The home changed only by the good registration: no user, switch or temperature from the bad ones.
    const home = JSON.parse(readFileSync(file, 'utf8')) as {
      doorLocker: { users: Record<string, unknown> };
      smartObjects: Record<string, { switch: string }>;
    };
    expect(Object.keys(home.doorLocker.users)).toEqual(['goodafterbad']);
    const old = JSON.parse(before) as { smartObjects: Record<string, { switch: string }> };
    expect(home.smartObjects['device001']?.switch).toBe(old.smartObjects['device001']?.switch ?? 'ON');
  }, 30_000);
});

describe('a data file the program cannot use, through the binary', () => {
  const validHome = JSON.stringify({ version: CURRENT_VERSION, thermostat: { queue: ['ann'], users: { ann: '22' }, roomTemperature: 20 } });
  it.each([
    { what: 'an empty file', content: '', says: /is empty/ },
    { what: 'a truncated file', content: validHome.slice(0, validHome.length / 2), says: /is not valid JSON/ },
    { what: 'a file from a newer version', content: JSON.stringify({ version: CURRENT_VERSION + 1 }), says: /newer smart-home-tui/ },
  ])('refuses $what: exit 1, one sentence, the file untouched', async ({ content, says }) => {
    const file = join(tempDir(), 'home.json');
    writeFileSync(file, content);
    const before = statSync(file).mtimeMs;
    const result = await runBinary(['--headless', '--port', '0', '--data', file]);
    expect(result.code).toBe(1);
    oneSentence(result.stderr);
    expect(result.stderr).toMatch(says);
    expect(readFileSync(file, 'utf8')).toBe(content);
    expect(statSync(file).mtimeMs).toBe(before);
  });

  it.each([{ extra: [] }, { extra: ['--reset-data'] }])('refuses a directory in place of the file $extra: exit 1, one sentence, the directory untouched', async ({ extra }) => {
    const folder = tempDir();
    const file = join(folder, 'home.json');
    mkdirSync(file);
    const result = await runBinary(['--headless', '--port', '0', '--data', file, ...extra]);
    expect(result.code).toBe(1);
    oneSentence(result.stderr);
    expect(result.stderr).toMatch(/is a directory/);
    expect(statSync(file).isDirectory()).toBe(true);
    expect(readdirSync(folder)).toEqual(['home.json']);
  });

  it.skipIf(process.getuid?.() === 0)('refuses a file it may not read: exit 1, one sentence, the file untouched (skipped as root, who may read anything)', async () => {
    const file = join(tempDir(), 'home.json');
    writeFileSync(file, validHome);
    chmodSync(file, 0o000);
    const result = await runBinary(['--headless', '--port', '0', '--data', file]);
    chmodSync(file, 0o600);
    expect(result.code).toBe(1);
    oneSentence(result.stderr);
    expect(result.stderr).toMatch(/permission denied/);
    expect(readFileSync(file, 'utf8')).toBe(validHome);
  });

  it('refuses a file another instance holds: exit 1, one sentence naming it, the file untouched', async () => {
    const file = join(tempDir(), 'home.json');
    const first = await startHeadless(['--port', '0', '--data', file]);
    await fileOnDisk(file);
    // The first instance keeps saving its home; paused, it cannot, so only the second could
    // change the file while it runs.
    process.kill(first.child.pid!, 'SIGSTOP');
    let second: Awaited<ReturnType<typeof runBinary>>;
    const holding = readFileSync(file, 'utf8');
    try {
      second = await runBinary(['--headless', '--port', '0', '--data', file]);
      expect(readFileSync(file, 'utf8')).toBe(holding);
    } finally {
      process.kill(first.child.pid!, 'SIGCONT');
    }
    expect(second.code).toBe(1);
    oneSentence(second.stderr);
    expect(second.stderr).toContain(`pid ${first.child.pid}`);
    expect((await first.stop()).code).toBe(143);
  });
});

describe('ports in use', () => {
  it('names a taken WebSocket port and the way out: exit 1, one sentence', async () => {
    const port = await occupiedPort();
    const result = await runBinary(['--headless', '--port', '0', '--ws-port', String(port), '--data', join(tempDir(), 'home.json')]);
    expect(result.code).toBe(1);
    oneSentence(result.stderr);
    expect(result.stderr).toContain(`WebSocket port ${port} on 127.0.0.1 is already in use`);
    expect(result.stderr).toContain('--ws-port N');
  });
});

describe('an outside broker (--broker)', () => {
  it('unreachable at start: one sentence and exit 1, since nothing can work without it', async () => {
    // A port where nothing speaks MQTT: take it, then free it so the connection is refused.
    const port = await occupiedPort();
    await releasePorts();
    const file = join(tempDir(), 'home.json');
    const result = await runBinary(['--headless', '--broker', `mqtt://127.0.0.1:${port}`, '--data', file]);
    expect(result.code).toBe(1);
    oneSentence(result.stderr);
    expect(result.stderr).toMatch(new RegExp(`Cannot reach the MQTT broker at mqtt://127\\.0\\.0\\.1:${port} \\(.*ECONNREFUSED.*\\)\\.`));
  });

  it('lost while running: one log line, retries with back-off, and everything resumes when it is back', async () => {
    let broker: BareBroker = await startBareBroker();
    const port = broker.port;
    let app: Running | undefined;
    try {
      app = await startHeadless(['--json', '--broker', broker.url, '--port', '1', '--data', join(tempDir(), 'home.json')]);
      // The embedded broker's port means nothing here, and the program says so before it goes on.
      expect(app.stderr()).toContain(`smart-home-tui: warning: --port is ignored with --broker: the home uses the broker at ${broker.url}.\n`);
      await app.waitForStdout('device/device001/info');
      await broker.close();
      await app.waitForStdout(/"kind":"info".*Lost the broker at mqtt:\/\/127\.0\.0\.1:\d+; trying again after 1 s/);

      broker = await startBareBroker(port);
      await app.waitForStdout(/Reached the broker at mqtt:\/\/127\.0\.0\.1:\d+ again/, 15_000);
      const lines = entriesOf(app.stdout());
      expect(lines.filter((entry) => /Lost the broker/.test(entry.detail ?? ''))).toHaveLength(1);
      expect(lines.filter((entry) => /Reached the broker/.test(entry.detail ?? ''))).toHaveLength(1);

      // The devices are back too: a registration on the new broker reaches the door locker, which answers.
      const client = await mqtt.connectAsync(broker.url, { clientId: `outside-test-${process.pid}`, reconnectPeriod: 0 });
      const roster = new Promise<string>((resolve) =>
        client.on('message', (_topic, payload) => {
          if (payload.toString().includes('backagain')) resolve(payload.toString());
        }),
      );
      await client.subscribeAsync('smart_home/door_locker/users');
      // Devices resubscribe within their own retry; send until the door locker has heard one.
      const record = JSON.stringify({ app_info: '1', is_home: '0', temperature: '20', user_name: 'backagain' });
      const sender = setInterval(() => client.publish('smart_home/user_data', record), 200);
      try {
        expect(await roster).toContain('backagain');
      } finally {
        clearInterval(sender);
      }
      await client.endAsync();
      const finished = await app.stop('SIGTERM');
      app = undefined;
      expect(finished.code).toBe(143);
      noStackTrace(finished.stderr);
    } finally {
      if (app) await app.stop('SIGKILL');
      await broker.close();
    }
  }, 40_000);
});
