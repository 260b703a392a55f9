import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Clients } from './support/mqtt.js';
import { hasMosquitto, startMosquitto } from './support/mosquitto.js';
import { runBinary, STACK_TRACE, startHeadless, tempDir } from './fixtures/binary.js';
import { parseRecording, type RecordedMessage } from '../src/wire/index.js';

const clients = new Clients();
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  await clients.closeAll();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const BINARY = Buffer.from([0x00, 0xff, 0xfe, 0x10, 0x80]);

function recorded(file: string): RecordedMessage[] {
  if (!existsSync(file)) return [];
  const parsed = parseRecording(readFileSync(file, 'utf8'));
  if (!parsed.ok) throw new Error(`line ${parsed.line}: ${parsed.reason}`);
  return parsed.messages;
}

/** A mosquitto for this file, stopped after its last test. */
async function mosquittoUrl(): Promise<string> {
  const mosquitto = await startMosquitto();
  cleanups.push(() => mosquitto.stop());
  return mosquitto.url;
}

describe('--record and replay', () => {
  it.skipIf(!hasMosquitto())('records what the broker routes, and replay delivers it again to mosquitto: topics, bytes, QoS, retain, order', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const file = join(dir, 'recording.ndjson');
    const home = await startHeadless(['--port', '0', '--data', join(dir, 'home.json'), '--record', file]);
    cleanups.push(async () => void (await home.stop()));
    const visitor = await clients.connect(home.url, 'visitor');
    await visitor.publishAsync('replay-test/text', '30.5', { qos: 1 });
    await visitor.publishAsync('replay-test/binary', BINARY, { qos: 0 });
    await visitor.publishAsync('replay-test/state', 'kept', { qos: 1, retain: true });
    const v5 = await clients.connect(home.url, 'visitor5', { protocolVersion: 5 });
    await v5.publishAsync('replay-test/v5', 'hot', { qos: 1, properties: { contentType: 'text/plain', userProperties: { room: 'kitchen' } } });
    await expect.poll(() => recorded(file).filter((m) => m.topic.startsWith('replay-test/')).length, { timeout: 5000 }).toBe(4);
    await home.stop();

    const messages = recorded(file);
    const ours = messages.filter((m) => m.topic.startsWith('replay-test/'));
    expect(ours.map((m) => [m.topic, m.qos, m.retain, m.clientId])).toEqual([
      ['replay-test/text', 1, false, visitor.options.clientId],
      ['replay-test/binary', 0, false, visitor.options.clientId],
      ['replay-test/state', 1, true, visitor.options.clientId],
      ['replay-test/v5', 1, false, v5.options.clientId],
    ]);
    expect(ours[3]!.properties).toMatchObject({ contentType: 'text/plain', userProperties: { room: 'kitchen' } });
    expect(ours[0]).toMatchObject({ payload: '30.5', properties: {} });
    expect(ours[0]!.encoding).toBeUndefined();
    expect(ours[1]).toMatchObject({ payload: BINARY.toString('base64'), encoding: 'base64' });
    expect(Date.parse(ours[0]!.time)).not.toBeNaN();
    // The home's own devices are in it too, each under its own client id.
    expect(messages.some((m) => m.topic === 'smart_home/thermostat/state' && m.clientId?.startsWith('sht-thermostat-'))).toBe(true);

    const url = await mosquittoUrl();
    const watcher = await clients.connect(url, 'watcher', { protocolVersion: 5 });
    const got: Array<{ topic: string; payload: Buffer; qos: number; properties?: unknown }> = [];
    watcher.on('message', (topic, payload, packet) => got.push({ topic, payload, qos: packet.qos, properties: packet.properties }));
    await watcher.subscribeAsync('replay-test/#', { qos: 2 });
    const replay = await runBinary(['replay', file, '--broker', url, '--speed', '20', '--topics', 'replay-test/#']);
    expect(replay.stderr).not.toMatch(STACK_TRACE);
    expect(replay.code).toBe(0);
    expect(replay.stderr).toMatch(/replay: 4\/4 messages, .* ETA 0:00/);
    await expect.poll(() => got.length, { timeout: 5000 }).toBe(4);
    expect(got.map((m) => [m.topic, m.qos])).toEqual([
      ['replay-test/text', 1],
      ['replay-test/binary', 0],
      ['replay-test/state', 1],
      ['replay-test/v5', 1],
    ]);
    expect(got[3]!.properties).toMatchObject({ contentType: 'text/plain', userProperties: { room: 'kitchen' } });
    expect(got[0]!.payload.toString()).toBe('30.5');
    expect(got[1]!.payload.equals(BINARY)).toBe(true);
    // The retained one stays on mosquitto for a client that comes later.
    const late = await clients.connect(url, 'late');
    const retained = new Promise<{ payload: string; retain: boolean }>((resolve) =>
      late.on('message', (_topic, payload, packet) => resolve({ payload: payload.toString(), retain: packet.retain })),
    );
    await late.subscribeAsync('replay-test/state', { qos: 1 });
    expect(await retained).toEqual({ payload: 'kept', retain: true });
  });

  it('stops at --record-max, below the size, with one log line saying so', async () => {
    const dir = tempDir();
    const file = join(dir, 'small.ndjson');
    const home = await startHeadless(['--json', '--port', '0', '--data', join(dir, 'home.json'), '--record', file, '--record-max', '2KiB']);
    cleanups.push(async () => void (await home.stop()));
    const visitor = await clients.connect(home.url, 'filler');
    const stopped = () => home.stdout().split('\n').filter((line) => line.includes('The recording in') && line.includes('stopped'));
    for (let i = 0; i < 40 && stopped().length === 0; i++) await visitor.publishAsync('fill/up', 'x'.repeat(100), { qos: 1 });
    await expect.poll(() => stopped().length, { timeout: 5000 }).toBe(1);
    for (let i = 0; i < 10; i++) await visitor.publishAsync('fill/up', 'more', { qos: 1 });
    await home.stop();
    expect(stopped()).toHaveLength(1);
    expect(statSync(file).size).toBeLessThanOrEqual(2048);
    expect(recorded(file).length).toBeGreaterThan(0);
  });

  it('names the line of a bad recording in one sentence, exit 2, and sends nothing', async () => {
    const file = join(tempDir(), 'bad.ndjson');
    writeFileSync(file, `${JSON.stringify({ ms: 0, topic: 'a/b', payload: 'x', qos: 0, retain: false })}\n{"ms": 5, "topic": "a/#", "payload": "y"}\n`);
    const replay = await runBinary(['replay', file, '--port', '0']);
    expect(replay.code).toBe(2);
    expect(replay.stderr.trim().split('\n')).toHaveLength(1);
    expect(replay.stderr).toMatch(/^smart-home-tui: .*bad\.ndjson line 2 is not a recorded message: "topic" must be a topic without \+ or #\.\n$/);
  });
});
