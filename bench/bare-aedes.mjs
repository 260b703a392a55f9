// A bare aedes broker, written the way a typical user would: the baseline the app is compared with.
// Usage: node bench/bare-aedes.mjs --port P [--no-delay]
// Prints "bare-aedes: broker on mqtt://127.0.0.1:PORT" on stderr once it accepts connections.
import net from 'node:net';
import { parseArgs } from 'node:util';
import { Aedes } from 'aedes';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'no-delay': { type: 'boolean', default: false },
  },
});

const aedes = await Aedes.createBroker();
// noDelay only when asked: Node's default (Nagle on) is what most users run.
const server = values['no-delay'] ? net.createServer({ noDelay: true }, aedes.handle) : net.createServer(aedes.handle);

server.on('error', (error) => {
  process.stderr.write(`bare-aedes: ${error.message}\n`);
  process.exit(1);
});
server.listen(Number(values.port), '127.0.0.1', () => {
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  process.stderr.write(`bare-aedes: broker on mqtt://127.0.0.1:${port}\n`);
});

const stop = () => {
  server.close();
  aedes.close(() => process.exit(0));
  // A client that never hangs up must not keep the broker alive.
  setTimeout(() => process.exit(0), 1000).unref();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
