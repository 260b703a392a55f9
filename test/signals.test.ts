import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { homeSchema } from '../src/store/index.js';
import { BIN, cleanEnv, tempDir, type Finished } from './fixtures/binary.js';

/** A loopback port that was free a moment ago, so the test knows where the broker listens. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** True when nothing listens on the port any more (the broker thread is gone with the process). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

interface Started {
  pid: number;
  stdout: () => string;
  stderr: () => string;
  /** Resolves at the first line on stdout: the home is starting (its first packet is in the log). */
  firstLine: Promise<void>;
  exited: Promise<Finished>;
}

/** Spawns the built program headless; unlike startHeadless it does not wait for the start to finish. */
function spawnHeadless(args: string[]): Started {
  const child = spawn(process.execPath, [BIN, '--headless', ...args], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let sawLine: () => void = () => {};
  const firstLine = new Promise<void>((resolve) => (sawLine = resolve));
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
    if (stdout.includes('\n')) sawLine();
  });
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<Finished>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { pid: child.pid!, stdout: () => stdout, stderr: () => stderr, firstLine, exited };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The data file is there, is JSON and is a home; the lock on it is gone. */
function expectValidDataFile(file: string): ReturnType<typeof homeSchema.parse> {
  expect(existsSync(file)).toBe(true);
  expect(existsSync(`${file}.lock`)).toBe(false);
  return homeSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}

describe('a signal stops the program at any moment', () => {
  it('SIGTERM while the home is still starting: exit 143, the data file written, the broker gone', async () => {
    const file = join(tempDir(), 'home.json');
    const port = await freePort();
    const app = spawnHeadless(['--port', String(port), '--data', file]);
    await app.firstLine;
    process.kill(app.pid, 'SIGTERM');
    const finished = await app.exited;
    expect(finished.code).toBe(143);
    expect(finished.stderr).not.toContain('internal error');
    expectValidDataFile(file);
    expect(isRunning(app.pid)).toBe(false);
    expect(await portIsFree(port)).toBe(true);
  });

  it('SIGINT while a fleet of 1,000 objects connects: exit 130, the objects that had started are in the data file', async () => {
    const file = join(tempDir(), 'home.json');
    const port = await freePort();
    const app = spawnHeadless(['--port', String(port), '--fleet', '1000', '--data', file]);
    // The first fleet object in the log: the fleet's start has begun and is far from done.
    await expect.poll(() => app.stdout().includes('fleet00001'), { timeout: 15_000, interval: 20 }).toBe(true);
    process.kill(app.pid, 'SIGINT');
    const finished = await app.exited;
    expect(finished.code).toBe(130);
    expect(finished.stderr).not.toContain('internal error');
    const saved = expectValidDataFile(file);
    expect(saved.smartObjects).toHaveProperty('fleet00001');
    expect(saved.broker.retained.some((message) => message.topic.includes('fleet00001'))).toBe(true);
    expect(isRunning(app.pid)).toBe(false);
    expect(await portIsFree(port)).toBe(true);
  });

  it('a second SIGINT during the stop ends the program at once with one line saying what was not written', async () => {
    const file = join(tempDir(), 'home.json');
    const app = spawnHeadless(['--port', '0', '--fleet', '2000', '--data', file]);
    await expect.poll(() => app.stdout().includes('fleet00001'), { timeout: 15_000, interval: 20 }).toBe(true);
    process.kill(app.pid, 'SIGINT');
    // Two signals sent at once arrive as one: the second goes once the stop has begun.
    await expect.poll(() => app.stderr().includes('SIGINT received, stopping'), { interval: 5 }).toBe(true);
    process.kill(app.pid, 'SIGINT');
    const finished = await app.exited;
    expect(finished.code).toBe(130);
    const lines = finished.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^smart-home-tui: stopped at once; (the changes of the last \d+ ms were not written to .*home\.json|every change was already in the data file)\.$/);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
