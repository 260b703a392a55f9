import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Login } from './connection.js';
import { HomeError } from './errors.js';
import type { SmartObjectDefaults } from './defaults.js';
import { fleetDeviceId, idsPerUnit, partRange, splitRange, type FleetPart, type FleetVia, type IdRange } from './fleet-plan.js';
import type { SmartObjectsSlice } from './slice-store.js';

/**
 * A fleet of simulated smart objects (`--fleet N`): each its own MQTT client with its own client
 * id, as the design asks of every device, or (`--fleet-via gateway`) many behind a few gateway
 * connections. They run on threads of their own, one per core but the one the broker and the UI
 * share: thousands of clients ticking once a second would otherwise share the UI's event loop.
 * Their state comes back once a second in one batch per thread for the data file.
 */
export interface FleetOptions {
  url: string;
  login?: Login;
  /** The whole fleet's size; this process runs `part` of it. */
  count: number;
  via?: FleetVia;
  part?: FleetPart;
  /** Threads to spread the objects over; default one per core but one, at least one. */
  threads?: number;
  /** What the data file holds for the smart objects, so a fleet resumes where it was. */
  saved: SmartObjectsSlice;
  /** data/home.json's smart-object model, as the program read it. */
  defaults: SmartObjectDefaults;
  /** Each second, the objects whose state changed. */
  onSave(changes: SmartObjectsSlice): void;
  /** Aborted: the start stops where it is, the objects already connected are stopped and saved. */
  signal?: AbortSignal;
}

/** What one fleet thread is given. */
export interface FleetStart {
  url: string;
  login?: Login;
  ids: IdRange;
  via: FleetVia;
  saved: SmartObjectsSlice;
  defaults: SmartObjectDefaults;
  /** Connections this thread keeps waiting for their CONNACK at once. */
  connectingAtOnce: number;
}

/**
 * Connections the whole fleet keeps waiting for their CONNACK at once, shared by its threads. A
 * busy broker answers a CONNECT only after a turn of its event loop that may take a tenth of a
 * second; with 100 waiting, a broker already carrying thousands of objects' telemetry took
 * minutes to let the last of 10,000 in. 500 stays below the 511 connections a Node listener
 * (the embedded broker's) holds before it accepts them.
 */
export const FLEET_CONNECTING_AT_ONCE = 500;

export type FromFleet = { type: 'ready' } | { type: 'failed'; message: string } | { type: 'save'; changes: SmartObjectsSlice } | { type: 'stopped' };

export interface Fleet {
  /** The ids this process runs. */
  readonly ids: IdRange;
  stop(): Promise<void>;
}

export function defaultFleetThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const via = options.via ?? 'connections';
  const ids = partRange(options.count, options.part ?? { index: 1, of: 1 }, idsPerUnit(via));
  const threads = ids.last < ids.first ? [] : splitRange(ids, options.threads ?? defaultFleetThreads(), idsPerUnit(via));
  const connectingAtOnce = Math.max(1, Math.floor(FLEET_CONNECTING_AT_ONCE / Math.max(1, threads.length)));
  const started = threads.map((range) => startThread({ ...options, via, ids: range, connectingAtOnce }));
  const outcomes = await Promise.allSettled(started);
  const running = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const stopAll = () => Promise.all(running.map((thread) => thread.stop())).then(() => {});
  const failure = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failure) {
    await stopAll();
    throw failure.reason;
  }
  let stopping: Promise<void> | undefined;
  return { ids, stop: () => (stopping ??= stopAll()) };
}

interface ThreadOptions extends Omit<FleetOptions, 'via' | 'part' | 'count' | 'threads'> {
  via: FleetVia;
  ids: IdRange;
  connectingAtOnce: number;
}

async function startThread(options: ThreadOptions): Promise<{ stop(): Promise<void> }> {
  const saved: SmartObjectsSlice = {};
  for (let i = options.ids.first; i <= options.ids.last; i++) {
    const id = fleetDeviceId(i);
    if (options.saved[id]) saved[id] = options.saved[id];
  }
  const workerData: FleetStart = {
    url: options.url,
    login: options.login,
    ids: options.ids,
    via: options.via,
    saved,
    defaults: options.defaults,
    connectingAtOnce: options.connectingAtOnce,
  };
  // fleet-worker.js next to this file; fleet-worker.ts when the sources run as they are (the tests).
  const extension = import.meta.url.slice(import.meta.url.lastIndexOf('.'));
  const worker = new Worker(new URL(`./fleet-worker${extension}`, import.meta.url), { workerData });
  let stopped: () => void = () => {};
  const whenStopped = new Promise<void>((resolve) => (stopped = resolve));
  worker.on('exit', () => stopped());
  worker.on('message', (message: FromFleet) => {
    if (message.type === 'save') options.onSave(message.changes);
    else if (message.type === 'stopped') stopped();
  });
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      worker.postMessage({ type: 'stop' });
      await whenStopped;
      await worker.terminate();
    })());
  const aborted = () => void stop();
  options.signal?.addEventListener('abort', aborted, { once: true });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromFleet) => {
        if (message.type === 'ready') resolve();
        else if (message.type === 'failed') reject(new HomeError(message.message));
      });
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`The fleet thread stopped while starting (exit code ${code}).`)));
      // A stop asked for during the start: the promise settles once the objects are stopped and saved.
      void whenStopped.then(() => reject(new FleetStartStopped()));
      if (options.signal?.aborted) aborted();
    });
  } catch (error) {
    if (stopping) await stopping;
    await worker.terminate();
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', aborted);
  }
  return { stop };
}

/** The fleet's start was stopped by its signal; what had connected is stopped and saved. */
export class FleetStartStopped extends Error {
  constructor() {
    super('The fleet was stopped while it started.');
    this.name = 'FleetStartStopped';
  }
}
