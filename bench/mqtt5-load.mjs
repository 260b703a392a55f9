// An MQTT 5 load generator for the bench's v5 rows: the same options and JSON line as the
// mqtt-load tool (which speaks only 3.1.1) for the scenarios it runs here (fan-in, fan-out,
// QoS 1 with a window of unacknowledged messages, a fixed rate). One Node process, raw
// sockets, packets framed ahead of time; the payload carries the publisher, the sequence
// number and the send time, so the subscribers count what arrived and how late.
//   node bench/mqtt5-load.mjs --port P --pubs 4 --subs 1 --qos 0 --size 64 --count 100000 [--inflight 64] [--rate R] [--broker-pid PID]
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { parseArgs } from 'node:util';
import { frame, str, varint } from './mqtt-bytes.mjs';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '1883' },
    pubs: { type: 'string', default: '1' },
    subs: { type: 'string', default: '1' },
    qos: { type: 'string', default: '0' },
    size: { type: 'string', default: '64' },
    count: { type: 'string', default: '10000' },
    inflight: { type: 'string', default: '64' },
    rate: { type: 'string', default: '0' },
    timeout: { type: 'string', default: '60' },
    'broker-pid': { type: 'string' },
    'idle-ms': { type: 'string', default: '3000' },
    json: { type: 'boolean', default: false },
  },
});
const [PORT, PUBS, SUBS, QOS, SIZE, COUNT, INFLIGHT, RATE] = ['port', 'pubs', 'subs', 'qos', 'size', 'count', 'inflight', 'rate'].map((k) => Number(values[k]));
const BROKER_PID = values['broker-pid'];
const CHUNK = 256;

const connect = (id) => frame(0x10, str('MQTT'), Buffer.from([5, 0x02, 0, 60, 0]), str(id));

/** Splits a byte stream into packets: calls onPacket(first byte, body). */
function packetReader(onPacket) {
  let pending = Buffer.alloc(0);
  return (chunk) => {
    let buf = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    let at = 0;
    for (;;) {
      let length = 0;
      let multiplier = 1;
      let i = at + 1;
      for (; i < buf.length; i++) {
        length += (buf[i] & 0x7f) * multiplier;
        multiplier *= 128;
        if ((buf[i] & 0x80) === 0) break;
      }
      if (i >= buf.length || i + 1 + length > buf.length) break;
      onPacket(buf[at], buf.subarray(i + 1, i + 1 + length));
      at = i + 1 + length;
    }
    pending = at < buf.length ? Buffer.from(buf.subarray(at)) : Buffer.alloc(0);
  };
}

const brokerTicks = () => {
  if (!BROKER_PID) return 0;
  const fields = readFileSync(`/proc/${BROKER_PID}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
};
const now = () => Number(process.hrtime.bigint() / 1000n);

let genReads = 0;
let error;
function open(id, onPacket) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: PORT, noDelay: true });
    const read = packetReader((first, body) => {
      if (first >> 4 === 2) return body[1] === 0 ? resolve(socket) : reject(new Error(`CONNACK reason code ${body[1]}`));
      onPacket(socket, first, body);
    });
    socket.on('data', (d) => {
      genReads++;
      read(d);
    });
    socket.on('error', (e) => reject(e));
    socket.on('close', () => (error ??= finished ? undefined : `the broker closed ${id}`));
    socket.write(connect(id));
  });
}

const expected = PUBS * SUBS * COUNT;
const latencies = new Float64Array(expected);
let received = 0;
let dup = 0;
const seen = Array.from({ length: SUBS * PUBS }, () => new Uint8Array(COUNT));
let lastNew = now();
let finished = false;

function onPublish(sub, socket, first, body) {
  const at = now();
  const topicEnd = 2 + ((body[0] << 8) | body[1]);
  let p = topicEnd;
  if (first & 0x06) {
    socket.write(Buffer.from([0x40, 2, body[p], body[p + 1]]));
    p += 2;
  }
  let props = 0;
  let multiplier = 1;
  let b;
  do {
    b = body[p++];
    props += (b & 0x7f) * multiplier;
    multiplier *= 128;
  } while (b & 0x80);
  p += props;
  const pub = body.readUInt32LE(p);
  const n = body.readUInt32LE(p + 4);
  const marks = seen[sub * PUBS + pub];
  if (marks[n]) return void dup++;
  marks[n] = 1;
  latencies[received++] = at - Number(body.readBigUInt64LE(p + 8) / 1000n);
  lastNew = at;
}

const subscribers = [];
for (let s = 0; s < SUBS; s++) {
  let subacked;
  const acked = new Promise((resolve) => (subacked = resolve));
  const socket = await open(`v5-sub-${process.pid}-${s}`, (sock, first, body) => {
    if (first >> 4 === 9) return body[3] < 0x80 ? subacked() : (error ??= `SUBACK ${body[3]}`);
    if (first >> 4 === 3) onPublish(s, sock, first, body);
  });
  socket.write(frame(0x82, Buffer.from([0, 1, 0]), str('bench/#'), Buffer.from([QOS])));
  subscribers.push(socket);
  await acked;
}

const startTicks = brokerTicks();
const started = now();
const payloadFiller = Buffer.alloc(Math.max(0, SIZE - 16), 0x61);

async function publisher(index) {
  let window = INFLIGHT;
  let wake;
  const socket = await open(`v5-pub-${process.pid}-${index}`, (_s, first) => {
    if (first >> 4 === 4) {
      window++;
      wake?.();
    }
  });
  const head = Buffer.concat([Buffer.from([0x30 | (QOS << 1)]), varint(2 + `bench/${index}`.length + (QOS ? 2 : 0) + 1 + SIZE), str(`bench/${index}`)]);
  let n = 0;
  while (n < COUNT && !error) {
    if (QOS && window === 0) await new Promise((resolve) => (wake = resolve));
    // At a fixed rate, as many as are due by now; otherwise a chunk (or what the window allows).
    const due = RATE > 0 ? Math.floor((((now() - started) / 1e6) * RATE) / PUBS) - n : CHUNK;
    const batch = Math.min(due, COUNT - n, QOS ? window : due);
    if (batch <= 0) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      continue;
    }
    const parts = [];
    for (let i = 0; i < batch; i++, n++) {
      const fields = Buffer.alloc(16);
      fields.writeUInt32LE(index, 0);
      fields.writeUInt32LE(n, 4);
      fields.writeBigUInt64LE(process.hrtime.bigint(), 8);
      parts.push(head, QOS ? Buffer.from([((n % 65535) + 1) >> 8, ((n % 65535) + 1) & 0xff]) : Buffer.alloc(0), Buffer.from([0]), fields, payloadFiller);
    }
    if (QOS) window -= batch;
    const drained = socket.write(Buffer.concat(parts));
    if (RATE > 0) await new Promise((resolve) => setTimeout(resolve, 1));
    else if (!drained) await new Promise((resolve) => socket.once('drain', resolve));
    else await new Promise((resolve) => setImmediate(resolve));
  }
  while (QOS && window < INFLIGHT && !error) await new Promise((resolve) => (wake = resolve));
  return socket;
}

const deadline = started + Number(values.timeout) * 1e6;
const publishers = await Promise.all(Array.from({ length: PUBS }, (_, i) => publisher(i)));
while (received < expected && !error && now() < deadline && now() - lastNew < Number(values['idle-ms']) * 1000) {
  await new Promise((resolve) => setTimeout(resolve, 5));
}
finished = true;
const elapsed = (lastNew - started) / 1e6;
const cpu = ((brokerTicks() - startTicks) / 100 / ((now() - started) / 1e6)) * 100;
for (const socket of [...publishers, ...subscribers]) socket.end(Buffer.from([0xe0, 0]));

const sorted = latencies.subarray(0, received).sort();
const pct = (q) => (received ? sorted[Math.min(received - 1, Math.floor(q * received))] : 0);
const result = {
  status: error ? 'error' : received < expected ? 'incomplete' : 'ok',
  ...(error ? { error } : {}),
  protocol: 'mqtt5',
  expected,
  received,
  lost: expected - received,
  dup,
  elapsed_s: elapsed,
  throughput_msgs_s: received / Math.max(elapsed, 1e-6),
  lat_p50_us: pct(0.5),
  lat_p99_us: pct(0.99),
  lat_p999_us: pct(0.999),
  lat_max_us: received ? sorted[received - 1] : 0,
  broker_cpu_pct: Math.round(cpu),
  gen_reads: genReads,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exitCode = result.status === 'ok' ? 0 : result.status === 'error' ? 2 : 3;
