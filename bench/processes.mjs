// Starting and stopping the programs the bench runs: brokers and the load generator.
import { spawn } from 'node:child_process';
import net from 'node:net';

/** Every child still running, so an interrupted bench can stop exactly what it started. */
const running = new Set();

// A fleet of a thousand clients needs more file descriptors than the usual soft limit of 1024;
// `exec` keeps the pid, so the pid we hold is the program's own.
const RAISE_FD_LIMIT = 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"';

/**
 * Spawns a program with a raised open-file limit. Output is drained (a broker that logs every
 * connection would otherwise block on a full pipe); the last lines are kept for error sentences.
 * @param {string} command
 * @param {string[]} args
 * Stdout is kept only when asked: a broker's log (the app's headless traffic log) goes to /dev/null,
 * so reading it costs the bench nothing while it measures.
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, keepStdout?: boolean }} [options]
 */
export function startProgram(command, args, options = {}) {
  const child = spawn('/bin/sh', ['-c', RAISE_FD_LIMIT, 'sh', command, ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', options.keepStdout ? 'pipe' : 'ignore', 'pipe'],
  });
  running.add(child);
  const program = {
    child,
    pid: /** @type {number} */ (child.pid),
    stdout: '',
    stderrTail: /** @type {string[]} */ ([]),
    /** @type {Set<(line: string) => void>} */
    stderrListeners: new Set(),
    /** @type {Promise<{ code: number | null, signal: NodeJS.Signals | null }>} */
    exited: new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        running.delete(child);
        resolve({ code, signal });
      });
    }),
  };
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (chunk) => {
    program.stdout = (program.stdout + chunk).slice(-64 * 1024);
  });
  let partial = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      for (const listener of program.stderrListeners) listener(line);
      program.stderrTail.push(line);
      if (program.stderrTail.length > 20) program.stderrTail.shift();
    }
  });
  return program;
}

/**
 * Stops one program by its pid: SIGTERM, then SIGKILL if it has not exited after graceMs.
 * @param {ReturnType<typeof startProgram>} program
 */
export async function stopProgram(program, graceMs = 5000) {
  if (program.child.exitCode !== null || program.child.signalCode !== null) return program.exited;
  try {
    process.kill(program.pid, 'SIGTERM');
  } catch {
    return program.exited;
  }
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(resolve, graceMs, 'late');
  });
  if ((await Promise.race([program.exited, late])) === 'late') {
    try {
      process.kill(program.pid, 'SIGKILL');
    } catch {
      // It exited between the check and the kill.
    }
  }
  clearTimeout(timer);
  return program.exited;
}

/** Kills every program this bench started and that is still running (used on Ctrl-C); resolves once they are reaped. */
export function killAllStarted(waitMs = 2000) {
  const gone = [];
  for (const child of running) {
    gone.push(new Promise((resolve) => child.once('exit', resolve)));
    try {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return Promise.race([Promise.all(gone), new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);
}

/** A loopback port that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on the port. */
export async function waitForPort(port, timeoutMs, stillRunning) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (!stillRunning()) throw new Error('it exited before it accepted connections');
    if (Date.now() > deadline) throw new Error(`nothing accepted connections on port ${port} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Resolves with the first match of pattern on the program's stderr.
 * @param {ReturnType<typeof startProgram>} program
 * @param {RegExp} pattern
 * @param {number} timeoutMs
 */
export function waitForLine(program, pattern, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`it did not say it was ready within ${timeoutMs / 1000} s`)), timeoutMs);
    const listener = (/** @type {string} */ line) => {
      const match = pattern.exec(line);
      if (match) {
        clearTimeout(timer);
        program.stderrListeners.delete(listener);
        resolve(match);
      }
    };
    program.stderrListeners.add(listener);
    program.exited.then(({ code, signal }) => {
      clearTimeout(timer);
      program.stderrListeners.delete(listener);
      reject(new Error(`it exited (${signal ?? `code ${code}`}) before it was ready`));
    });
  });
}
