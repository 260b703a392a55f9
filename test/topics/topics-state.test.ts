import { describe, expect, it } from 'vitest';
import type { TopicRow, TopicView } from '../../src/wire/index.js';
import { initialTopicsState, isEditing, queryOf, selectedTopic, topicsReducer, type TopicsAction, type TopicsState } from '../../src/ui/screens/topics/topics-state.js';
import { diffLines, hexLines, kindOf, numericFields, payloadLines, seriesOf } from '../../src/ui/screens/topics/payload-view.js';

const row = (path: string, over: Partial<TopicRow> = {}): TopicRow => ({
  path,
  name: path.split('/').pop()!,
  depth: path.split('/').length - 1,
  topics: 1,
  count: 1,
  perSecond: 0,
  isTopic: true,
  hasChildren: false,
  expanded: false,
  retained: false,
  lastAt: 0,
  ...over,
});

const view = (rows: TopicRow[], over: Partial<TopicView> = {}): TopicView => ({
  rows,
  totalRows: rows.length,
  offset: 0,
  topics: rows.length,
  messages: rows.length,
  overflow: 0,
  at: 0,
  ...over,
});

const run = (state: TopicsState, ...actions: TopicsAction[]) => actions.reduce(topicsReducer, state);
const bytes = (s: string) => new Uint8Array(Buffer.from(s));

describe('the Topics screen state', () => {
  const tree = view([row('home', { isTopic: false, hasChildren: true, topics: 3 }), row('lab/x')]);

  it('unfolds the selected node with → or Enter and asks for it; folding forgets what was open under it', () => {
    let state = run(initialTopicsState(10), { type: 'view', view: tree }, { type: 'unfold' });
    expect(queryOf(state).expanded).toEqual(['home']);
    state = { ...state, expanded: ['home', 'home/hall', 'homeland'] };
    state = run(state, { type: 'fold' });
    expect(state.expanded).toEqual(['homeland']);
  });

  it('asks for the detail of the topic under the cursor only', () => {
    let state = run(initialTopicsState(10), { type: 'view', view: tree });
    expect(selectedTopic(state)).toBeNull();
    state = run(state, { type: 'move', by: 1 });
    expect(queryOf(state).selected).toBe('lab/x');
    // The cursor stops at the last row.
    expect(run(state, { type: 'move', by: 5 }).cursor).toBe(1);
  });

  it('moves the window with the cursor so the selected row is always shown', () => {
    const many = view([], { totalRows: 100 });
    const state = run(initialTopicsState(10), { type: 'view', view: many }, { type: 'move', by: 25 });
    expect(state.cursor).toBe(25);
    expect(queryOf(state)).toMatchObject({ offset: 16, rows: 10 });
    expect(run(state, { type: 'move', by: -20 }).offset).toBe(5);
  });

  it('applies a typed filter with Enter, back at the top of the list; Esc leaves it as it was', () => {
    let state = run(initialTopicsState(10), { type: 'view', view: view([], { totalRows: 50 }) }, { type: 'move', by: 30 });
    state = run(state, { type: 'open-field', field: 'filter' }, { type: 'type', text: 'home/+' }, { type: 'erase' }, { type: 'type', text: '#' });
    expect(isEditing(state)).toBe(true);
    const applied = run(state, { type: 'apply' });
    expect(queryOf(applied)).toMatchObject({ filter: 'home/#', offset: 0 });
    expect(applied.cursor).toBe(0);
    expect(run(state, { type: 'leave' }).filter).toBe('');
  });

  it('toggles retained-only and the Clients view, which asks for the clients', () => {
    const state = run(initialTopicsState(10), { type: 'toggle-retained' }, { type: 'toggle-pane' });
    expect(queryOf(state)).toMatchObject({ retainedOnly: true, clients: true });
  });

  it('prefills the publish form with the last payload, its QoS and retain, and lets both be changed', () => {
    const last = { time: 0, payload: bytes('{"on":true}'), size: 11, qos: 1 as const, retain: true, clientId: 'a' };
    const selected = view([row('lab/lamp')], { selected: { topic: 'lab/lamp', count: 1, perSecond: 0, retained: true, last, history: [last] } });
    let state = run(initialTopicsState(10), { type: 'view', view: selected }, { type: 'start-publish' });
    expect(state.mode).toBe('publish');
    expect(state.publish).toEqual({ topic: 'lab/lamp', payload: '{"on":true}', qos: 1, retain: true });
    state = run(state, { type: 'next-qos' }, { type: 'next-qos' }, { type: 'toggle-retain' }, { type: 'erase' });
    expect(state.publish).toEqual({ topic: 'lab/lamp', payload: '{"on":true', qos: 0, retain: false });
  });

  it('does not start a publish form on a folded node', () => {
    const state = run(initialTopicsState(10), { type: 'view', view: tree }, { type: 'start-publish' });
    expect(state.mode).toBe('browse');
  });

  it('keeps the cursor on a row that is there when the list shrinks', () => {
    const state = run(initialTopicsState(10), { type: 'view', view: view([], { totalRows: 40 }) }, { type: 'move', by: 30 }, { type: 'view', view: tree });
    expect(state.cursor).toBe(1);
  });
});

describe('payloads as people read them', () => {
  it('pretty-prints JSON, shows text as text and binary as hex', () => {
    expect(payloadLines(bytes('{"a":1,"b":[true]}'), 40)).toEqual(['{', '  "a": 1,', '  "b": [', '    true', '  ]', '}']);
    expect(payloadLines(bytes('21.5'), 40)).toEqual(['21.5']);
    expect(kindOf(new Uint8Array([0, 1, 0xff]))).toBe('binary');
    expect(hexLines(new Uint8Array([0x41, 0, 0xff]), 80)[0]).toMatch(/^0000 {2}41 00 ff\s+A\.\.$/);
    expect(payloadLines(new Uint8Array(), 40)).toEqual(['(empty payload)']);
  });

  it('says what changed between two JSON payloads, field by field', () => {
    expect(diffLines(bytes('{"t":1,"mode":"eco"}'), bytes('{"t":2,"on":true}'))).toEqual(['~ t: 1 → 2', '+ on: true', '- mode: "eco"']);
    expect(diffLines(bytes('ON'), bytes('ON'))).toEqual(['same as the one before']);
    expect(diffLines(bytes('ON'), bytes('OFF'))).toEqual(['was: ON']);
  });

  it('offers bare numbers and numeric JSON fields for the graph, measured values before clocks', () => {
    expect(numericFields(bytes(' 21.5 '))).toEqual(['']);
    expect(numericFields(bytes('{"timestamp":1,"value":20.5,"room":{"temp":"19"},"name":"x"}'))).toEqual(['value', 'room.temp', 'timestamp']);
    expect(numericFields(bytes('hello'))).toEqual([]);
    const history = ['{"value":1}', 'oops', '{"value":3}'].map((p, i) => ({ time: i, payload: bytes(p), size: p.length, qos: 0 as const, retain: false, clientId: '' }));
    expect(seriesOf(history, 'value')).toEqual([1, 3]);
  });
});
