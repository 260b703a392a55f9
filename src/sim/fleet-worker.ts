import { parentPort, workerData } from 'node:worker_threads';
import { realClock } from './clock.js';
import { fleetDeviceId, type FleetStart, type FromFleet } from './fleet.js';
import type { SliceStore, SmartObjectsSlice } from './slice-store.js';
import { SmartObject } from './smart-object.js';

// The fleet thread: N smart objects, each with its own MQTT client.

const SAVE_EVERY_MS = 1000;
/** Connections opened at once; a thousand CONNECTs in one burst only make the broker queue them. */
const CONNECTING_AT_ONCE = 50;

const main = parentPort!;
const start = workerData as FleetStart;
const post = (message: FromFleet) => main.postMessage(message);

// The objects share one slice in memory; read() needs no copy because each object only reads its own entry once.
const state: SmartObjectsSlice = start.saved;
let changes: SmartObjectsSlice = {};
const slice: SliceStore<SmartObjectsSlice> = {
  read: () => state,
  write(mutate) {
    const touched: SmartObjectsSlice = {};
    mutate(touched);
    for (const [id, value] of Object.entries(touched)) {
      state[id] = value;
      changes[id] = value;
    }
  },
};

async function run(): Promise<void> {
  const defaults = start.defaults;
  const clock = realClock();
  const objects: SmartObject[] = [];
  try {
    for (let i = 1; i <= start.count; i += CONNECTING_AT_ONCE) {
      const batch: SmartObject[] = [];
      for (let k = i; k < Math.min(i + CONNECTING_AT_ONCE, start.count + 1); k++) {
        batch.push(new SmartObject({ url: start.url, login: start.login, clock, deviceId: fleetDeviceId(k), slice, defaults }));
      }
      await Promise.all(batch.map((object) => object.start()));
      objects.push(...batch);
    }
  } catch (error) {
    await Promise.allSettled(objects.map((object) => object.stop()));
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    main.close();
    return;
  }
  const saver = setInterval(() => {
    if (Object.keys(changes).length === 0) return;
    post({ type: 'save', changes });
    changes = {};
  }, SAVE_EVERY_MS);
  main.on('message', (message: { type: 'stop' }) => {
    if (message.type !== 'stop') return;
    clearInterval(saver);
    void Promise.allSettled(objects.map((object) => object.stop())).then(() => {
      if (Object.keys(changes).length > 0) post({ type: 'save', changes });
      post({ type: 'stopped' });
      main.close();
    });
  });
  post({ type: 'ready' });
}

void run();
