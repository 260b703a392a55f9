import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { startBroker, type BrokerHandle } from '../src/broker/embedded.js';

const hasClients = spawnSync('mosquitto_sub', ['--help']).error === undefined;

let broker: BrokerHandle;
beforeEach(async () => {
  broker = await startBroker({ port: 0, host: '127.0.0.1' });
});
afterEach(async () => {
  await broker.close();
});

/** Runs a mosquitto client to its end (the broker runs in this process, so never spawnSync). */
async function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe.skipIf(!hasClients)('mosquitto_pub and mosquitto_sub with -V 5 on the embedded broker', () => {
  it('carry a retained message and its user property, and a 3.1.1 client sees the same message', async () => {
    const port = String(broker.port);
    const published = await run('mosquitto_pub', ['-V', '5', '-h', '127.0.0.1', '-p', port, '-t', 'lab/lamp', '-m', 'on', '-r', '-D', 'publish', 'user-property', 'room', 'hall']);
    expect(published).toMatchObject({ code: 0, stderr: '' });
    // Retained, so the subscriber gets it as soon as its subscription is in place; -C 1 ends it there.
    const received = await run('mosquitto_sub', ['-V', '5', '-h', '127.0.0.1', '-p', port, '-t', 'lab/#', '-C', '1', '-F', '%t %p %P', '-W', '10']);
    expect(received.stderr).toBe('');
    expect(received.stdout.trim()).toBe('lab/lamp on room:hall');
    const old = await mqtt.connectAsync(broker.url, { clientId: 'test-v311', protocolVersion: 4, reconnectPeriod: 0 });
    try {
      const message = new Promise<string>((resolve) => old.on('message', (topic, payload) => resolve(`${topic} ${payload.toString()}`)));
      await old.subscribeAsync('lab/#');
      expect(await message).toBe('lab/lamp on');
    } finally {
      await old.endAsync();
    }
  });
});
