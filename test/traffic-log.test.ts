import { describe, expect, it } from 'vitest';
import { TrafficLog } from '../src/broker/traffic-log.js';
import type { TrafficEntry } from '../src/broker/traffic.js';

function entry(seq: number, clientId = `client-${seq}`, topic?: string): TrafficEntry {
  return { seq, time: 1_700_000_000_000 + seq, kind: 'publish', clientId, topic };
}
const seqs = (entries: TrafficEntry[]) => entries.map((e) => e.seq);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => entry(from + i));

describe('TrafficLog', () => {
  it('keeps entries oldest first until full', () => {
    const log = new TrafficLog(5);
    log.push(range(0, 3));
    expect(log.size).toBe(3);
    expect(seqs(log.entries())).toEqual([0, 1, 2]);
  });

  it('drops the oldest entries when it wraps around', () => {
    const log = new TrafficLog(5);
    log.push(range(0, 4));
    log.push(range(4, 8));
    expect(log.size).toBe(5);
    expect(seqs(log.entries())).toEqual([3, 4, 5, 6, 7]);
    log.push(range(8, 21));
    expect(seqs(log.entries())).toEqual([16, 17, 18, 19, 20]);
  });

  it('keeps the tail of a batch larger than the log', () => {
    const log = new TrafficLog(3);
    log.push(range(0, 10));
    expect(seqs(log.entries())).toEqual([7, 8, 9]);
  });

  it('defaults to 10,000 entries', () => {
    const log = new TrafficLog();
    log.push(range(0, 10_005));
    expect(log.size).toBe(10_000);
    expect(log.entries()[0]!.seq).toBe(5);
  });

  it('returns the visible window counted from the newest entry, across the wrap', () => {
    const log = new TrafficLog(6);
    log.push(range(0, 10)); // holds 4..9, stored across the end of the ring
    expect(seqs(log.slice(0, 3))).toEqual([7, 8, 9]);
    expect(seqs(log.slice(2, 3))).toEqual([5, 6, 7]);
    expect(seqs(log.slice(4, 3))).toEqual([4, 5]);
    expect(seqs(log.slice(100, 3))).toEqual([]);
    expect(seqs(log.slice(0, 100))).toEqual([4, 5, 6, 7, 8, 9]);
  });

  it('filters by topic or client id, ignoring case', () => {
    const log = new TrafficLog(4);
    log.push([
      entry(1, 'old', 'kitchen/light'),
      entry(2, 'thermostat', 'smart_home/thermostat/state'),
      entry(3, 'door-locker', 'smart_home/presence_data'),
      entry(4, 'mosquitto_sub'),
      entry(5, 'Kitchen-Panel', 'device/device001/info'),
    ]);
    expect(seqs(log.filter('kitchen'))).toEqual([5]); // entry 1 has wrapped away
    expect(seqs(log.filter('SMART_HOME'))).toEqual([2, 3]);
    expect(seqs(log.filter(''))).toEqual([2, 3, 4, 5]);
    expect(log.filter('nothing-like-this')).toEqual([]);
  });

  it('refuses a log with no room', () => {
    expect(() => new TrafficLog(0)).toThrow(RangeError);
  });
});
