// The brokers the bench compares. Each is a separate process on its own loopback port, so the
// load generator can read its CPU by pid and has a core of its own.
//
// A contender is { name, title, unavailable(context) -> sentence | undefined, start(context) -> broker }
// where broker is { pid, port, program }. Add one here and it can be picked with --contenders.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProgram, stopProgram, waitForLine, waitForPort } from './processes.mjs';

const READY_TIMEOUT_MS = 20_000;
const benchDir = path.dirname(fileURLToPath(import.meta.url));

/**
 * @typedef {{ repoRoot: string, dataDir: string, port: number }} StartContext
 * @typedef {{ pid: number, port: number, program: ReturnType<typeof startProgram> }} RunningBroker
 * @typedef {{
 *   name: string,
 *   title: string,
 *   unavailable: (context: { repoRoot: string }) => string | undefined,
 *   start: (context: StartContext) => Promise<RunningBroker>,
 * }} Contender
 */

/**
 * Waits for the ready sign; on failure stops the program and throws one sentence with its last words.
 * @param {ReturnType<typeof startProgram>} program
 * @param {string} title
 * @param {() => Promise<number>} ready resolves to the port the broker listens on
 * @returns {Promise<RunningBroker>}
 */
async function whenReady(program, title, ready) {
  try {
    const port = await ready();
    return { pid: program.pid, port, program };
  } catch (error) {
    await stopProgram(program);
    // A stack trace ends in noise; the line naming the error is the useful one.
    const lines = program.stderrTail.filter((line) => line.trim() !== '');
    const telling = lines.filter((line) => /error|:\s/i.test(line) && !/^\s+at /.test(line));
    const said = (telling.length > 0 ? telling.slice(0, 2) : lines.slice(-2)).map((line) => line.trim()).join(' / ');
    throw new Error(`${title} did not start: ${/** @type {Error} */ (error).message}${said ? ` (it said: ${said})` : ''}`);
  }
}

/** @param {boolean} noDelay @returns {Contender} */
function bareAedes(noDelay) {
  const title = noDelay ? 'bare aedes, noDelay' : 'bare aedes';
  return {
    name: noDelay ? 'aedes-nodelay' : 'aedes',
    title,
    unavailable: ({ repoRoot }) =>
      existsSync(path.join(repoRoot, 'node_modules', 'aedes')) ? undefined : 'aedes is not installed (run npm install).',
    async start({ port }) {
      const args = [path.join(benchDir, 'bare-aedes.mjs'), '--port', String(port)];
      if (noDelay) args.push('--no-delay');
      const program = startProgram(process.execPath, args);
      return whenReady(program, title, async () => {
        const match = await waitForLine(program, /broker on mqtt:\/\/127\.0\.0\.1:(\d+)/, READY_TIMEOUT_MS);
        return Number(match[1]);
      });
    },
  };
}

/** Debian puts mosquitto in /usr/sbin, which is not on every user's PATH. */
function findMosquitto() {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs) {
    if (dir && existsSync(path.join(dir, 'mosquitto'))) return path.join(dir, 'mosquitto');
  }
  return undefined;
}

/** @type {Contender} */
const mosquitto = {
  name: 'mosquitto',
  title: 'mosquitto',
  unavailable: () =>
    findMosquitto() ? undefined : 'mosquitto is not installed (on Debian: apt-get install mosquitto), so it is left out.',
  async start({ port, dataDir }) {
    // The minimal config of the reference runs: no persistence, unlimited queues and inflight.
    const configFile = path.join(dataDir, 'mosquitto.conf');
    await writeFile(
      configFile,
      [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'max_queued_messages 1000000', 'max_inflight_messages 0', ''].join('\n'),
    );
    const program = startProgram(/** @type {string} */ (findMosquitto()), ['-c', configFile]);
    return whenReady(program, 'mosquitto', async () => {
      await waitForPort(port, READY_TIMEOUT_MS, () => program.child.exitCode === null && program.child.signalCode === null);
      return port;
    });
  },
};

/** @type {Contender} */
const app = {
  name: 'app',
  title: 'smart-home-tui',
  unavailable: ({ repoRoot }) =>
    existsSync(path.join(repoRoot, 'dist', 'cli.js'))
      ? undefined
      : 'smart-home-tui is not built (npm run build did not produce dist/cli.js), so it is left out.',
  async start({ repoRoot, port, dataDir, args = [] }) {
    // The whole program: broker (in a worker thread, so its pid is the process's), devices, store, log.
    const program = startProgram(
      process.execPath,
      [path.join(repoRoot, 'bin', 'smart-home-tui.js'), '--headless', '--port', String(port), '--data', path.join(dataDir, 'home.json'), ...args],
      // Its settings from the environment (another broker, port or data file) must not leak in.
      { cwd: dataDir, env: Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('SMART_HOME_TUI_'))) },
    );
    return whenReady(program, 'smart-home-tui', async () => {
      const match = await waitForLine(program, /broker on mqtt:\/\/127\.0\.0\.1:(\d+)/, READY_TIMEOUT_MS);
      return Number(match[1]);
    });
  },
};

/** In the order they are run and printed; the first is the baseline for ratios. */
export const contenders = [bareAedes(false), bareAedes(true), mosquitto, app];
export const BASELINE = 'aedes';
