// The fleet's threads run nicer than the rest of the program, so on a busy machine the UI and the
// broker get the cores first. Linux only: elsewhere threads have no priority of their own.
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { FLEET_NICENESS } from '../src/sim/thread-priority.js';

const lowerInAThread = `
  import { parentPort } from 'node:worker_threads';
  const { lowerThisThread } = await import(${JSON.stringify(new URL('../src/sim/thread-priority.ts', import.meta.url).href)});
  parentPort.postMessage(lowerThisThread());
  // Kept alive until the test has read the priority.
  parentPort.once('message', () => process.exit(0));
`;

describe.skipIf(process.platform !== 'linux')('a fleet thread', () => {
  it('is lowered by FLEET_NICENESS while the thread that started it keeps its priority', async () => {
    const before = getPriority();
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(lowerInAThread)}`), { eval: false });
    try {
      const tid = await new Promise<number | undefined>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(tid).toBeGreaterThan(0);
      expect(tid).not.toBe(process.pid);
      expect(getPriority(tid!)).toBe(Math.min(19, before + FLEET_NICENESS));
      expect(getPriority()).toBe(before);
    } finally {
      worker.postMessage('done');
      await new Promise((resolve) => worker.once('exit', resolve));
    }
  });
});
