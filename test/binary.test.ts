import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { cleanEnv, occupiedPort, releasePorts, runBinary, STACK_TRACE, startHeadless, tempDir } from './fixtures/binary.js';

afterAll(releasePorts);

const noStackTrace = (text: string) => expect(text).not.toMatch(STACK_TRACE);

describe('the built program', () => {
  it('prints its version', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const result = await runBinary(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
  });

  it('prints help naming every flag', async () => {
    const result = await runBinary(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--headless');
    expect(result.stdout).toContain('--reset-data');
  });

  it('refuses an unknown flag with one sentence and exit code 2', async () => {
    const result = await runBinary(['--frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/unknown option '--frobnicate'/);
    noStackTrace(result.stderr);
  });

  it('without a terminal and without --headless, suggests --headless and exits 2', async () => {
    const result = await runBinary(['--port', '0', '--data', join(tempDir(), 'home.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--headless/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    noStackTrace(result.stderr);
  });

  it('names a taken port and the two ways out, exit code 1', async () => {
    const port = await occupiedPort();
    const result = await runBinary(['--headless', '--port', String(port), '--data', join(tempDir(), 'home.json')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Port ${port}`);
    expect(result.stderr).toContain('--port');
    expect(result.stderr).toContain(`--broker mqtt://localhost:${port}`);
    noStackTrace(result.stderr);
  });

  it('refuses a data file that is not a home and leaves it untouched', async () => {
    const file = join(tempDir(), 'home.json');
    writeFileSync(file, '{"this is": not json');
    const result = await runBinary(['--headless', '--port', '0', '--data', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--reset-data');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(readFileSync(file, 'utf8')).toBe('{"this is": not json');
    noStackTrace(result.stderr);
  });

  it('runs headless, logs traffic, and on SIGTERM flushes the store and exits 143', async () => {
    const file = join(tempDir(), 'home.json');
    const app = await startHeadless(['--port', '0', '--data', file], cleanEnv());
    const client = await mqtt.connectAsync(app.url, { clientId: `binary-test-${process.pid}` });
    await client.publishAsync('test/kept', 'still here', { qos: 1, retain: true });
    await app.waitForStdout('test/kept');
    await client.endAsync();
    const finished = await app.stop('SIGTERM');
    expect(finished.code).toBe(143);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { broker: { retained: Array<{ topic: string; payload: string }> } };
    const kept = saved.broker.retained.find((message) => message.topic === 'test/kept');
    expect(Buffer.from(kept!.payload, 'base64').toString()).toBe('still here');
  });

  it('refuses a second instance on the same data file, naming the process that holds it', async () => {
    const file = join(tempDir(), 'home.json');
    const first = await startHeadless(['--port', '0', '--data', file]);
    const second = await runBinary(['--headless', '--port', '0', '--data', file]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`pid ${first.child.pid}`);
    noStackTrace(second.stderr);
    expect((await first.stop()).code).toBe(143);
  });

  it('prints the headless log as NDJSON with --json', async () => {
    const app = await startHeadless(['--json', '--port', '0', '--data', join(tempDir(), 'home.json')]);
    const client = await mqtt.connectAsync(app.url, { clientId: `json-test-${process.pid}` });
    await client.publishAsync('test/json', '{"a":1}');
    await app.waitForStdout('test/json');
    await client.endAsync();
    const finished = await app.stop('SIGINT');
    expect(finished.code).toBe(130);
    const lines = finished.stdout.trim().split('\n');
    const entries = lines.map((line) => JSON.parse(line) as { kind: string; topic?: string; clientId: string });
    expect(entries).toContainEqual(expect.objectContaining({ kind: 'publish', topic: 'test/json', clientId: `json-test-${process.pid}` }));
  });
});
