import { describe, expect, it } from 'vitest';
import { FIRST_RETRY_MS, LAST_RETRY_MS, closeConnection, nextRetryMs, openConnection } from '../src/sim/connection.js';
import { startBareBroker } from './fixtures/bare-broker.js';

describe('a device client that lost its broker', () => {
  it('waits twice as long before each new attempt, and starts again at 1 s once connected', async () => {
    let broker = await startBareBroker();
    const client = await openConnection(broker.url, `backoff-test-${process.pid}`);
    try {
      expect(nextRetryMs(client)).toBe(FIRST_RETRY_MS);
      const waits: number[] = [];
      const twoAttempts = new Promise<void>((resolve) =>
        client.on('reconnect', () => {
          // Read after this attempt's handler set the wait before the next one.
          setImmediate(() => {
            waits.push(nextRetryMs(client));
            if (waits.length === 2) resolve();
          });
        }),
      );
      await broker.close();
      await twoAttempts;
      expect(waits).toEqual([2 * FIRST_RETRY_MS, 4 * FIRST_RETRY_MS]);
      expect(LAST_RETRY_MS).toBe(30_000);

      const back = new Promise<void>((resolve) => client.once('connect', () => resolve()));
      broker = await startBareBroker(broker.port);
      await back;
      expect(nextRetryMs(client)).toBe(FIRST_RETRY_MS);
    } finally {
      await closeConnection(client);
      await broker.close();
    }
  }, 20_000);
});
