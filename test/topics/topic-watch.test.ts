// When the Topics screen's questions are answered: a key at once, a held key at the traffic
// log's pace, and a flood as a few refreshes a second.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TopicIndex } from '../../src/broker/topic-index.js';
import { TopicWatch } from '../../src/broker/topic-watch.js';
import type { TopicView } from '../../src/wire/index.js';
import { query } from './query.js';

describe('TopicWatch', () => {
  let index: TopicIndex;
  let answers: TopicView[];
  let watch: TopicWatch;
  beforeEach(() => {
    vi.useFakeTimers();
    index = new TopicIndex();
    for (let n = 0; n < 50; n++) index.publish(`lab/${n}`, Buffer.from(String(n)), 0, false, 'sensor', Date.now());
    answers = [];
    watch = new TopicWatch(index, (view) => answers.push(view), { answerMs: 10, refreshMs: 250 });
  });
  afterEach(() => {
    watch.close();
    vi.useRealTimers();
  });

  it('answers a new question in the next turn, without waiting for a batch', () => {
    watch.watch(query({ selected: 'lab/7' }));
    vi.advanceTimersByTime(0);
    expect(answers).toHaveLength(1);
    expect(answers[0]!.selected?.topic).toBe('lab/7');
  });

  it('answers questions asked faster than the batch at most once per batch, always the newest', () => {
    watch.watch(query({ selected: 'lab/1' }));
    vi.advanceTimersByTime(0);
    watch.watch(query({ selected: 'lab/2' }));
    watch.watch(query({ selected: 'lab/3' }));
    vi.advanceTimersByTime(9);
    expect(answers.map((view) => view.selected?.topic)).toEqual(['lab/1']);
    vi.advanceTimersByTime(1);
    expect(answers.map((view) => view.selected?.topic)).toEqual(['lab/1', 'lab/3']);
  });

  it('while messages flow, sends the watched slice again once per refresh, not once per message', () => {
    watch.watch(query({ selected: 'lab/1' }));
    vi.advanceTimersByTime(0);
    for (let n = 0; n < 100; n++) {
      index.publish('lab/1', Buffer.from(`x${n}`), 0, false, 'sensor', Date.now());
      watch.changed();
      vi.advanceTimersByTime(5);
    }
    // 500 ms of a flood: two refreshes, the last one with a newer message.
    expect(answers.length).toBe(3);
    expect(Buffer.from(answers.at(-1)!.selected!.last!.payload).toString()).toMatch(/^x\d+$/);
  });
});
