// The data file's text: what the store writes is the home as indented JSON, whatever of it was
// kept from an earlier write, and the file follows a change.
import { describe, expect, it } from 'vitest';
import { emptyHome } from '../src/store/schema.js';
import { serialiseHome, serialiseHomeInSlices } from '../src/store/serialise.js';
import { writeWait } from '../src/store/write-wait.js';

/** The home as indented JSON, the retained list last in its part (where the file keeps it). */
function indented(home: ReturnType<typeof emptyHome>): string {
  const { retained, ...broker } = home.broker;
  return `${JSON.stringify({ ...home, broker: { ...broker, retained } }, null, 2)}\n`;
}

describe('the data file text', () => {
  it('is the indented JSON of the home, for smart objects kept from the last write and for ones that changed', () => {
    const home = emptyHome();
    for (let n = 1; n <= 3; n++) home.smartObjects[`fleet0000${n}`] = { switch: 'ON', temperature: 20 + n };
    expect(serialiseHome(home)).toBe(indented(home));
    home.smartObjects.fleet00002 = { ...home.smartObjects.fleet00002!, switch: 'OFF' };
    const text = serialiseHome(home);
    expect(text).toBe(indented(home));
    expect(JSON.parse(text).smartObjects.fleet00002.switch).toBe('OFF');
  });
});

describe('the data file text of a large home', () => {
  /** A fleet's home: thousands of smart objects and retained messages. */
  function fleetHome(objects: number): ReturnType<typeof emptyHome> {
    const home = emptyHome();
    for (let n = 1; n <= objects; n++) {
      const id = `fleet${String(n).padStart(5, '0')}`;
      home.smartObjects[id] = { switch: 'ON', temperature: 20 + (n % 10) };
      home.broker.retained.push({ topic: `device/${id}/info`, payload: Buffer.from(`{"id":"${id}"}`).toString('base64'), qos: 1 });
    }
    return home;
  }

  it('is made in slices with turns of the event loop between them, and is the same text', async () => {
    const home = fleetHome(3000);
    let turns = 0;
    let done = false;
    const count = () => {
      if (done) return;
      turns++;
      setImmediate(count);
    };
    setImmediate(count);
    const { text } = await serialiseHomeInSlices(home, 0);
    done = true;
    expect(text).toBe(serialiseHome(home));
    expect(JSON.parse(text)).toEqual(home);
    // 6000 items, a look at the clock every 64: the loop turned at least once a slice.
    expect(turns).toBeGreaterThanOrEqual(90);
  });

  it('is the home as it was when it began, whatever changes between the slices', async () => {
    const home = fleetHome(500);
    const before = serialiseHome(home);
    const writing = serialiseHomeInSlices(home, 0);
    // Changes as the home makes them: objects replaced, messages added, while the text is being made.
    await new Promise<void>((resolve) => setImmediate(resolve));
    home.smartObjects.fleet00001 = { switch: 'OFF', temperature: 40 };
    home.broker.retained.push({ topic: 'device/late/info', payload: '', qos: 0 });
    expect((await writing).text).toBe(before);
    expect(JSON.parse(serialiseHome(home)).smartObjects.fleet00001.switch).toBe('OFF');
  });
});

describe('the wait before the store writes', () => {
  it('is the coalescing interval while the home turns into text quickly', () => {
    expect(writeWait(0, 100)).toBe(100);
    expect(writeWait(10, 100)).toBe(100);
  });

  it('grows to nine times a slow write, never past a second', () => {
    expect(writeWait(20, 100)).toBe(180);
    expect(writeWait(50, 100)).toBe(450);
    expect(writeWait(400, 100)).toBe(1000);
  });
});
