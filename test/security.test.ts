import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { exposureWarning, isLoopback } from '../src/runtime.js';
import { parseArgs } from '../src/options.js';
import { startHeadless, tempDir } from './fixtures/binary.js';


describe('where the broker listens', () => {
  it('is 127.0.0.1 unless --host says otherwise', async () => {
    const parsed = parseArgs(['node', 'smart-home-tui'], {});
    expect(parsed).toMatchObject({ kind: 'run', config: { host: '127.0.0.1' } });
    const app = await startHeadless(['--port', '0', '--data', join(tempDir(), 'home.json')]);
    expect(app.url).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+$/);
    expect(app.stderr()).not.toMatch(/warning/);
    expect((await app.stop()).code).toBe(143);
  });

  it('tells loopback addresses from the rest', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.org', '128.0.0.1']) expect(isLoopback(host), host).toBe(false);
  });

  // Tested without binding beyond loopback: the warning is decided from the address and the login rule.
  it('warns when it would listen beyond this machine without authentication, and only then', () => {
    expect(exposureWarning('0.0.0.0', false)).toMatch(
      /^the broker listens on 0\.0\.0\.0 without authentication, so anyone who can reach this machine can read and drive the home\.$/,
    );
    expect(exposureWarning('0.0.0.0', true)).toBeUndefined();
    expect(exposureWarning('127.0.0.1', false)).toBeUndefined();
  });
});

describe('terminal control characters in what others send', () => {
  it('are escaped in the headless log: no raw ESC or BEL reaches the terminal', async () => {
    const app = await startHeadless(['--port', '0', '--data', join(tempDir(), 'home.json')]);
    const clientId = `evil-\u001b[31m-${process.pid}`;
    const client = await mqtt.connectAsync(app.url, { clientId, reconnectPeriod: 0 });
    await client.publishAsync('test/\u001b[2Jtopic', '\u001b]0;owned title\u0007 then \u001b[2J cleared', { qos: 1 });
    await client.publishAsync('smart_home/user_data', '\u001b]0;x\u0007', { qos: 1 });
    await client.publishAsync('test/control-done', 'done', { qos: 1 });
    await app.waitForStdout('test/control-done');
    await client.endAsync();
    const out = app.stdout();
    expect((await app.stop()).code).toBe(143);

    expect(out).not.toMatch(/[\u001b\u0007\u009b]/);
    const line = out.split('\n').find((l) => l.includes('owned title'));
    expect(line).toBeDefined();
    const shown = line!.toLowerCase();
    expect(shown).toContain('\\x1b]0;owned title\\x07');
    expect(shown).toContain('\\x1b[2j');
    // The sender's id and the topic are escaped the same way.
    expect(shown).toContain('evil-\\x1b[31m-');
    expect(shown).toContain('test/\\x1b[2jtopic');
    // A bad payload's line too.
    expect(out.split('\n').some((l) => l.includes('bad-payload') && l.toLowerCase().includes('\\x1b]0;x\\x07'))).toBe(true);
  });
});
