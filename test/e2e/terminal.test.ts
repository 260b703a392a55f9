import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Terminal } from '../fixtures/terminal.js';

let terminal: Terminal | undefined;
afterEach(() => terminal?.close());

describe('the program in a real terminal', () => {
  it('registers a user, lets them in, follows the setpoint, and keeps them after q', async () => {
    terminal = new Terminal((dir) => ['--port', '0', '--data', join(dir, 'home.json')]);
    const dataFile = join(terminal.dir, 'home.json');
    await terminal.waitFor((screen) => screen.includes('● connected') && screen.includes('nobody home'), 'the home, connected');

    // A fast typist: name, Enter, temperature, Enter, all in one burst.
    terminal.keys('2', 'n', 'alice', 'Enter', '21.5', 'Enter');
    await terminal.waitFor((screen) => /alice\s+21\.5 °C/.test(screen), 'alice registered at 21.5 °C');

    terminal.keys('3', 'Enter');
    const home = await terminal.waitFor((screen) => screen.includes('for alice'), 'the setpoint for alice');
    expect(home).toMatch(/alice\s+⌂ home/);
    expect(home).toMatch(/queue 1 alice/);

    terminal.keys('q');
    expect(await terminal.exitCode()).toBe(0);
    // The UI drew on the alternate screen: after q the terminal shows what it showed before, and no frame is left in its scrollback.
    expect(terminal.scrollback()).not.toContain('2 Register');
    expect(terminal.scrollback()).not.toContain('╭');
    const saved = JSON.parse(readFileSync(dataFile, 'utf8')) as {
      doorLocker: { users: Record<string, { temperature: string; isHome: boolean }> };
      thermostat: { queue: string[] };
    };
    expect(saved.doorLocker.users.alice).toEqual({ temperature: '21.5', isHome: true });
    expect(saved.thermostat.queue).toEqual(['alice']);
  });

  it('leaves the alternate screen on SIGTERM too, and a start-up error leaves only its sentence', async () => {
    terminal = new Terminal((dir) => ['--port', '0', '--data', join(dir, 'home.json')]);
    await terminal.waitFor((screen) => screen.includes('● connected'), 'the home');
    process.kill(terminal.programPid(), 'SIGTERM');
    expect(await terminal.exitCode()).toBe(143);
    expect(terminal.scrollback()).not.toContain('╭');
    terminal.close();

    // The same data file twice: the second start is refused once the UI is already drawn.
    const first = terminal;
    const dataFile = join(first.dir, 'held.json');
    const holder = new Terminal(() => ['--port', '0', '--data', dataFile]);
    try {
      await holder.waitFor((screen) => screen.includes('● connected'), 'the first home');
      terminal = new Terminal(() => ['--port', '0', '--data', dataFile]);
      expect(await terminal.exitCode()).toBe(1);
      const screen = terminal.scrollback();
      expect(screen).toContain(`smart-home-tui: ${dataFile} is in use by another smart-home-tui`);
      expect(screen).not.toContain('╭');
      expect(screen).not.toContain('starting');
      expect(screen.trim().split('\n').filter((line) => line.trim() !== '')).toHaveLength(1);
    } finally {
      holder.close();
    }
  });

  it('stops on SIGTERM while a fleet is still starting: exit 143, the screen given back, the data file written', async () => {
    terminal = new Terminal((dir) => ['--port', '0', '--fleet', '2000', '--data', join(dir, 'home.json')]);
    await terminal.waitFor((screen) => screen.includes('starting the broker and the devices'), 'the first frame, still starting');
    process.kill(terminal.programPid(), 'SIGTERM');
    expect(await terminal.exitCode()).toBe(143);
    expect(terminal.scrollback()).not.toContain('╭');
    const saved = JSON.parse(readFileSync(join(terminal.dir, 'home.json'), 'utf8')) as { version: number };
    expect(saved.version).toBeGreaterThan(0);
    expect(existsSync(join(terminal.dir, 'home.json.lock'))).toBe(false);
  });

  it('shows every key in the help overlay and fits an 80x24 terminal', async () => {
    terminal = new Terminal((dir) => ['--port', '0', '--data', join(dir, 'home.json')], { columns: 80, rows: 24 });
    await terminal.waitFor((screen) => screen.includes('● connected'), 'the home');
    const screen = terminal.screen();
    // The frame fits: the status bar is still the top row and the last row is left free
    // (a frame as tall as the terminal makes Ink clear and redraw the whole screen).
    const rows = screen.split('\n');
    expect(rows[0]).toMatch(/^mqtt:\/\/127\.0\.0\.1:\d+/);
    expect((rows[23] ?? '').trim()).toBe('');
    for (const title of ['1 Broker log', '2 Register', '3 Presence', '4 Thermostat', '5 Smart object']) expect(screen).toContain(title);
    terminal.keys('?');
    const help = await terminal.waitFor((current) => current.includes('Everywhere'), 'the help overlay');
    expect(help).toContain('quit');
    terminal.keys('Escape');
    await terminal.waitFor((current) => current.includes('n: register the first person'), 'the panes again');
    terminal.keys('C-c');
    expect(await terminal.exitCode()).toBe(0);
  });

  it('keeps what is typed during start-up, and `]` walks every screen without typing into the Console', async () => {
    terminal = new Terminal((dir) => ['--port', '0', '--data', join(dir, 'home.json')]);
    // At once, while the status bar may still say "starting…".
    terminal.keys('2', 'n', 'alice', 'Enter', '21.5', 'Enter');
    await terminal.waitFor((screen) => /alice\s+21\.5 °C/.test(screen), 'alice registered');
    for (const title of ['Producers', 'Challenge', 'Console', 'Sign']) {
      terminal.keys(']');
      await terminal.waitFor((screen) => screen.includes(title), `the screen with ${title}`);
    }
    terminal.keys('[');
    const console = await terminal.waitFor((screen) => screen.includes('Enter or i: type a command'), 'the Console, its line not entered');
    expect(console).toMatch(/> \[ +\]/);
    terminal.keys('q');
    expect(await terminal.exitCode()).toBe(0);
  });
});
