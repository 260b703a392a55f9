// Bundles the compiled UI (Ink, React, the panes and screens) into one file. Loading Ink's
// module graph file by file took about 370 ms; one bundle loads in about 120 ms, which is
// most of the time to the first frame.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);

await build({
  entryPoints: [fileURLToPath(new URL('dist/ui/index.js', root))],
  outfile: fileURLToPath(new URL('dist/ui/index.bundle.js', root)),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // CommonJS dependencies (React) may require Node's own modules at run time.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  // Ink loads React DevTools only when DEV=true; the bundle leaves them out.
  alias: { 'react-devtools-core': fileURLToPath(new URL('scripts/no-devtools.js', root)) },
  // React's production build: its development checks cost more than the rendering itself.
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
