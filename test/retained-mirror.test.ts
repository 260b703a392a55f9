import { describe, expect, it } from 'vitest';
import { RetainedMirror } from '../src/retained-mirror.js';
import { emptyHome } from '../src/store/schema.js';
import { serialiseHome } from '../src/store/serialise.js';

const message = (topic: string, text: string) => ({ topic, payload: Buffer.from(text).toString('base64'), qos: 1 as const });
const texts = (list: Array<{ topic: string; payload: string }>) =>
  Object.fromEntries(list.map((entry) => [entry.topic, Buffer.from(entry.payload, 'base64').toString()]));

describe("the data file's copy of the retained messages", () => {
  it('adds, replaces and clears messages one change at a time, and a topic twice in the file keeps its last message', () => {
    const list = [message('a', '1'), message('b', '2'), message('a', '3')];
    const mirror = new RetainedMirror(list);
    expect(texts(list)).toEqual({ a: '3', b: '2' });
    mirror.apply([message('c', '4'), message('b', '5'), { ...message('a', ''), payload: '' }]);
    expect(texts(list)).toEqual({ b: '5', c: '4' });
    mirror.apply([{ ...message('c', ''), payload: '' }, message('d', '6'), { ...message('x', ''), payload: '' }]);
    expect(texts(list)).toEqual({ b: '5', d: '6' });
    expect(list).toHaveLength(2);
  });

  it('is written as the home it holds, also after a message changed', () => {
    const home = emptyHome();
    const mirror = new RetainedMirror(home.broker.retained);
    mirror.apply([message('device/one/info', '{"a":1}'), message('device/two/info', 'two')]);
    expect(JSON.parse(serialiseHome(home))).toEqual(home);
    mirror.apply([message('device/one/info', 'changed')]);
    const saved = JSON.parse(serialiseHome(home)) as typeof home;
    expect(texts(saved.broker.retained)).toEqual({ 'device/one/info': 'changed', 'device/two/info': 'two' });
    expect(JSON.parse(serialiseHome(emptyHome()))).toEqual(emptyHome());
  });
});
