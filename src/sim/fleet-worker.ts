import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { realClock } from './clock.js';
import type { FleetStart, FromFleet } from './fleet.js';
import { fleetDeviceId, fleetGatewayId } from './fleet-plan.js';
import { Gateway } from './gateway.js';
import type { SliceStore, SmartObjectsSlice } from './slice-store.js';
import { SmartObject } from './smart-object.js';

// A fleet thread: its range of smart objects, each with its own MQTT client or behind a gateway.

const SAVE_EVERY_MS = 1000;
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
const gateways = new Map<string, Gateway>();
const announcing: Promise<void>[] = [];
let saver: NodeJS.Timeout | undefined;
let stopping: Promise<void> | undefined;
/** The objects being connected now; a stop waits for them, so none is left connected. */
const connecting = new Set<Promise<void>>();

/** The gateway of the i-th object, opened when its first device comes. */
async function gatewayOf(i: number): Promise<Gateway> {
  const id = fleetGatewayId(i);
  let gateway = gateways.get(id);
  if (!gateway) {
    gateway = await Gateway.open(start.url, id, start.login);
    gateways.set(id, gateway);
  }
  return gateway;
}

function connectOne(i: number): Promise<void> {
  const connected = connectObject(i);
  connecting.add(connected);
  return connected.finally(() => connecting.delete(connected));
}

async function connectObject(i: number): Promise<void> {
  const gateway = start.via === 'gateway' ? await gatewayOf(i) : undefined;
  const object = new SmartObject({
    url: start.url,
    login: start.login,
    clock,
    deviceId: fleetDeviceId(i),
    slice,
    defaults: start.defaults,
    ...(gateway ? { link: async () => gateway.attach(fleetDeviceId(i)) } : {}),
  });
  await object.connect();
  objects.push(object);
  // Awaited with the others once all are connected; a failure before then is kept, not left unhandled.
  const announced = object.announce();
  announced.catch(() => {});
  announcing.push(announced);
}

const clock = realClock();

/** Connects every object, at most start.connectingAtOnce waiting at a time; the first failure ends it. */
async function connectAll(): Promise<void> {
  let next = start.ids.first;
  // A gateway's first device opens it; the rest of its devices wait for that one connection.
  const lanes = start.via === 'gateway' ? 1 : start.connectingAtOnce;
  const lane = async () => {
    while (!stopping && next <= start.ids.last) await connectOne(next++);
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  await Promise.all(announcing);
}

/** The soft limit on open files, read before the fleet uses them up (Linux; undefined elsewhere). */
function openFileLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    return Number.isFinite(soft) ? soft : undefined;
  } catch {
    return undefined;
  }
}
const fileLimit = openFileLimit();

/** A failure as one sentence; running out of file descriptors names the limit to raise. */
function failureSentence(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (!message.includes('EMFILE')) return message;
  const now = fileLimit === undefined ? '' : ` (it is ${fileLimit})`;
  return `The fleet ran out of file descriptors after ${objects.length} of its ${start.ids.last - start.ids.first + 1} objects connected: each connection takes one, two when the broker runs in the same program, so raise the limit with ulimit -n${now} before starting, or use --fleet-via gateway.`;
}

async function stopAll(): Promise<void> {
  await Promise.allSettled([...connecting]);
  await Promise.allSettled(objects.map((object) => object.stop()));
  await Promise.allSettled([...gateways.values()].map((gateway) => gateway.close()));
}

/** Stops every object that started, saves their last state and ends the thread; also in the middle of the start. */
function stop(): Promise<void> {
  stopping ??= (async () => {
    clearInterval(saver);
    await stopAll();
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
  try {
    await connectAll();
  } catch (error) {
    if (stopping) return;
    stopping = Promise.resolve();
    await stopAll();
    post({ type: 'failed', message: failureSentence(error) });
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
