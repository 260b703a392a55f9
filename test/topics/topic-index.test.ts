import { describe, expect, it } from 'vitest';
import { TopicIndex } from '../../src/broker/topic-index.js';
import { query } from './query.js';

const text = (s: string) => Buffer.from(s);

function home(): TopicIndex {
  const index = new TopicIndex();
  index.publish('home/kitchen/temp', text('21.5'), 0, false, 'sensor-1', 1_000);
  index.publish('home/kitchen/temp', text('21.7'), 1, false, 'sensor-1', 1_500);
  index.publish('home/hall/light', text('{"on":true}'), 1, true, 'switch-9', 1_600);
  index.retained('home/hall/light', text('{"on":true}'), 1, 1_600);
  index.publish('car/park', text('5'), 0, false, 'gate', 1_700);
  return index;
}

describe('the topic index', () => {
  it('shows the first levels folded, by name, with the messages and topics under each', () => {
    const view = home().query(query(), 2_000);
    expect(view.rows.map((row) => [row.name, row.count, row.topics, row.hasChildren, row.expanded])).toEqual([
      ['car', 1, 1, true, false],
      ['home', 3, 2, true, false],
    ]);
    expect(view.totalRows).toBe(2);
    expect(view.topics).toBe(3);
    expect(view.messages).toBe(4);
  });

  it('marks a folded node retained when a topic under it is, and the topic itself once unfolded', () => {
    const index = home();
    expect(index.query(query(), 2_000).rows.find((row) => row.name === 'home')?.retained).toBe(true);
    const open = index.query(query({ expanded: ['home', 'home/hall', 'home/kitchen'] }), 2_000);
    expect(open.rows.map((row) => `${'  '.repeat(row.depth)}${row.name}${row.retained ? ' R' : ''}`)).toEqual([
      'car',
      'home',
      '  hall',
      '    light R',
      '  kitchen',
      '    temp',
    ]);
  });

  it('gives the selected topic its last payload, publisher, history and whether it is retained', () => {
    const view = home().query(query({ selected: 'home/kitchen/temp' }), 2_000);
    expect(view.selected?.last?.clientId).toBe('sensor-1');
    expect(Buffer.from(view.selected!.last!.payload).toString()).toBe('21.7');
    expect(view.selected?.history.map((m) => Buffer.from(m.payload).toString())).toEqual(['21.5', '21.7']);
    expect(view.selected?.retained).toBe(false);
  });

  it('clears the retained mark when the retained message is deleted', () => {
    const index = home();
    index.retained('home/hall/light', new Uint8Array(), 0, 3_000);
    expect(index.query(query(), 3_000).rows.find((row) => row.name === 'home')?.retained).toBe(false);
  });

  it('lists the topics a wildcard filter matches, and says why a filter is not valid', () => {
    const index = home();
    expect(index.query(query({ filter: 'home/+/temp' }), 2_000).rows.map((row) => row.name)).toEqual(['home/kitchen/temp']);
    expect(index.query(query({ filter: 'home/#' }), 2_000).totalRows).toBe(2);
    const bad = index.query(query({ filter: 'home/#/x' }), 2_000);
    expect(bad.filterProblem).toMatch(/#/);
    expect(bad.rows).toEqual([]);
  });

  it('finds topics by text in their name or last payload, and keeps only retained ones when asked', () => {
    const index = home();
    expect(index.query(query({ search: 'ON' }), 2_000).rows.map((row) => row.name)).toEqual(['home/hall/light']);
    expect(index.query(query({ search: 'kitch' }), 2_000).rows.map((row) => row.name)).toEqual(['home/kitchen/temp']);
    expect(index.query(query({ retainedOnly: true }), 2_000).rows.map((row) => row.name)).toEqual(['home/hall/light']);
  });

  it('keeps a new topic a filter matches after the filter was first asked', () => {
    const index = home();
    index.query(query({ filter: 'home/#' }), 2_000);
    index.publish('home/attic/fan', text('1'), 0, false, 'fan', 2_100);
    expect(index.query(query({ filter: 'home/#' }), 2_200).rows.map((row) => row.name)).toContain('home/attic/fan');
  });

  it('sends only the rows asked for, and counts the rest', () => {
    const index = new TopicIndex();
    for (let i = 0; i < 1_000; i++) index.publish(`bench/${String(i).padStart(4, '0')}`, text('x'), 0, false, 'b', 1_000);
    const view = index.query(query({ expanded: ['bench'], offset: 10, rows: 5 }), 1_000);
    expect(view.totalRows).toBe(1_001);
    expect(view.rows.map((row) => row.name)).toEqual(['0009', '0010', '0011', '0012', '0013']);
  });

  it('holds no more than its caps: topics, bytes of a payload, history per topic and in all', () => {
    const index = new TopicIndex({ topics: 3, payloadBytes: 4, historyPerTopic: 2, historyTotal: 3 });
    for (const topic of ['a', 'b', 'c', 'd', 'e']) index.publish(topic, text('123456789'), 0, false, 'x', 1_000);
    expect(index.topicCount).toBe(3);
    expect(index.overflow).toBe(2);
    for (let i = 0; i < 5; i++) index.publish('a', text(`m${i}`), 0, false, 'x', 1_000 + i);
    const a = index.detail('a', 10, 2_000)!;
    expect(a.history.map((m) => Buffer.from(m.payload).toString())).toEqual(['m3', 'm4']);
    expect(a.last?.size).toBe(2);
    const b = index.detail('b', 10, 2_000)!;
    expect(Buffer.from(b.last!.payload).toString()).toBe('1234');
    expect(b.last!.size).toBe(9);
    const kept = ['a', 'b', 'c'].reduce((sum, topic) => sum + index.detail(topic, 10, 2_000)!.history.length, 0);
    expect(kept).toBe(3);
  });

  it('reports messages per second on a topic and on the nodes above it', () => {
    const index = new TopicIndex();
    for (let i = 0; i < 50; i++) index.publish('flood/x', text('1'), 0, false, 'noisy', 10_000 + i * 20);
    index.publish('flood/x', text('1'), 0, false, 'noisy', 11_100);
    const view = index.query(query({ clients: true }), 11_200);
    expect(view.rows[0]?.perSecond).toBeGreaterThan(40);
    expect(view.topTopics?.[0]?.name).toBe('flood/x');
    expect(view.topClients?.[0]?.name).toBe('noisy');
  });
});
