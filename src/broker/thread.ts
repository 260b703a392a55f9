import { Worker } from 'node:worker_threads';
import { BrokerError, type BrokerErrorCode, type ListenerKey } from './broker-error.js';
import type {
  BrokerHandle,
  BrokerOptions,
  BrokerStats,
  RetainedMessage,
} from './embedded.js';
import type { TrafficEntry } from '../wire/traffic.js';
import type { TopicDetail, TopicQuery, TopicView } from '../wire/topic-view.js';

/** What the broker thread is started with. */
export interface ThreadStart {
  opts: BrokerOptions;
  /** clients, messagesPerSecond, messagesTotal: written by the broker thread, read here without a message. */
  stats: SharedArrayBuffer;
}

/** Messages from the broker thread. */
export type FromBrokerThread =
  | { type: 'ready'; url: string; port: number; wsPort?: number; wsUrl?: string }
  | { type: 'failed'; message: string; code?: BrokerErrorCode; port?: number; host?: string; listener?: ListenerKey }
  | { type: 'traffic'; entries: TrafficEntry[] }
  | { type: 'retained'; changes: RetainedMessage[] }
  | { type: 'topics'; view: TopicView }
  | { type: 'disconnected'; ask: number; done: boolean }
  | { type: 'looked-up'; ask: number; detail?: TopicDetail }
  | { type: 'closed' };

/** Messages to the broker thread. */
export type ToBrokerThread =
  | { type: 'watch-traffic'; on: boolean }
  | { type: 'watch-topics'; query: TopicQuery | null }
  | { type: 'disconnect'; clientId: string; ask: number }
  | { type: 'lookup'; topic: string; ask: number }
  | { type: 'close' };

export const STATS_SLOTS = 3;

/**
 * The same broker as startBroker, run in a worker thread so a flood of messages never
 * stalls the UI. Traffic and retained changes arrive here in the same batches.
 */
export async function startBrokerThread(opts: BrokerOptions): Promise<BrokerHandle> {
  const statsBuffer = new SharedArrayBuffer(STATS_SLOTS * BigInt64Array.BYTES_PER_ELEMENT);
  const stats = new BigInt64Array(statsBuffer);
  const workerData: ThreadStart = { opts, stats: statsBuffer };
  // worker.js next to this file; worker.ts when the sources run as they are (the tests).
  const extension = import.meta.url.slice(import.meta.url.lastIndexOf('.'));
  const worker = new Worker(new URL(`./worker${extension}`, import.meta.url), { workerData });

  const trafficListeners = new Set<(entries: TrafficEntry[]) => void>();
  const retainedListeners = new Set<(changes: RetainedMessage[]) => void>();
  const viewListeners = new Set<(view: TopicView) => void>();
  const disconnects = new Map<number, (done: boolean) => void>();
  const lookups = new Map<number, (detail: TopicDetail | undefined) => void>();
  let asks = 0;
  let closing: Promise<void> | undefined;
  let exited = false;
  let resolveClosed: () => void = () => {};
  const closedByThread = new Promise<void>((resolve) => (resolveClosed = resolve));

  const send = (message: ToBrokerThread) => {
    if (!exited) worker.postMessage(message);
  };
  const emitTraffic = (entries: TrafficEntry[]) => {
    for (const listener of trafficListeners) listener(entries);
  };

  const ready = await new Promise<Extract<FromBrokerThread, { type: 'ready' }>>((resolve, reject) => {
    const onMessage = (message: FromBrokerThread) => {
      if (message.type === 'ready') {
        cleanup();
        resolve(message);
      } else if (message.type === 'failed') {
        cleanup();
        reject(
          message.code !== undefined
            ? new BrokerError(message.code, message.port ?? opts.port, message.host ?? opts.host, message.listener ?? 'port')
            : new Error(`The broker could not start: ${message.message}`),
        );
      }
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`The broker thread stopped while starting (exit code ${code}).`));
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });

  worker.on('message', (message: FromBrokerThread) => {
    switch (message.type) {
      case 'traffic':
        emitTraffic(message.entries);
        break;
      case 'retained':
        for (const listener of retainedListeners) listener(message.changes);
        break;
      case 'topics':
        for (const listener of viewListeners) listener(message.view);
        break;
      case 'disconnected':
        disconnects.get(message.ask)?.(message.done);
        disconnects.delete(message.ask);
        break;
      case 'looked-up':
        lookups.get(message.ask)?.(message.detail);
        lookups.delete(message.ask);
        break;
      case 'closed':
        resolveClosed();
        break;
    }
  });
  worker.on('error', (error) => {
    emitTraffic([
      { seq: -1, time: Date.now(), kind: 'info', clientId: '(broker)', detail: `The broker stopped: ${error.message}` },
    ]);
  });
  worker.on('exit', () => {
    exited = true;
    for (const answer of disconnects.values()) answer(false);
    disconnects.clear();
    for (const answer of lookups.values()) answer(undefined);
    lookups.clear();
    resolveClosed();
  });

  return {
    url: ready.url,
    port: ready.port,
    wsPort: ready.wsPort,
    wsUrl: ready.wsUrl,
    stats(): BrokerStats {
      return {
        clients: Number(Atomics.load(stats, 0)),
        messagesPerSecond: Number(Atomics.load(stats, 1)),
        messagesTotal: Number(Atomics.load(stats, 2)),
      };
    },
    onTraffic(cb) {
      trafficListeners.add(cb);
      // The thread only builds entries while someone here reads them.
      if (trafficListeners.size === 1) send({ type: 'watch-traffic', on: true });
      return () => {
        if (trafficListeners.delete(cb) && trafficListeners.size === 0) send({ type: 'watch-traffic', on: false });
      };
    },
    onRetained(cb) {
      retainedListeners.add(cb);
      return () => retainedListeners.delete(cb);
    },
    topics: {
      watch: (query) => send({ type: 'watch-topics', query }),
      onView(cb) {
        viewListeners.add(cb);
        return () => viewListeners.delete(cb);
      },
      lookup: (topic) =>
        new Promise<TopicDetail | undefined>((resolve) => {
          if (exited) return resolve(undefined);
          const ask = ++asks;
          lookups.set(ask, resolve);
          send({ type: 'lookup', topic, ask });
        }),
      disconnect: (clientId) =>
        new Promise<boolean>((resolve) => {
          if (exited) return resolve(false);
          const ask = ++asks;
          disconnects.set(ask, resolve);
          send({ type: 'disconnect', clientId, ask });
        }),
    },
    close() {
      closing ??= (async () => {
        send({ type: 'close' });
        await closedByThread;
        await worker.terminate();
        trafficListeners.clear();
        retainedListeners.clear();
        viewListeners.clear();
      })();
      return closing;
    },
  };
}
