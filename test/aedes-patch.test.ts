// aedes 2.0.0-beta.1 runs with the small fixes scripts/patch-aedes.mjs applies at install.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { startBareBroker, type BareBroker } from './fixtures/bare-broker.js';
import { describePatchScript } from './fixtures/patch-script.js';
import { RawClient, frame, str, u16 } from './fixtures/raw-mqtt.js';

const aedesDir = path.resolve('node_modules/aedes');

let bare: BareBroker;
beforeAll(async () => {
  bare = await startBareBroker();
});
afterAll(async () => {
  await bare?.close();
});

const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty'];

describe('names inherited from Object.prototype are plain names to the broker', () => {
  for (const version of [4, 5] as const) {
    it(`a MQTT ${version === 4 ? '3.1.1' : '5'} client may be called "constructor" and subscribe to "toString" twice`, async () => {
      for (const name of PROTOTYPE_NAMES) {
        const client = await mqtt.connectAsync(bare.url, { clientId: name, protocolVersion: version, reconnectPeriod: 0 });
        await client.subscribeAsync(name, { qos: 0 });
        await client.subscribeAsync(name, { qos: 1 });
        const got = new Promise<string>((resolve) => client.once('message', (_t, payload) => resolve(payload.toString())));
        await client.publishAsync(name, `to ${name}`, { qos: 1 });
        expect(await got).toBe(`to ${name}`);
        await client.unsubscribeAsync(['valueOf', name]);
        await client.endAsync();
      }
      expect(bare.broker.connectedClients).toBe(0);
    });
  }
});

describe('a CONNECT that repeats its session expiry interval', () => {
  it('does not end the broker when the client goes away (aedes alone, no gate)', async () => {
    const twice = Buffer.from([0x0a, 0x11, 0, 0, 0, 60, 0x11, 0, 0, 0, 60]);
    const raw = await RawClient.open(bare.port);
    raw.send(frame(0x10, str('MQTT'), Buffer.from([5, 0x02]), u16(30), twice, str('twice')));
    await raw.firstBytes(4);
    raw.destroy();
    await expect.poll(() => bare.broker.connectedClients).toBe(0);
    const after = await mqtt.connectAsync(bare.url, { protocolVersion: 5, reconnectPeriod: 0 });
    await after.endAsync();
  });
});

describePatchScript({
  label: 'aedes',
  name: 'aedes',
  version: '2.0.0-beta.1',
  dir: aedesDir,
  parts: ['.'],
  undo: { file: 'lib/handlers/subscribe.js', patched: 'const dedupeSubs = Object.create(null)', unpatched: 'const dedupeSubs = {}' },
});
