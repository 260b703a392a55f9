import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { homeSchema } from '../src/store/index.js';
import { cleanEnv, startHeadless, tempDir } from './fixtures/binary.js';

const CYCLES = 15;
const MARKER = 'crash/marker';

interface Saved {
  version: number;
  broker: { retained: Array<{ topic: string; payload: string }> };
  doorLocker: { users: Record<string, { temperature: string }> };
}

function readSaved(file: string): Saved {
  return JSON.parse(readFileSync(file, 'utf8')) as Saved;
}

function retainedText(saved: Saved, topic: string): string | undefined {
  const found = saved.broker.retained.find((message) => message.topic === topic);
  return found === undefined ? undefined : Buffer.from(found.payload, 'base64').toString('utf8');
}

/** Polls the file until `check` holds for what is on disk (a read may land between writes). */
async function untilOnDisk(file: string, check: (saved: Saved) => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (check(readSaved(file))) return;
    } catch {
      // Not there yet (first start) or, if the store were broken, caught by the checks after the kill.
    }
    if (Date.now() > until) throw new Error(`the data file never showed ${what}`);
    await delay(10);
  }
}

/** Keeps the store busy: registrations with changing temperatures and retained messages. */
function driveLoad(client: MqttClient, cycle: number): () => void {
  let running = true;
  void (async () => {
    for (let i = 0; running; i++) {
      const temperature = (15 + (i % 100) / 10).toFixed(1);
      const record = { app_info: '1', is_home: '0', temperature, user_name: `load${cycle}x${i % 5}` };
      client.publish('smart_home/user_data', JSON.stringify(record), { qos: 0 });
      client.publish(`crash/load/${i % 50}`, `cycle ${cycle} message ${i}`, { qos: 0, retain: true });
      // About a thousand messages a second: every coalesced write has changes waiting behind it.
      await delay(2);
    }
  })();
  return () => (running = false);
}

describe('killed with SIGKILL while the store is written', () => {
  it(`keeps a whole, valid file with everything acknowledged and flushed, ${CYCLES} times in a row`, async () => {
    const file = join(tempDir('sht-crash-'), 'home.json');
    const env = cleanEnv();
    let previousMarker: string | undefined;

    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      // Restarts at once on the file and lock of the instance killed a moment ago.
      const app = await startHeadless(['--port', '0', '--data', file], env);
      const client = await mqtt.connectAsync(app.url, { clientId: `crash-test-${process.pid}-${cycle}`, reconnectPeriod: 0 });
      client.on('error', () => {});

      if (previousMarker !== undefined) {
        // What the killed instance had flushed is served again as a retained message.
        const served = new Promise<string>((resolve) => client.once('message', (_topic, payload) => resolve(payload.toString())));
        await client.subscribeAsync(MARKER, { qos: 1 });
        expect(await served).toBe(previousMarker);
        await client.unsubscribeAsync(MARKER);
      }

      const stopLoad = driveLoad(client, cycle);
      const marker = `cycle ${cycle}`;
      // Acknowledged (PUBACK), then visible on disk: from here on a crash must not lose it.
      await client.publishAsync(MARKER, marker, { qos: 1, retain: true });
      await untilOnDisk(file, (saved) => retainedText(saved, MARKER) === marker, `"${marker}"`);
      // The load goes on; the next coalesced write is under way or about to be when the kill lands.
      await untilOnDisk(file, (saved) => Object.keys(saved.doorLocker.users).some((name) => name.startsWith(`load${cycle}x`)), 'a load registration');

      const finished = await app.stop('SIGKILL');
      stopLoad();
      client.end(true);
      expect(finished.signal).toBe('SIGKILL');

      const text = readFileSync(file, 'utf8');
      const saved = JSON.parse(text) as Saved;
      expect(homeSchema.safeParse(saved).success).toBe(true);
      expect(retainedText(saved, MARKER)).toBe(marker);
      previousMarker = marker;
    }

    // The last kill too: a fresh start serves the last marker.
    const app = await startHeadless(['--port', '0', '--data', file], env);
    const client = await mqtt.connectAsync(app.url, { clientId: `crash-test-${process.pid}-last`, reconnectPeriod: 0 });
    const served = new Promise<string>((resolve) => client.once('message', (_topic, payload) => resolve(payload.toString())));
    await client.subscribeAsync(MARKER, { qos: 1 });
    expect(await served).toBe(`cycle ${CYCLES}`);
    await client.endAsync();
    expect((await app.stop('SIGTERM')).code).toBe(143);
  }, 60_000);
});
