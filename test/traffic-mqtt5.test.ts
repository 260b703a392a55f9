import { describe, expect, it } from 'vitest';
import { formatEntry } from '../src/headless.js';
import { logLine } from '../src/ui/panes/broker-log/log-line.js';
import type { TrafficEntry } from '../src/wire/index.js';

const at = Date.UTC(2024, 0, 1, 12, 0, 0);
const entries: TrafficEntry[] = [
  { seq: 1, time: at, kind: 'connect', clientId: 'phone', protocol: 'MQTT 5' },
  { seq: 2, time: at, kind: 'disconnect', clientId: 'phone', reasonCode: 0x8e },
  { seq: 3, time: at, kind: 'publish', clientId: 'phone', topic: 'home/hall', qos: 0, size: 2, preview: 'on', userProperties: { room: 'hall', tag: ['a', 'b'] } },
];

describe('MQTT 5 in the traffic log lines', () => {
  it('the broker log pane shows the protocol at connect, the reason code and the user properties', () => {
    expect(entries.map((e) => logLine(e).rest)).toEqual(['MQTT 5', 'reason 0x8E', 'home/hall q0 {room=hall, tag=a, tag=b} on']);
  });

  it('the headless log says the same', () => {
    const lines = entries.map(formatEntry);
    expect(lines[0]).toMatch(/connect +phone  MQTT 5$/);
    expect(lines[1]).toMatch(/reason 0x8E$/);
    expect(lines[2]).toContain('{room=hall, tag=a, tag=b}  on');
  });
});
