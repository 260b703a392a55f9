import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { startBroker, type BrokerHandle } from '../../src/broker/embedded.js';
import { embeddedTopics } from '../../src/topic-sources.js';
import { App } from '../../src/ui/App.js';
import { filterEntries } from '../../src/ui/panes/broker-log/log-state.js';
import type { TrafficEntry } from '../../src/wire/index.js';
import { emptyHomeView, MemoryHomeSource, RecordingActions } from '../fixtures/home-view.js';
import { Clients } from '../support/mqtt.js';
import { ENTER, ESC, renderAt } from './render.js';

const SIZE = { columns: 120, rows: 40 };

const entry = (seq: number, topic: string, clientId = 'c'): TrafficEntry => ({ seq, time: seq, kind: 'publish', clientId, topic });

describe('the Broker log filter', () => {
  test('with + or # it matches topics as MQTT does; otherwise it is text in the topic or client id', () => {
    const log = [entry(1, 'home/kitchen/temp'), entry(2, 'home/hall/temp'), entry(3, 'home/kitchen/temp/raw'), entry(4, 'lab/x', 'kitchen-sensor')];
    expect(filterEntries(log, 'home/+/temp').map((e) => e.seq)).toEqual([1, 2]);
    expect(filterEntries(log, 'home/kitchen/#').map((e) => e.seq)).toEqual([1, 3]);
    expect(filterEntries(log, 'kitchen').map((e) => e.seq)).toEqual([1, 3, 4]);
  });
});

describe('Enter on a Broker log line', () => {
  const clients = new Clients();
  let broker: BrokerHandle | undefined;
  afterEach(async () => {
    cleanup();
    await clients.closeAll();
    await broker?.close();
  });

  test('opens the message whole, where the line cut it with …', async () => {
    broker = await startBroker({ port: 0, host: '127.0.0.1' });
    const source = new MemoryHomeSource(emptyHomeView());
    broker.onTraffic((entries) => source.update((view) => ({ ...view, log: [...view.log, ...entries] })));
    const app = await renderAt(<App source={source} actions={new RecordingActions()} onQuit={() => {}} topics={embeddedTopics(broker)} {...SIZE} />, SIZE);
    const outside = await clients.connect(broker.url, 'long');
    const payload = JSON.stringify({ description: 'a payload far longer than one line of the log can show', reading: 21.5, lastField: 'the end' });
    await outside.publishAsync('lab/long', payload, { qos: 1 });
    let frame = await app.waitFor((f) => f.includes('lab/long'), 'the log line');
    expect(frame).not.toContain('"lastField": "the end"');
    frame = await app.press(ENTER, (f) => f.includes('"lastField": "the end"'));
    expect(frame).toContain('message whole · Esc closes');
    expect(frame).toContain(`from ${outside.options.clientId}`);
    frame = await app.press(ESC, (f) => !f.includes('message whole'));
    await app.press('/', (f) => f.includes('filter ['));
    await app.type('lab/+');
    frame = await app.press(ENTER, (f) => f.includes('as a topic filter'));
    expect(frame).toContain('lab/long');
  });
});
