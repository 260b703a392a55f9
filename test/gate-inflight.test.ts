import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatedBroker, roundTrip, type GatedBroker } from './fixtures/gated-broker.js';
import { RawClient, bytes, connackBytes, connect, frame, publish, u16 } from './fixtures/raw-mqtt.js';

let home: GatedBroker;
beforeAll(async () => {
  home = await startGatedBroker({ maxInflight: 3 });
});
afterAll(async () => {
  await home?.close();
});

const pubrec = (id: number): Buffer => frame(0x50, u16(id));
const pubrel = (id: number): Buffer => frame(0x62, u16(id));
const pubcomp = (id: number): Buffer => frame(0x70, u16(id));
const qos2 = (id: number, dup = false): Buffer => publish({ topic: 'home/held', qos: 2, id, payload: 'x', dup });

async function connected(): Promise<RawClient> {
  const raw = await RawClient.open(home.port);
  raw.send(connect());
  expect(await raw.firstBytes(4)).toEqual(connackBytes(0));
  return raw;
}

describe('QoS 2 messages awaiting PUBREL (--max-inflight)', () => {
  it('closes a client that holds back PUBREL for one message more than the limit', async () => {
    const since = home.violations.length;
    const raw = await connected();
    raw.send(qos2(1), qos2(2), qos2(3));
    await raw.whenReceived(bytes(pubrec(1), pubrec(2), pubrec(3)));
    raw.send(qos2(4));
    const violation = await home.nextViolation(since);
    expect(violation.rule).toBe('limit-inflight');
    await raw.whenClosed();
    expect(raw.received.includes(pubrec(4))).toBe(false);
    raw.destroy();
    await roundTrip(home.port);
  });

  it('counts a retransmission once and frees a place with each PUBREL', async () => {
    const since = home.violations.length;
    const raw = await connected();
    raw.send(qos2(1), qos2(2), qos2(3), qos2(3, true));
    await raw.whenReceived(bytes(pubrec(1), pubrec(2), pubrec(3)));
    raw.send(pubrel(1));
    await raw.whenReceived(pubcomp(1));
    raw.send(qos2(4));
    await raw.whenReceived(pubrec(4));
    expect(raw.closed).toBe(false);
    expect(home.violations.length).toBe(since);
    raw.destroy();
  });
});
