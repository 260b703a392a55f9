// The app's own fleet (dist/sim/fleet.js: its threads, its smart objects and their protocol) in a
// process of its own, so a broker can be measured with more connections than one process may open.
// Usage: node bench/app-fleet.mjs --url mqtt://127.0.0.1:P --count N [--via gateway]
// Prints "app-fleet: connected N in MS ms" on stderr once every object is connected and announced.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (file) => pathToFileURL(path.join(repoRoot, 'dist', file)).href;
const { startFleet } = await import(dist('sim/fleet.js'));
const { loadHomeDefaults } = await import(dist('sim/defaults.js'));

const { values } = parseArgs({ options: { url: { type: 'string' }, count: { type: 'string' }, via: { type: 'string', default: 'connections' } } });
const count = Number(values.count);
const started = performance.now();
try {
  const fleet = await startFleet({ url: values.url, count, via: values.via, saved: {}, defaults: loadHomeDefaults().smartObjects, onSave: () => {} });
  process.stderr.write(`app-fleet: connected ${count} in ${Math.round(performance.now() - started)} ms\n`);
  const stop = () => fleet.stop().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  process.stderr.write(`app-fleet: failed: ${error.message}\n`);
  process.exit(1);
}
