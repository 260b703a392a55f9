// How often the home's screen is told of changes: ten times a second while the UI's thread has
// time, less often while drawing keeps it busy, and back again when the load is gone.
import type { EventLoopUtilization } from 'node:perf_hooks';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { Feed } from '../src/sim/feed.js';
import { pacedByLoad } from '../src/sim/load-pacing.js';

/** A thread's event-loop clock that the test moves: `spend(ms, busy)` passes ms, busy part of it. */
function threadClock() {
  const now: EventLoopUtilization = { idle: 0, active: 0, utilization: 0 };
  return {
    read: (): EventLoopUtilization => ({ ...now }),
    spend(ms: number, busy: number) {
      now.active += ms * busy;
      now.idle += ms * (1 - busy);
    },
  };
}

const pacing = { minMs: 100, maxMs: 1000, busyShare: 0.2 };

describe('pacedByLoad', () => {
  test('stays at the shortest interval while the thread is mostly idle', () => {
    const clock = threadClock();
    const interval = pacedByLoad(pacing, clock.read);
    for (let i = 0; i < 20; i++) {
      clock.spend(100, 0.05);
      expect(interval()).toBe(100);
    }
  });

  test('grows while the thread is busier than its share, never past the longest, and comes back when the load goes', () => {
    const clock = threadClock();
    const interval = pacedByLoad(pacing, clock.read);
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      clock.spend(seen.at(-1) ?? 100, 0.6);
      seen.push(interval());
    }
    expect(seen[0]).toBeGreaterThan(100);
    expect(seen.every((ms, i) => i === 0 || ms >= seen[i - 1]!)).toBe(true);
    expect(seen.at(-1)).toBe(1000);
    for (let i = 0; i < 8; i++) {
      clock.spend(seen.at(-1)!, 0.02);
      seen.push(interval());
    }
    expect(seen.at(-1)).toBe(100);
  });

  test('holds a steady load near its share: a thread busy 40 % of the time at 100 ms settles where drawing takes a fifth', () => {
    const clock = threadClock();
    const interval = pacedByLoad(pacing, clock.read);
    // Each update costs 40 ms of work; between updates the thread idles.
    let ms = 100;
    for (let i = 0; i < 30; i++) {
      clock.spend(ms, Math.min(1, 40 / ms));
      ms = interval();
    }
    expect(ms).toBeGreaterThanOrEqual(190);
    expect(ms).toBeLessThanOrEqual(210);
  });
});

describe('a feed paced by a function', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  test('asks it before each notification and waits that long after the last one', () => {
    vi.useFakeTimers();
    const waits = [100, 400];
    const asked: number[] = [];
    const feed = new Feed<number, number>(0, (_state, n) => n, {
      notifyEveryMs: () => {
        const ms = waits[Math.min(asked.length, waits.length - 1)]!;
        asked.push(ms);
        return ms;
      },
    });
    let told = 0;
    feed.subscribe(() => told++);
    feed.dispatch(1);
    vi.advanceTimersByTime(0);
    expect(told).toBe(1);
    feed.dispatch(2);
    vi.advanceTimersByTime(399);
    expect(told).toBe(1);
    vi.advanceTimersByTime(1);
    expect(told).toBe(2);
    expect(feed.getSnapshot()).toBe(2);
    feed.close();
  });
});
