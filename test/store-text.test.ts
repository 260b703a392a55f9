// The data file's text: what the store writes is the home as indented JSON, whatever of it was
// kept from an earlier write, and the file follows a change.
import { describe, expect, it } from 'vitest';
import { emptyHome } from '../src/store/schema.js';
import { serialiseHome } from '../src/store/serialise.js';
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
