import { parentPort, workerData } from 'node:worker_threads';
import { BrokerError, startBroker, type BrokerHandle } from './embedded.js';
import type { FromBrokerThread, ThreadStart, ToBrokerThread } from './thread.js';

// The broker thread: runs startBroker and mirrors its handle to the thread that started it.

const STATS_EVERY_MS = 100;
const main = parentPort!;
const { opts, stats: statsBuffer } = workerData as ThreadStart;
const stats = new BigInt64Array(statsBuffer);
const post = (message: FromBrokerThread) => main.postMessage(message);

function writeStats(handle: BrokerHandle): void {
  const now = handle.stats();
  Atomics.store(stats, 0, BigInt(now.clients));
  Atomics.store(stats, 1, BigInt(now.messagesPerSecond));
  Atomics.store(stats, 2, BigInt(now.messagesTotal));
}

async function run(): Promise<void> {
  let handle: BrokerHandle;
  try {
    handle = await startBroker(opts);
  } catch (error) {
    if (error instanceof BrokerError) {
      post({ type: 'failed', code: error.code, port: error.port, host: error.host, listener: error.listener, message: error.message });
    } else {
      post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    }
    main.close();
    return;
  }

  let stopTraffic: (() => void) | undefined;
  handle.onRetained((changes) => post({ type: 'retained', changes }));
  handle.topics.onView((view) => post({ type: 'topics', view }));
  const statsTimer = setInterval(() => writeStats(handle), STATS_EVERY_MS);

  main.on('message', (message: ToBrokerThread) => {
    switch (message.type) {
      case 'watch-traffic':
        if (message.on) stopTraffic ??= handle.onTraffic((entries) => post({ type: 'traffic', entries }));
        else {
          stopTraffic?.();
          stopTraffic = undefined;
        }
        break;
      case 'watch-topics':
        handle.topics.watch(message.query);
        break;
      case 'lookup':
        void handle.topics.lookup(message.topic).then((detail) => post({ type: 'looked-up', ask: message.ask, ...(detail ? { detail } : {}) }));
        break;
      case 'disconnect':
        void handle.topics.disconnect(message.clientId).then((done) => post({ type: 'disconnected', ask: message.ask, done }));
        break;
      case 'close':
        void handle.close().then(() => {
          clearInterval(statsTimer);
          writeStats(handle);
          post({ type: 'closed' });
          main.close();
        });
        break;
    }
  });

  writeStats(handle);
  post({ type: 'ready', url: handle.url, port: handle.port, wsPort: handle.wsPort, wsUrl: handle.wsUrl });
}

void run();
