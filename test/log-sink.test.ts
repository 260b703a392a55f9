import { describe, expect, it } from 'vitest';
import { LogSink } from '../src/log-sink.js';
import type { TrafficEntry } from '../src/wire/index.js';

const publish = (topic: string): TrafficEntry => ({ seq: 7, time: 1, kind: 'publish', clientId: 'c', topic });

describe('the run\'s one traffic log', () => {
  it('numbers lines from the broker and remarks of the home in one sequence', () => {
    const sink = new LogSink();
    const seen: TrafficEntry[] = [];
    sink.listen((entries) => seen.push(...entries));
    sink.append([publish('a'), publish('b')]);
    sink.note({ kind: 'info', clientId: 'challenge', detail: 'done' });
    sink.append([publish('c')]);
    expect(seen.map((e) => [e.seq, e.topic ?? e.detail])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'done'],
      [4, 'c'],
    ]);
  });

  it('puts a remark after the broker batch that carries the packet it is about', () => {
    const sink = new LogSink(10_000);
    const seen: string[] = [];
    sink.listen((entries) => seen.push(...entries.map((e) => e.topic ?? e.detail ?? '')));
    // The service hears the wrong reply before the broker thread's batch with its PUBLISH line arrives.
    sink.note({ kind: 'info', clientId: 'challenge', detail: 'wrong reply to CMD1' });
    expect(seen).toEqual([]);
    sink.append([publish('uuid/CMD1')]);
    expect(seen).toEqual(['uuid/CMD1', 'wrong reply to CMD1']);
  });

  it('escapes wire text in remarks and names a limit by its flag', () => {
    const sink = new LogSink();
    const seen: TrafficEntry[] = [];
    sink.listen((entries) => seen.push(...entries));
    sink.note({ kind: 'info', clientId: 'x\u001b[2J', detail: 'y' });
    sink.append([{ seq: 1, time: 1, kind: 'client-error', clientId: '(broker)', detail: 'Accepting connections again; 3 were refused.', limit: 'maxConnections' }]);
    expect(seen[0]!.clientId).toBe('x\\x1B[2J');
    expect(seen[1]!.detail).toBe('Accepting connections again; 3 were refused (--max-connections).');
  });
});
