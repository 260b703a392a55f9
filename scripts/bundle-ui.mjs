// Bundles the compiled UI (Ink, React, the panes and screens) into dist/ui-bundle. Loading
// Ink's module graph file by file took about 370 ms; a bundle loads in about 120 ms, which is
// most of the time to the first frame. The bundle is split where the UI imports on demand: what
// only the screens need (MQTT.js, zod and the codecs, WebSocket) is a file of its own, loaded
// after the first frame, so the first frame loads 0.9 MB of it instead of 2.8 MB.
// When no input changed since the last bundle, the bundle is left as it is, so a second
// `npm start` does not wait for it.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const outdir = fileURLToPath(new URL('dist/ui-bundle', root));
const entry = fileURLToPath(new URL('dist/ui-bundle/index.js', root));
// The bundle's inputs (from esbuild's metafile) and a hash of their contents at the last bundle.
const stampFile = fileURLToPath(new URL('dist/ui-bundle.inputs.json', root));

function hashOf(inputs) {
  const hash = createHash('sha256');
  for (const input of inputs) {
    const file = fileURLToPath(new URL(input, root));
    hash.update(input).update(existsSync(file) ? readFileSync(file) : 'missing');
  }
  return hash.digest('hex');
}

if (existsSync(entry) && existsSync(stampFile)) {
  const stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  if (stamp.hash === hashOf(stamp.inputs)) process.exit(0);
}

// The parts have new names on each bundle; the old ones go.
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: [fileURLToPath(new URL('dist/ui/index.js', root))],
  outdir,
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // CommonJS dependencies (React) may require Node's own modules at run time.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  // Ink loads React DevTools only when DEV=true; the bundle leaves them out.
  alias: { 'react-devtools-core': fileURLToPath(new URL('scripts/no-devtools.js', root)) },
  // React's production build: its development checks cost more than the rendering itself.
  // Yoga's loader only asks whether fetch exists (it never loads from a URL here), and asking
  // makes Node load its fetch implementation: 30 ms before the first frame.
  define: { 'process.env.NODE_ENV': '"production"', fetch: 'undefined' },
  logLevel: 'warning',
  metafile: true,
  absWorkingDir: fileURLToPath(root),
});
// The script itself is an input too: a change to these options bundles again.
const inputs = [...Object.keys(result.metafile.inputs), 'scripts/bundle-ui.mjs'].sort();
writeFileSync(stampFile, `${JSON.stringify({ hash: hashOf(inputs), inputs })}\n`);
