import { Worker } from 'node:worker_threads';
import type { Login } from './connection.js';
import type { SmartObjectDefaults } from './defaults.js';
import type { SmartObjectsSlice } from './slice-store.js';

/**
 * A fleet of simulated smart objects (`--fleet N`), each its own MQTT client with its own
 * client id, as the design asks of every device. They run in a thread of their own: thousands
 * of clients ticking once a second would otherwise share the UI's event loop. Their state
 * comes back once a second in one batch for the data file.
 */
export interface FleetOptions {
  url: string;
  login?: Login;
  count: number;
  /** What the data file holds for the smart objects, so a fleet resumes where it was. */
  saved: SmartObjectsSlice;
  /** data/home.json's smart-object model, as the program read it. */
  defaults: SmartObjectDefaults;
  /** Each second, the objects whose state changed. */
  onSave(changes: SmartObjectsSlice): void;
  /** Aborted: the start stops where it is, the objects already connected are stopped and saved. */
  signal?: AbortSignal;
}

export interface FleetStart {
  url: string;
  login?: Login;
  count: number;
  saved: SmartObjectsSlice;
  defaults: SmartObjectDefaults;
}

export type FromFleet = { type: 'ready' } | { type: 'failed'; message: string } | { type: 'save'; changes: SmartObjectsSlice } | { type: 'stopped' };

export interface Fleet {
  stop(): Promise<void>;
}

/** The id of the i-th object of the fleet (1-based): fleet00001 ... */
export function fleetDeviceId(i: number): string {
  return `fleet${String(i).padStart(5, '0')}`;
}

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const workerData: FleetStart = { url: options.url, login: options.login, count: options.count, saved: options.saved, defaults: options.defaults };
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
        else if (message.type === 'failed') reject(new Error(message.message));
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
