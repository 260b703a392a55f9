// The mqtt-load generator: found beside the checkout (or in MQTT_LOAD_DIR), built into a temp folder.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { startProgram, stopProgram } from './processes.mjs';

const run = promisify(execFile);

/** A mistake in the setup or the command line that one sentence explains. */
export class SetupError extends Error {
  /** @param {string} message @param {number} [exitCode] 2 for a bad command line, else 1 */
  constructor(message, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

/** The folder with build.sh and mqtt-load.c: MQTT_LOAD_DIR, else the shared tools folder beside the checkout. */
export function findLoadTool(repoRoot) {
  const fromEnv = process.env.MQTT_LOAD_DIR;
  const dir = fromEnv ? path.resolve(fromEnv) : path.resolve(repoRoot, '../shared/tools/mqtt-load');
  if (!existsSync(path.join(dir, 'build.sh')) || !existsSync(path.join(dir, 'mqtt-load.c'))) {
    throw new SetupError(
      fromEnv
        ? `The mqtt-load tool was not found in ${dir} (MQTT_LOAD_DIR must name the folder with build.sh and mqtt-load.c).`
        : `The mqtt-load tool was not found in ${dir}; put it in the shared tools folder beside the checkout or set MQTT_LOAD_DIR to its folder.`,
    );
  }
  return dir;
}

/** Compiles the generator into outDir and returns the binary's path. */
export async function buildLoadTool(toolDir, outDir) {
  const binary = path.join(outDir, 'mqtt-load');
  try {
    await run('/bin/sh', [path.join(toolDir, 'build.sh'), binary]);
  } catch (error) {
    const said = String(/** @type {{ stderr?: string }} */ (error).stderr ?? '').trim().split('\n').slice(-1)[0];
    throw new SetupError(`Could not build the mqtt-load tool with its build.sh (is gcc installed?)${said ? `: ${said}` : '.'}`);
  }
  return binary;
}

/**
 * One run of the generator. Resolves with its exit code and its JSON line (undefined if it printed none).
 * @param {string} binary
 * @param {string[]} args
 * @param {number} timeoutS the generator's own limit; the bench stops it 30 s after that
 */
export async function runLoad(binary, args, timeoutS) {
  const program = startProgram(binary, [...args, '--json', '--timeout', String(timeoutS)], { keepStdout: true });
  const guard = setTimeout(() => void stopProgram(program, 1000), (timeoutS + 30) * 1000);
  const { code, signal } = await program.exited;
  clearTimeout(guard);
  const line = program.stdout
    .split('\n')
    .reverse()
    .find((text) => text.startsWith('{'));
  let result;
  try {
    result = line ? JSON.parse(line) : undefined;
  } catch {
    result = undefined;
  }
  return { code: code ?? (signal ? 128 : 1), result, stderrTail: program.stderrTail };
}
