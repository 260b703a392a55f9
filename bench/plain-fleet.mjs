// A fleet written the plain way, the baseline for the app's: N mqtt.js clients, each its own
// connection, publishing its temperature once a second at QoS 0. The next connection opens as soon
// as one of the 100 waiting gets its CONNACK.
// Usage: node bench/plain-fleet.mjs --url mqtt://127.0.0.1:P --count N
// Prints "plain-fleet: connected N in MS ms" on stderr once every client is connected.
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';

const { values } = parseArgs({ options: { url: { type: 'string' }, count: { type: 'string' } } });
const count = Number(values.count);
const WAITING_AT_ONCE = 100;
const started = performance.now();
const clients = [];
let next = 1;

async function lane() {
  while (next <= count) {
    const id = `fleet${String(next++).padStart(5, '0')}`;
    const client = await mqtt.connectAsync(values.url, { clientId: `plain-${id}`, reconnectPeriod: 1000, connectTimeout: 30_000 });
    client.on('error', () => {});
    const topic = `device/${id}/telemetry/temperature`;
    setInterval(() => client.publish(topic, JSON.stringify({ timestamp: Math.floor(Date.now() / 1000), value_type: 'TEMPERATURE_SENSOR', value: 21.5 })), 1000);
    clients.push(client);
  }
}

try {
  await Promise.all(Array.from({ length: WAITING_AT_ONCE }, lane));
  process.stderr.write(`plain-fleet: connected ${clients.length} in ${Math.round(performance.now() - started)} ms\n`);
} catch (error) {
  process.stderr.write(`plain-fleet: failed after ${clients.length} connections: ${error.message}\n`);
  process.exit(1);
}
const stop = () => process.exit(0);
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
