// Module hooks: a `./x.js` import from a .ts source finds `./x.ts`, and .ts/.tsx is compiled
// with esbuild on the way in, so a worker thread runs the same sources the tests import.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { transform } from 'esbuild';

const isSource = (url) => url?.startsWith('file:') && /\.tsx?$/.test(url);

export async function resolve(specifier, context, next) {
  if (isSource(context.parentURL) && specifier.startsWith('.') && specifier.endsWith('.js')) {
    for (const ext of ['.ts', '.tsx']) {
      const url = new URL(specifier.slice(0, -3) + ext, context.parentURL);
      if (existsSync(fileURLToPath(url))) return { url: url.href, format: 'module', shortCircuit: true };
    }
  }
  return next(specifier, context);
}

export async function load(url, context, next) {
  if (!isSource(url)) return next(url, context);
  const source = await readFile(fileURLToPath(url), 'utf8');
  const { code } = await transform(source, {
    loader: url.endsWith('.tsx') ? 'tsx' : 'ts',
    format: 'esm',
    jsx: 'automatic',
    target: 'node20',
    sourcemap: 'inline',
    sourcefile: fileURLToPath(url),
  });
  return { format: 'module', source: code, shortCircuit: true };
}
