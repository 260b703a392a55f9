import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Terminal } from '../fixtures/terminal.js';
import { Clients } from '../support/mqtt.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
let terminal: Terminal | undefined;
const clients = new Clients();
afterEach(async () => {
  await clients.closeAll();
  terminal?.close();
});

describe.skipIf(!hasTmux)('the Topics screen of the built program in a real terminal', () => {
  it('shows what an outside client published, filters, opens it, deletes it as retained and lists the client', async () => {
    terminal = new Terminal((dir) => ['--port', '0', '--data', join(dir, 'home.json')]);
    const home = await terminal.waitFor((screen) => screen.includes('● connected'), 'the home');
    const url = /mqtt:\/\/127\.0\.0\.1:\d+/.exec(home)![0];
    const outside = await clients.connect(url, 'outside-lamp');
    const id = outside.options.clientId!;
    await outside.publishAsync('lab/lamp', '{"on":true,"watts":7}', { qos: 1, retain: true });

    for (let i = 0; i < 5; i++) terminal.keys(']');
    await terminal.waitFor((screen) => screen.includes('1 Topics') && screen.includes('lab (1)'), 'the Topics screen with lab');
    terminal.keys('/');
    terminal.type('lab/#');
    terminal.keys('Enter');
    const opened = await terminal.waitFor((screen) => screen.includes('"watts": 7'), 'the payload pretty-printed');
    expect(opened).toContain(`from ${id}`);
    expect(opened).toMatch(/lab\/lamp\s+1\s.*R/);

    terminal.keys('d');
    await terminal.waitFor((screen) => screen.includes('Delete the retained message on lab/lamp? y/n'), 'the question');
    terminal.keys('y');
    await terminal.waitFor((screen) => screen.includes('deleted the retained message on lab/lamp') && screen.includes('not retained'), 'the retained message deleted');

    terminal.keys('c');
    const listed = await terminal.waitFor((screen) => screen.includes('1 Clients') && screen.includes(id.slice(0, 16)), 'the outside client in the Clients view');
    expect(listed).toContain('busiest');
    terminal.keys('q');
    expect(await terminal.exitCode()).toBe(0);
  });
});
