import { describe, expect, it } from 'vitest';
import { startTogether } from '../src/sim/start-in-order.js';

/** A part that starts when told to (so the test decides the order of the handshakes) and records its stop. */
function part(name: string, stopped: string[]) {
  let finish: (ok: boolean) => void = () => {};
  const started = new Promise<boolean>((resolve) => (finish = resolve));
  return {
    finish,
    start: async () => {
      if (!(await started)) throw new Error(`${name} could not start`);
      return { name, stop: async () => void stopped.push(name) };
    },
  };
}

describe('parts started together', () => {
  it('all start before any has finished, and come back in the order given', async () => {
    const stopped: string[] = [];
    const [a, b, c] = [part('a', stopped), part('b', stopped), part('c', stopped)];
    const all = startTogether([a.start, b.start, c.start]);
    // The last one finishes first: had they started one after another, this would never resolve.
    c.finish(true);
    b.finish(true);
    a.finish(true);
    expect((await all).map((started) => started.name)).toEqual(['a', 'b', 'c']);
    expect(stopped).toEqual([]);
  });

  it('stops those that started when one fails, and says why it failed', async () => {
    const stopped: string[] = [];
    const [a, b, c] = [part('a', stopped), part('b', stopped), part('c', stopped)];
    const all = startTogether([a.start, b.start, c.start]);
    a.finish(true);
    b.finish(false);
    c.finish(true);
    await expect(all).rejects.toThrow('b could not start');
    expect(stopped).toEqual(['c', 'a']);
  });
});
