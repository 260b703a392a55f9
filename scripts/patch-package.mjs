// Applies small edits to an installed package, each found by its exact text, so running it
// twice changes nothing, and a version other than the one pinned in package.json stops the
// install with one sentence instead of running unpatched. scripts/patch-aedes.mjs and
// scripts/patch-ink.mjs list the edits and say why each is there.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Applies every edit not yet applied under `dir`; returns how many it applied. Throws one
 * sentence when it cannot.
 * @param {{ name: string, version: string, script: string, dir: string, edits: { file: string, from: string, to: string }[] }} patch
 */
export function applyEdits({ name, version, script, dir, edits }) {
  const installed = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  if (installed !== version) {
    throw new Error(`${name} ${installed} is installed, but the fixes in ${script} are for ${name} ${version}.`);
  }
  let applied = 0;
  for (const edit of edits) {
    const path = join(dir, edit.file);
    const text = readFileSync(path, 'utf8');
    if (text.includes(edit.to)) continue;
    const at = text.indexOf(edit.from);
    if (at < 0 || text.indexOf(edit.from, at + 1) >= 0) {
      throw new Error(`${name}/${edit.file} does not look like ${name} ${version}'s: one of its fixes cannot be applied.`);
    }
    writeFileSync(path, text.slice(0, at) + edit.to + text.slice(at + edit.from.length));
    applied++;
  }
  return applied;
}

/**
 * Runs `patch` when `moduleUrl` is the script node was started with: the package folder may be
 * named on the command line (the tests patch a copy). Prints what it applied; exits 1 with one
 * line when it cannot.
 */
export function runWhenMain(moduleUrl, label, patch) {
  if (process.argv[1] !== fileURLToPath(moduleUrl)) return;
  try {
    const { applied, what } = patch(process.argv[2]);
    if (applied > 0) process.stdout.write(`${label}: applied ${applied} fixes to ${what}\n`);
  } catch (error) {
    process.stderr.write(`${label}: ${error.message}\n`);
    process.exit(1);
  }
}
