import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { LocalTopics } from '../../../src/broker/local-topics.js';
import { App } from '../../../src/ui/App.js';
import type { Screen, ScreenProps } from '../../../src/ui/screens.js';
import { TopicsLink } from '../../../src/ui/screens/topics/topics-link.js';
import { OUTSIDE_BROKER_LINE, TopicsScreen } from '../../../src/ui/screens/topics/TopicsScreen.js';
import { emptyHomeView, MemoryHomeSource } from '../../fixtures/home-view.js';
import { ARROW_DOWN, BACKSPACE, ENTER, renderAt } from '../render.js';

const NOW = Date.UTC(2025, 0, 15, 14, 30, 0);
const refuse = () => Promise.reject(new Error('no home in this test'));
const actions = { register: refuse, changeTemperature: refuse, remove: refuse, toggle: refuse, switchObject: refuse };

/** An outside broker's topics as a '#' subscription heard them, at fixed times. */
function heardTopics(): LocalTopics {
  let now = NOW - 20_000;
  const topics = new LocalTopics({ now: () => now });
  const hear = (at: number, topic: string, payload: string | Uint8Array, retain = false) => {
    now = NOW - at;
    topics.heard(topic, typeof payload === 'string' ? Buffer.from(payload) : payload, 1, retain);
  };
  hear(20_000, 'device/device001/info', '{"device_id":"device001","producer":"smart-home-tui"}', true);
  for (let i = 0; i < 8; i++) hear(12_000 - i * 1000, 'lab/thermo', JSON.stringify({ timestamp: 1_700_000_000 + i, value: 20 + (i % 4) * 0.5 }));
  hear(3_000, 'lab/thermo', '{"timestamp":1700000009,"value":22.5}');
  hear(2_500, 'lab/raw', new Uint8Array([0x00, 0x01, 0xfe, 0x41]));
  hear(1_000, 'sensor/temperature', '31.2');
  now = NOW;
  return topics;
}

function topicsScreen(source: LocalTopics): Screen {
  const link = new TopicsLink({ url: 'mqtt://127.0.0.1:1' });
  return { id: 'topics', title: 'Topics', Component: (props: ScreenProps) => <TopicsScreen {...props} source={source} link={link} /> };
}

afterEach(() => cleanup());

describe.each([
  { columns: 80, rows: 24 },
  { columns: 120, rows: 40 },
])('the Topics screen at $columns x $rows', (size) => {
  test('a folded tree, unfolded to a JSON topic: the payload pretty-printed, its age, what changed, a graph and the history', async () => {
    const source = heardTopics();
    const app = await renderAt(<App source={new MemoryHomeSource(emptyHomeView())} actions={actions} onQuit={() => {}} screens={[topicsScreen(source)]} now={() => NOW} {...size} />, size);
    let frame = await app.press(']', (f) => f.includes('1 Topics') && f.includes('lab (2)'));
    expect(frame).toContain('▸ device (1)');
    // One line (two when narrow) says what only the embedded broker can show.
    expect(frame).toContain(OUTSIDE_BROKER_LINE.slice(0, 30));
    expect(frame).toMatch(/embedded broker/);
    expect(frame).toContain('4 topics · 12 msgs');
    // The retained topic marks the folded node it is under.
    expect(frame).toMatch(/▸ device \(1\)\s+1\s+R/);
    await app.press(ARROW_DOWN, (f) => f.includes('lab: 2 topics, 10 messages under it'));
    await app.press(ENTER, (f) => f.includes('▾ lab'));
    await app.press(ARROW_DOWN, (f) => f.includes('0000  00 01 fe 41'));
    frame = await app.press(ARROW_DOWN, (f) => f.includes('"value": 22.5') && f.includes('graph'));
    expect(frame).toContain('lab/thermo');
    expect(frame).toContain('3 s ago · 37 B · json · publisher');
    expect(frame).toContain('QoS 1 · not retained · 9 msgs');
    expect(frame).toContain('~ value: 21.5 → 22.5');
    if (size.rows >= 40) {
      expect(frame).toContain('── graph');
      expect(frame).toMatch(/min 20 max 22\.5/);
      expect(frame).toContain('14:29:57 {"timestamp":1700000009,"value":22.5}');
    }
    expect(frame).toMatchSnapshot();
  });

  test('binary as hex, and a filter that matches nothing says so', async () => {
    const source = heardTopics();
    const app = await renderAt(<App source={new MemoryHomeSource(emptyHomeView())} actions={actions} onQuit={() => {}} screens={[topicsScreen(source)]} now={() => NOW} {...size} />, size);
    await app.press(']', (f) => f.includes('lab (2)'));
    await app.press('/', (f) => f.includes('filter (+ #):'));
    await app.type('lab/raw');
    let frame = await app.press(ENTER, (f) => f.includes('0000  00 01 fe 41'));
    expect(frame).toMatch(/(filter )?lab\/raw · 1 shown/);
    expect(frame).toContain('binary');
    await app.press('/', (f) => f.includes('filter (+ #): [lab/raw'));
    for (let i = 0; i < 'lab/raw'.length; i++) await app.press(BACKSPACE);
    await app.type('x/#/y');
    frame = await app.press(ENTER, (f) => f.includes('bad filter: # may only'));
    expect(frame).toContain('no topic matches');
    expect(frame).toMatchSnapshot();
  });

  test('the Clients view of an outside broker says it needs the embedded one', async () => {
    const app = await renderAt(<App source={new MemoryHomeSource(emptyHomeView())} actions={actions} onQuit={() => {}} screens={[topicsScreen(heardTopics())]} now={() => NOW} {...size} />, size);
    await app.press(']', (f) => f.includes('lab (2)'));
    const frame = await app.press('c', (f) => f.includes('1 Clients'));
    expect(frame).toContain('Clients need the embedded broker');
    expect(frame).toContain('busiest topics');
  });

  test("a topic that starts with / sits under an empty first level that still has a name", async () => {
    const source = heardTopics();
    source.heard('/lab/x', Buffer.from('1'), 0, false);
    const app = await renderAt(<App source={new MemoryHomeSource(emptyHomeView())} actions={actions} onQuit={() => {}} screens={[topicsScreen(source)]} now={() => NOW} {...size} />, size);
    const frame = await app.press(']', (f) => f.includes("▸ '' (1)"));
    expect(frame).toContain("'' (the topics that start with /): 1");
    await app.press(ENTER, (f) => f.includes("▾ ''"));
    await app.press(ARROW_DOWN, (f) => f.includes('▸ lab (1)'));
  });
});
