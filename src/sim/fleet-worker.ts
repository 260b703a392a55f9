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

const objects: SmartObject[] = [];
let saver: NodeJS.Timeout | undefined;
let stopping: Promise<void> | undefined;
/** The objects being connected now; a stop waits for them, so none is left connected. */
let connecting: Promise<unknown> = Promise.resolve();

/** Stops every object that started, saves their last state and ends the thread; also in the middle of the start. */
function stop(): Promise<void> {
  stopping ??= (async () => {
    clearInterval(saver);
    await connecting.catch(() => undefined);
    await Promise.allSettled(objects.map((object) => object.stop()));
    if (Object.keys(changes).length > 0) post({ type: 'save', changes });
    post({ type: 'stopped' });
    main.close();
  })();
  return stopping;
}

main.on('message', (message: { type: 'stop' }) => {
  if (message.type === 'stop') void stop();
});

async function run(): Promise<void> {
  const defaults = start.defaults;
  const clock = realClock();
  try {
    for (let i = 1; i <= start.count && !stopping; i += CONNECTING_AT_ONCE) {
      const batch: SmartObject[] = [];
      for (let k = i; k < Math.min(i + CONNECTING_AT_ONCE, start.count + 1); k++) {
        batch.push(new SmartObject({ url: start.url, login: start.login, clock, deviceId: fleetDeviceId(k), slice, defaults }));
      }
      objects.push(...batch);
      connecting = Promise.all(batch.map((object) => object.start()));
      await connecting;
    }
  } catch (error) {
    if (stopping) return;
    await Promise.allSettled(objects.map((object) => object.stop()));
    post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    main.close();
    return;
  }
  if (stopping) return;
  saver = setInterval(() => {
    if (Object.keys(changes).length === 0) return;
    post({ type: 'save', changes });
    changes = {};
  }, SAVE_EVERY_MS);
  post({ type: 'ready' });
}

void run();
