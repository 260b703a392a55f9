// What the gate costs: QoS 0 publishes through a bare aedes and through aedes behind the
// gate, in a separate broker process each time, plus the scanner alone on one buffer.
//
//   npm run build && node bench/gate-throughput.mjs [messages] [rounds]
import net from 'node:net';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const self = fileURLToPath(import.meta.url);
const mode = process.argv[2] === '--broker' ? process.argv[3] : null;

let gateModule;
try {
  gateModule = await import('../dist/broker/gate.js');
} catch {
  console.error('The compiled gate is missing: run `npm run build` first.');
  process.exit(1);
}

if (mode) {
  // The broker process: bare or gated aedes on an ephemeral loopback port.
  const { Aedes } = await import('aedes');
  const broker = await Aedes.createBroker();
  broker.on('clientError', (client, err) => console.error(`broker (${mode}): ${client.id}: ${err.message}`));
  broker.on('connectionError', (client, err) => console.error(`broker (${mode}) connection: ${err.message}`));
  const server = net.createServer({ noDelay: true }, (socket) => {
    broker.handle(mode === 'gated' ? gateModule.gate(socket, gateModule.defaultGateLimits) : socket);
  });
  server.listen(0, '127.0.0.1', () => process.send(server.address().port));
  process.on('message', () => {
    broker.close(() => server.close(() => process.exit(0)));
  });
} else {
  const MESSAGES = Number(process.argv[2] ?? 400_000);
  const ROUNDS = Number(process.argv[3] ?? 3);
  const PUBLISHERS = 4;

  const u16 = (n) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
  const str = (s) => Buffer.concat([u16(Buffer.byteLength(s)), Buffer.from(s)]);
  const frame = (first, body) => Buffer.concat([Buffer.from([first, body.length]), body]);
  const connect = (id) => frame(0x10, Buffer.concat([str('MQTT'), Buffer.from([4, 2]), u16(60), str(id)]));
  const TOPIC = 'home/livingroom/temperature';
  const message = frame(0x30, Buffer.concat([str(TOPIC), Buffer.from('{"value":21.5,"unit":"C"}')]));

  function open(port) {
    return new Promise((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port, noDelay: true }, () => resolve(socket));
      socket.on('error', (err) => console.error(`a benchmark connection failed: ${err.message}`));
    });
  }

  async function round(kind) {
    const child = fork(self, ['--broker', kind], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const port = await new Promise((resolve) => child.once('message', resolve));

    const subscriber = await open(port);
    let received = 0;
    let resolveDone;
    const done = new Promise((resolve) => (resolveDone = resolve));
    const subscribed = new Promise((resolve) => {
      let stage = 0;
      subscriber.on('data', (d) => {
        if (stage < 2) {
          // CONNACK (4 bytes) then SUBACK (5 bytes), then only our publishes.
          stage = 2;
          received -= 9;
          resolve();
        }
        received += d.length;
        if (received >= MESSAGES * message.length) resolveDone();
      });
    });
    subscriber.write(Buffer.concat([connect(`sub-${kind}`), frame(0x82, Buffer.concat([u16(1), str('home/#'), Buffer.from([0])]))]));
    await subscribed;

    const publishers = await Promise.all(Array.from({ length: PUBLISHERS }, () => open(port)));
    const batch = Buffer.concat(Array.from({ length: 1000 }, () => message));
    const started = performance.now();
    await Promise.all(
      publishers.map(async (socket, i) => {
        // aedes drops a client that queues more than 42 packets before its CONNACK.
        const connacked = new Promise((resolve) => socket.once('data', resolve));
        socket.write(connect(`pub-${kind}-${i}`));
        await connacked;
        for (let sent = 0; sent < MESSAGES / PUBLISHERS; sent += 1000) {
          if (!socket.write(batch)) await new Promise((resolve) => socket.once('drain', resolve));
        }
      }),
    );
    await done;
    const seconds = (performance.now() - started) / 1000;
    for (const s of [subscriber, ...publishers]) s.destroy();
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
    return MESSAGES / seconds;
  }

  const results = { bare: [], gated: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const kind of r % 2 ? ['gated', 'bare'] : ['bare', 'gated']) {
      results[kind].push(await round(kind));
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const bare = median(results.bare);
  const gated = median(results.gated);
  const fmt = (x) => Math.round(x).toLocaleString('en');
  console.log(`${MESSAGES.toLocaleString('en')} QoS 0 messages, ${PUBLISHERS} publishers -> 1 subscriber, median of ${ROUNDS}`);
  console.log(`bare aedes          ${fmt(bare)} msg/s   (${results.bare.map(fmt).join(', ')})`);
  console.log(`aedes behind gate   ${fmt(gated)} msg/s   (${results.gated.map(fmt).join(', ')})`);
  console.log(`gated / bare        ${(gated / bare).toFixed(3)}x`);

  // The scanner alone: the per-packet cost the gate adds on the broker's read path.
  const { FrameScanner, defaultGateLimits } = gateModule;
  const stream = Buffer.concat([connect('scan'), ...Array.from({ length: 20_000 }, () => message)]);
  const scanner = new FrameScanner(defaultGateLimits);
  scanner.scan(stream.subarray(0, connect('scan').length));
  const body = stream.subarray(connect('scan').length);
  const passes = 200;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < passes; i++) {
    for (let at = 0; at < body.length; at += 65536) scanner.scan(body.subarray(at, Math.min(at + 65536, body.length)));
  }
  const ns = Number(process.hrtime.bigint() - t0) / (passes * 20_000);
  console.log(`scanner alone       ${ns.toFixed(1)} ns per PUBLISH (${message.length}-byte packets in 64 KiB chunks)`);
}
