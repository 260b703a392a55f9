import { describe, expect, it } from 'vitest';
import { ManualClock, seededRandom } from '../src/sim/clock.js';

describe('the manual clock', () => {
  it('runs due timers in time order and intervals repeatedly', () => {
    const clock = new ManualClock(0);
    const ran: string[] = [];
    clock.setTimeout(() => ran.push(`late@${clock.now()}`), 2500);
    clock.setInterval(() => ran.push(`tick@${clock.now()}`), 1000);
    const cancelled = clock.setTimeout(() => ran.push('cancelled'), 500);
    clock.clearTimeout(cancelled);
    clock.advance(3000);
    expect(ran).toEqual(['tick@1000', 'tick@2000', 'late@2500', 'tick@3000']);
    expect(clock.now()).toBe(3000);
  });

  it('runs a timer set by a timer within the same advance', () => {
    const clock = new ManualClock(0);
    const ran: number[] = [];
    clock.setTimeout(() => clock.setTimeout(() => ran.push(clock.now()), 10_000), 1000);
    clock.advance(10_999);
    expect(ran).toEqual([]);
    clock.advance(1);
    expect(ran).toEqual([11_000]);
    expect(clock.pendingTimers()).toBe(0);
  });
});

describe('the seeded random', () => {
  it('repeats under the same seed and differs under another', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect([c(), c(), c()]).not.toEqual(first);
    for (const value of first) expect(value >= 0 && value < 1).toBe(true);
  });
});
