// The long fuzz run: a million packets, most well-formed, some mutated or random, over
// many loopback connections into a bare aedes behind the gate; half the connections speak
// MQTT 5 (bench/fuzz-v5.mjs). It prints packets/s, connections, violations by rule, errors
// thrown out of the broker (must be 0), memory at start and end, and whether a
// well-behaved client got its round trips answered the whole time.
//
//   npm run fuzz                         (builds first)
//   node bench/fuzz.mjs [packets] [seed]
//   FUZZ_NO_GATE=1 node bench/fuzz.mjs   (aedes alone, to see what the gate stops)
import net from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { mqtt5Frames } from './fuzz-v5.mjs';
import { frame, str, u16, varint } from './mqtt-bytes.mjs';

let gateModule;
try {
  gateModule = await import('../dist/broker/gate.js');
} catch {
  console.error('The compiled gate is missing: run `npm run build` first.');
  process.exit(1);
}
const { gate, defaultGateLimits, TOPIC_ALIAS_MAXIMUM } = gateModule;

// Anything a packet makes aedes throw past its handlers would end a real broker: count it.
const crashes = [];
process.on('uncaughtException', (error) => crashes.push(error.message));

const TOTAL = Number(process.argv[2] ?? 1_000_000);
const SEED = Number(process.argv[3] ?? 1);
const PER_CONNECTION = 500;
const CONCURRENT = 40;
const BAD_PACKET_CHANCE = 1 / 400;
const V5_SHARE = 0.5;
// Session expiry intervals and will delays in the v5 CONNECTs are at most this many seconds.
const LONGEST_SESSION_S = 3;

// mulberry32: a small seeded generator, so a run can be repeated exactly.
let state = SEED >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n) => Math.floor(random() * n);
const pick = (xs) => xs[int(xs.length)];

const connect = (id) => frame(0x10, str('MQTT'), Buffer.from([4, 0x02]), u16(60), str(id));
const publish = (topic, qos, id, payload) =>
  frame(0x30 | (qos << 1), str(topic), qos ? u16(id) : Buffer.alloc(0), payload);
const subscribe = (id, filter, qos) => frame(0x82, u16(id), str(filter), Buffer.from([qos]));
const unsubscribe = (id, filter) => frame(0xa2, u16(id), str(filter));

const topics = ['home/kitchen/temp', 'device/device001/telemetry/switch', 'carpark/north/entry', 'smart_home/user_data'];
const filters = ['home/#', 'device/+/info', 'carpark/+/display', 'smart_home/+'];
const payloads = [Buffer.alloc(0), Buffer.from('{"value":21.5}'), Buffer.alloc(200, 0x61), Buffer.alloc(2000, 0x62)];
const nextId = () => 1 + int(65535);

const v5 = mqtt5Frames({ random, int, pick, u16, str, varint, frame, topics, filters, payloads, nextId });

function validPacket() {
  const r = random();
  if (r < 0.6) return publish(pick(topics), 0, 0, pick(payloads));
  if (r < 0.85) return publish(pick(topics), 1, nextId(), pick(payloads));
  if (r < 0.9) return subscribe(nextId(), pick(filters), int(3));
  if (r < 0.95) return unsubscribe(nextId(), pick(filters));
  return Buffer.from([0xc0, 0x00]);
}

function badPacket(isV5) {
  const r = random();
  if (r < 0.15) return Buffer.from(Array.from({ length: 1 + int(40) }, () => int(256)));
  if (isV5 && r < 0.3) return v5.bad();
  const p = Buffer.from(isV5 ? v5.valid() : validPacket());
  if (r < 0.55) {
    p[int(p.length)] ^= 1 << int(8);
    return p;
  }
  if (r < 0.7) return p.subarray(0, int(p.length));
  if (r < 0.85) {
    p[1] = int(256);
    return p;
  }
  // A rule-breaking but well-framed packet.
  return pick([
    publish('home/+/temp', 0, 0, Buffer.alloc(1)),
    publish('home/kitchen', 1, 0, Buffer.alloc(1)),
    subscribe(nextId(), 'a/#/b', 0),
    subscribe(nextId(), 'a', 3),
    publish(Buffer.from([0x61, 0xed, 0xa0, 0x80]), 0, 0, Buffer.alloc(1)),
    frame(0x82, u16(1)),
    connect('again'),
  ]);
}

const broker = await Aedes.createBroker({
  topicAliasMaximum: TOPIC_ALIAS_MAXIMUM,
  maximumPacketSize: defaultGateLimits.maxPacketSize,
  receiveMaximum: defaultGateLimits.maxInflight,
});
const violations = new Map();
const noGate = process.env.FUZZ_NO_GATE === '1';
const server = net.createServer({ noDelay: true }, (socket) => {
  if (noGate) return broker.handle(socket);
  broker.handle(
    gate(socket, defaultGateLimits, (v) => violations.set(v.rule, (violations.get(v.rule) ?? 0) + 1)),
  );
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();

// The well-behaved client: a QoS 1 round trip to itself four times a second.
const watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, {
  clientId: `fuzz-watcher-${process.pid}`,
  reconnectPeriod: 0,
});
const watchTopic = `watch/${process.pid}`;
await watcher.subscribeAsync(watchTopic, { qos: 1 });
let roundTrips = 0;
let missedRoundTrips = 0;
let slowestRoundTrip = 0;
let pending = null;
watcher.on('message', (_t, payload) => {
  if (pending && payload.toString() === String(pending.n)) {
    slowestRoundTrip = Math.max(slowestRoundTrip, performance.now() - pending.at);
    roundTrips++;
    pending = null;
  }
});
watcher.on('close', () => missedRoundTrips++);
// A round trip counts as missed when it is not back within two seconds.
const watch = setInterval(() => {
  if (pending && performance.now() - pending.at < 2000) return;
  if (pending) missedRoundTrips++;
  pending = { n: roundTrips + missedRoundTrips, at: performance.now() };
  watcher.publish(watchTopic, String(pending.n), { qos: 1 });
}, 250);

const memory = () => {
  const m = process.memoryUsage();
  return `heapUsed ${(m.heapUsed / 2 ** 20).toFixed(1)} MiB, rss ${(m.rss / 2 ** 20).toFixed(1)} MiB`;
};
global.gc?.();
const memoryAtStart = memory();

let sent = 0;
let connections = 0;
let badSent = 0;

/** Counts the PINGRESPs in what the broker sends back, frame by frame across chunks. */
function pingrespCounter() {
  let header = -1;
  let length = 0;
  let multiplier = 1;
  let skip = 0;
  let count = 0;
  return (chunk) => {
    for (let i = 0; i < chunk.length; ) {
      if (skip > 0) {
        const n = Math.min(skip, chunk.length - i);
        skip -= n;
        i += n;
        continue;
      }
      const b = chunk[i++];
      if (header < 0) {
        header = b;
        length = 0;
        multiplier = 1;
        continue;
      }
      length += (b & 0x7f) * multiplier;
      multiplier *= 128;
      if (b & 0x80) continue;
      if (header === 0xd0) count++;
      header = -1;
      skip = length;
    }
    return count;
  };
}

let v5Connections = 0;

function oneConnection() {
  const id = `fuzz-${process.pid}-${connections++}`;
  const isV5 = random() < V5_SHARE;
  if (isV5) v5Connections++;
  const packets = [isV5 ? (random() < 0.01 ? v5.repeatedExpiry(id) : v5.connect(id)) : connect(id)];
  let pings = 1;
  for (let i = 0; i < PER_CONNECTION && sent < TOTAL; i++, sent++) {
    if (random() < BAD_PACKET_CHANCE) {
      packets.push(badPacket(isV5));
      badSent++;
    } else {
      const p = isV5 ? v5.valid() : validPacket();
      if (p[0] === 0xc0) pings++;
      packets.push(p);
    }
  }
  // The last PINGREQ's answer means aedes has read and dispatched everything before it.
  packets.push(Buffer.from([0xc0, 0x00]));
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
    const pingresps = pingrespCounter();
    socket.on('error', () => {});
    socket.on('data', (d) => {
      if (pingresps(d) >= pings) socket.end();
    });
    // A mutated length can leave aedes waiting for bytes that never come: then our end
    // of stream is what closes the connection.
    const stuck = setTimeout(() => socket.end(), 3000);
    socket.on('close', () => {
      clearTimeout(stuck);
      resolve();
    });
    socket.on('connect', () => socket.write(Buffer.concat(packets)));
  });
}

const started = performance.now();
const running = new Set();
while (sent < TOTAL) {
  const p = oneConnection().then(() => running.delete(p));
  running.add(p);
  if (running.size >= CONCURRENT) await Promise.race(running);
}
await Promise.all(running);
const seconds = (performance.now() - started) / 1000;

// One last round trip after the storm.
clearInterval(watch);
if (pending && performance.now() - pending.at >= 2000) missedRoundTrips++;
const lastRoundTrip = await new Promise((resolve) => {
  const timer = setTimeout(() => resolve(false), 5000);
  watcher.once('message', () => {
    clearTimeout(timer);
    resolve(true);
  });
  watcher.publish(watchTopic, 'last', { qos: 1 });
});
// Sessions and delayed wills of the v5 clients end by themselves; then memory is measured.
await new Promise((resolve) => setTimeout(resolve, (LONGEST_SESSION_S + 1) * 1000));
global.gc?.();
const memoryAtEnd = memory();

if (noGate) console.log('aedes alone, without the gate');
console.log(`packets sent        ${sent.toLocaleString('en')} (${badSent.toLocaleString('en')} mutated or random), seed ${SEED}`);
console.log(`time                ${seconds.toFixed(1)} s, ${Math.round(sent / seconds).toLocaleString('en')} packets/s`);
console.log(`connections         ${connections.toLocaleString('en')} (${CONCURRENT} at a time), ${v5Connections.toLocaleString('en')} of them MQTT 5`);
console.log(`thrown out of aedes ${crashes.length}${crashes.length ? `: ${[...new Set(crashes)].join('; ')}` : ''}`);
console.log('violations by rule');
for (const [rule, count] of [...violations].sort((a, b) => b[1] - a[1])) {
  console.log(`  ${rule.padEnd(24)}${count}`);
}
console.log(`memory at start     ${memoryAtStart}`);
console.log(`memory at end       ${memoryAtEnd}`);
const served = missedRoundTrips === 0 && lastRoundTrip && roundTrips > 0 && crashes.length === 0;
console.log(
  `well-behaved client ${served ? 'served throughout' : 'NOT served throughout'}: ${roundTrips} round trips, ${missedRoundTrips} missed, slowest ${slowestRoundTrip.toFixed(0)} ms`,
);

await watcher.endAsync(true);
await new Promise((resolve) => broker.close(resolve));
await new Promise((resolve) => server.close(resolve));
process.exitCode = served ? 0 : 1;
