import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import ts from 'typescript';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CURRENT_VERSION,
  defaultDataFile,
  emptyHome,
  openStore,
  StoreError,
  type HomeStore,
  type StoreErrorCode,
} from '../src/store/index.js';

let dir: string;
let file: string;
const opened: HomeStore[] = [];
const children: ChildProcess[] = [];

async function open(options: Partial<Parameters<typeof openStore>[0]> = {}): Promise<HomeStore> {
  const store = await openStore({ file, ...options });
  opened.push(store);
  return store;
}

async function refusal(options: Partial<Parameters<typeof openStore>[0]> = {}): Promise<StoreError> {
  try {
    await open(options);
  } catch (err) {
    if (err instanceof StoreError) return err;
    throw err;
  }
  throw new Error('openStore accepted the file');
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'home-store-'));
  file = path.join(dir, 'home.json');
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
  await Promise.all(opened.splice(0).map((store) => store.close()));
  await rm(dir, { recursive: true, force: true });
});

describe('saving', () => {
  it('keeps the home across a close and reopen', async () => {
    const store = await open();
    expect(store.data).toEqual(emptyHome());
    store.update((home) => {
      home.thermostat.queue.push('ann');
      home.doorLocker.users.ann = { temperature: '21.5', isHome: true };
      home.carpark.north = { free: 12 };
    });
    await store.close();

    const again = await open();
    expect(again.data.thermostat.queue).toEqual(['ann']);
    expect(again.data.doorLocker.users.ann).toEqual({ temperature: '21.5', isHome: true });
    expect(again.data.carpark.north).toEqual({ free: 12 });
  });

  it('creates the folder of a data file that does not exist yet', async () => {
    file = path.join(dir, 'deep', 'er', 'home.json');
    const store = await open();
    store.update((home) => {
      home.thermostat.roomTemperature = 19;
    });
    await store.close();
    expect(JSON.parse(await readFile(file, 'utf8')).thermostat.roomTemperature).toBe(19);
  });

  it('fills in missing slices of a minimal file with their defaults', async () => {
    await writeFile(file, JSON.stringify({ version: 1, carpark: { north: { free: 3 } } }));
    const store = await open();
    expect(store.data).toEqual({ ...emptyHome(), carpark: { north: { free: 3 } } });
  });

  it('turns a burst of 10,000 changes into one write holding the last state', async () => {
    const store = await open({ coalesceMs: 50 });
    for (let i = 0; i < 10_000; i++) {
      store.update((home) => {
        home.thermostat.roomTemperature = i;
      });
    }
    await vi.waitFor(() => expect(store.writeCount).toBeGreaterThanOrEqual(1), { timeout: 5000 });
    await store.flush();
    expect(store.writeCount).toBeLessThanOrEqual(2);
    expect(JSON.parse(await readFile(file, 'utf8')).thermostat.roomTemperature).toBe(9_999);
  });

  it('writes changes spaced beyond the window separately', async () => {
    const store = await open({ coalesceMs: 10 });
    store.update((home) => {
      home.thermostat.queue.push('ann');
    });
    await vi.waitFor(() => expect(store.writeCount).toBe(1), { timeout: 5000 });
    expect(JSON.parse(await readFile(file, 'utf8')).thermostat.queue).toEqual(['ann']);

    store.update((home) => {
      home.thermostat.queue.push('bob');
    });
    await vi.waitFor(() => expect(store.writeCount).toBe(2), { timeout: 5000 });
    expect(JSON.parse(await readFile(file, 'utf8')).thermostat.queue).toEqual(['ann', 'bob']);
  });

  it('saves changes made during a write with exactly one more write after it', async () => {
    const store = await open({ coalesceMs: 10_000 });
    store.update((home) => {
      home.smartObjects.device001 = { switch: 'ON', temperature: 20 };
    });
    const flushed = store.flush();
    for (let t = 21; t <= 40; t++) {
      store.update((home) => {
        home.smartObjects.device001 = { switch: 'ON', temperature: t };
      });
    }
    await flushed;
    expect(store.writeCount).toBe(2);
    expect(JSON.parse(await readFile(file, 'utf8')).smartObjects.device001.temperature).toBe(40);
    await store.flush();
    expect(store.writeCount).toBe(2);
  });

  it('does not write when nothing changed', async () => {
    await writeFile(file, JSON.stringify({ version: 1 }));
    const store = await open();
    await store.close();
    expect(store.writeCount).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(JSON.stringify({ version: 1 }));
  });

  it('replaces the file atomically: every read parses and no temp file is left', async () => {
    const store = await open({ coalesceMs: 0 });
    let writing = true;
    let reads = 0;
    const reader = (async () => {
      while (writing) {
        const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') return undefined;
          throw err;
        });
        if (text !== undefined) {
          JSON.parse(text);
          reads++;
        }
      }
    })();
    for (let i = 0; i < 200; i++) {
      store.update((home) => {
        // Sizes change every write, so a torn write could not go unnoticed.
        home.thermostat.queue = Array.from({ length: i % 50 }, (_, n) => `person${n}`);
      });
      await store.flush();
    }
    writing = false;
    await reader;
    await store.close();
    expect(reads).toBeGreaterThan(0);
    expect(store.writeCount).toBe(200);
    expect(await readdir(dir)).toEqual(['home.json']);
  });

  it('close is safe to call twice and refuses later changes', async () => {
    const store = await open();
    store.update((home) => {
      home.thermostat.queue.push('ann');
    });
    await Promise.all([store.close(), store.close()]);
    await store.close();
    expect(store.writeCount).toBe(1);
    expect(() =>
      store.update((home) => {
        home.thermostat.queue.push('bob');
      }),
    ).toThrow(/closed/);
  });

  it('puts the default file in the data folder of the user', () => {
    const before = process.env.XDG_DATA_HOME;
    process.env.XDG_DATA_HOME = dir;
    try {
      const expected =
        process.platform === 'linux' ? path.join(dir, 'smart-home-tui', 'home.json') : undefined;
      if (expected) expect(defaultDataFile()).toBe(expected);
      expect(defaultDataFile()).toMatch(/smart-home-tui[\\/]+home\.json$/);
    } finally {
      if (before === undefined) delete process.env.XDG_DATA_HOME;
      else process.env.XDG_DATA_HOME = before;
    }
  });
});

describe('a file it cannot use', () => {
  const validHome = JSON.stringify({ ...emptyHome(), thermostat: { queue: ['ann'], users: { ann: '22' }, roomTemperature: 20 } });
  const cases: Array<{ what: string; content: string; code: StoreErrorCode; says: RegExp }> = [
    { what: 'garbage', content: 'this is not json at all', code: 'corrupt', says: /is not valid JSON/ },
    { what: 'an empty file', content: '', code: 'corrupt', says: /is empty/ },
    { what: 'truncated JSON', content: validHome.slice(0, validHome.length / 2), code: 'corrupt', says: /is not valid JSON/ },
    {
      what: 'a schema violation',
      content: JSON.stringify({ version: 1, thermostat: { queue: 'ann' } }),
      code: 'schema',
      says: /at thermostat\.queue/,
    },
    { what: 'a JSON array', content: '[1,2,3]', code: 'schema', says: /expected a JSON object/ },
    { what: 'no version', content: JSON.stringify({ thermostat: {} }), code: 'schema', says: /no valid data version/ },
    {
      what: 'a newer version',
      content: JSON.stringify({ version: CURRENT_VERSION + 1 }),
      code: 'newer-version',
      says: new RegExp(`newer smart-home-tui \\(data version ${CURRENT_VERSION + 1}, this one reads up to ${CURRENT_VERSION}\\)`),
    },
  ];

  it.each(cases)('refuses $what in one sentence and leaves its bytes alone', async ({ content, code, says }) => {
    await writeFile(file, content);
    const before = await stat(file);
    const err = await refusal();
    expect(err.code).toBe(code);
    expect(err.file).toBe(file);
    expect(err.message).toMatch(says);
    expectOneSentenceWithResetHint(err.message);
    expect(await readFile(file, 'utf8')).toBe(content);
    expect((await stat(file)).mtimeMs).toBe(before.mtimeMs);
    // The refusal let go of the file: nothing but the file itself is there.
    expect(await readdir(dir)).toEqual(['home.json']);
  });

  it.each([
    ['thermostat.users.huge', { thermostat: { queue: ['huge'], users: { huge: '1e+300' }, roomTemperature: 20 } }],
    ['thermostat.users.ann', { thermostat: { users: { ann: '99' } } }],
    ['thermostat.roomTemperature', { thermostat: { users: {}, roomTemperature: 1.1049610706077684e298 } }],
    ['doorLocker.users.huge.temperature', { doorLocker: { users: { huge: { temperature: '-273', isHome: true } } } }],
    ['smartObjects.device001.temperature', { smartObjects: { device001: { switch: 'ON', temperature: 1e300 } } }],
  ])('refuses a value outside the home\'s ranges edited in by hand, naming %s', async (where, slices) => {
    const content = JSON.stringify({ version: CURRENT_VERSION, ...slices });
    await writeFile(file, content);
    const err = await refusal();
    expect(err.code).toBe('schema');
    expect(err.message).toContain(`at ${where} (must be a number from`);
    expectOneSentenceWithResetHint(err.message);
    expect(await readFile(file, 'utf8')).toBe(content);
  });

  it.each([false, true])('refuses a directory in place of the file, with reset %s too, and never moves it', async (reset) => {
    await mkdir(file);
    await writeFile(path.join(file, 'notes.txt'), 'mine');
    const err = await refusal({ reset });
    expect(err.code).toBe('not-a-file');
    expect(err.message).toBe(`${file} is a directory, not a data file, and is left as it is; use --data FILE to name a file.`);
    expect((await stat(file)).isDirectory()).toBe(true);
    expect(await readFile(path.join(file, 'notes.txt'), 'utf8')).toBe('mine');
    expect(await readdir(dir)).toEqual(['home.json']);
  });

  it.skipIf(process.getuid?.() === 0)('refuses a file it may not read', async () => {
    await writeFile(file, JSON.stringify({ version: 1 }));
    await chmod(file, 0o000);
    const err = await refusal();
    expect(err.code).toBe('permission');
    expect(err.message).toMatch(/permission denied/);
    expectOneSentenceWithResetHint(err.message);
    await chmod(file, 0o600);
  });

  it.each(cases)('moves $what aside with reset and starts fresh', async ({ content }) => {
    await writeFile(file, content);
    const store = await open({ reset: true });
    expect(store.movedAside).toMatch(/home\.json\.bak-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
    expect(path.dirname(store.movedAside!)).toBe(dir);
    expect(await readFile(store.movedAside!, 'utf8')).toBe(content);
    expect(store.data).toEqual(emptyHome());
    store.update((home) => {
      home.thermostat.queue.push('ann');
    });
    await store.close();
    expect(JSON.parse(await readFile(file, 'utf8')).thermostat.queue).toEqual(['ann']);
  });

  it('moves a valid file aside with reset too, each time to a new name', async () => {
    await writeFile(file, validHome);
    const first = await open({ reset: true });
    expect(await readFile(first.movedAside!, 'utf8')).toBe(validHome);
    expect(first.data).toEqual(emptyHome());
    await first.close();

    const second = await open({ reset: true });
    expect(second.movedAside).not.toBe(first.movedAside);
  });

  it('has nothing to move aside when there is no file', async () => {
    const store = await open({ reset: true });
    expect(store.movedAside).toBeUndefined();
  });
});

describe('migrations', () => {
  it('upgrades an older version through the migration map and saves it in the new format', async () => {
    await writeFile(file, JSON.stringify({ version: 0, arrivals: ['ann', 'bob'] }));
    const store = await open({
      migrations: {
        0: ({ arrivals, ...rest }) => ({ ...rest, thermostat: { queue: arrivals } }),
      },
    });
    expect(store.data.version).toBe(CURRENT_VERSION);
    expect(store.data.thermostat.queue).toEqual(['ann', 'bob']);
    await store.close();
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.version).toBe(CURRENT_VERSION);
    expect(saved.thermostat.queue).toEqual(['ann', 'bob']);
    expect(saved.arrivals).toBeUndefined();
  });

  it('refuses an older version it has no upgrade for and leaves it alone', async () => {
    const content = JSON.stringify({ version: 0 });
    await writeFile(file, content);
    const err = await refusal();
    expect(err.code).toBe('schema');
    expect(err.message).toMatch(/data version 0 cannot be upgraded/);
    expectOneSentenceWithResetHint(err.message);
    expect(await readFile(file, 'utf8')).toBe(content);
  });
});

describe('one writer per file', () => {
  let runner: string;
  let runnerDir: string;

  beforeAll(async () => {
    runnerDir = await buildChildRunner();
    runner = path.join(runnerDir, 'runner.mjs');
  });

  afterAll(async () => {
    await rm(runnerDir, { recursive: true, force: true });
  });

  it('refuses a second open in the same process, naming the holder', async () => {
    await open();
    const err = await refusal();
    expect(err.code).toBe('locked');
    expect(err.message).toBe(
      `${file} is in use by another smart-home-tui (pid ${process.pid}); stop it or use --data FILE.`,
    );
  });

  it('lets go on close so the file opens again', async () => {
    const store = await open();
    await store.close();
    const again = await open();
    expect(again.data).toEqual(emptyHome());
  });

  it('refuses an open from another process, naming this one', async () => {
    await open();
    const child = startChild(runner, file, 'hold');
    const reply = await nextLine(child);
    expect(reply).toEqual({
      code: 'locked',
      message: `${file} is in use by another smart-home-tui (pid ${process.pid}); stop it or use --data FILE.`,
    });
  });

  it('is refused while another process holds the file, naming that process', async () => {
    const child = startChild(runner, file, 'hold');
    expect(await nextLine(child)).toEqual({ opened: child.pid });
    const err = await refusal();
    expect(err.code).toBe('locked');
    expect(err.message).toContain(`(pid ${child.pid})`);
  });

  it('takes over at once from a holder that was killed', async () => {
    const child = startChild(runner, file, 'hold');
    expect(await nextLine(child)).toEqual({ opened: child.pid });
    child.kill('SIGKILL');
    await once(child, 'exit');
    // The dead holder's lock is still there and fresh, so only the pid check can free it.
    const lockEntries = await readdir(`${file}.lock`);
    expect(lockEntries).toEqual(['pid']);
    const store = await open();
    expect(store.data).toEqual(emptyHome());
  });

  it('leaves a whole file when the writer is killed mid-stream', async () => {
    const child = startChild(runner, file, 'churn');
    expect(await nextLine(child)).toEqual({ churning: child.pid });
    child.kill('SIGKILL');
    await once(child, 'exit');
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.thermostat.queue.length).toBeGreaterThan(0);
    const store = await open();
    expect(store.data.thermostat.queue).toEqual(saved.thermostat.queue);
  });
});

function expectOneSentenceWithResetHint(message: string): void {
  expect(message).not.toContain('\n');
  expect(message).toContain(file);
  expect(message).toMatch(/--reset-data to move it aside to home\.json\.bak-<time> and start fresh\.$/);
  expect(message.slice(0, -1)).not.toMatch(/\.\s/);
}

function startChild(runner: string, dataFile: string, mode: 'hold' | 'churn'): ChildProcess {
  const child = spawn(process.execPath, [runner, dataFile, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return child;
}

/** The next JSON line the child prints, or a failure if it exits or stays silent. */
async function nextLine(child: ChildProcess): Promise<unknown> {
  const lines = createInterface({ input: child.stdout! });
  try {
    const [line] = (await Promise.race([
      once(lines, 'line'),
      once(child, 'exit').then(() => {
        throw new Error('the child exited without a word');
      }),
    ])) as [string];
    return JSON.parse(line);
  } finally {
    lines.close();
  }
}

/**
 * Compiles the store into a temp folder so a plain node child can open the same file.
 * The folder links the project's node_modules so the store's packages resolve.
 */
async function buildChildRunner(): Promise<string> {
  const root = path.resolve(import.meta.dirname, '..');
  const out = await mkdtemp(path.join(tmpdir(), 'home-store-runner-'));
  await writeFile(path.join(out, 'package.json'), '{"type":"module"}\n');
  await symlink(path.join(root, 'node_modules'), path.join(out, 'node_modules'), 'dir');
  // The store checks values against the wire's ranges, so the wire comes along.
  for (const folder of ['store', 'wire']) {
    await mkdir(path.join(out, folder));
    const sources = path.join(root, 'src', folder);
    for (const name of await readdir(sources)) {
      if (!name.endsWith('.ts')) continue;
      const { outputText } = ts.transpileModule(await readFile(path.join(sources, name), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      });
      await writeFile(path.join(out, folder, name.replace(/\.ts$/, '.js')), outputText);
    }
  }
  await writeFile(
    path.join(out, 'runner.mjs'),
    `import { openStore } from './store/index.js';
const [file, mode] = process.argv.slice(2);
const say = (value) => process.stdout.write(JSON.stringify(value) + '\\n');
let store;
try {
  store = await openStore({ file, coalesceMs: 0 });
} catch (err) {
  say({ code: err.code, message: err.message });
  process.exit(2);
}
if (mode === 'hold') {
  say({ opened: process.pid });
  setInterval(() => {}, 60_000);
} else {
  let told = false;
  let n = 0;
  const churn = () => {
    store.update((home) => { home.thermostat.queue.push('p' + n++); });
    if (!told && store.writeCount >= 20) { told = true; say({ churning: process.pid }); }
    setImmediate(churn);
  };
  churn();
}
`,
  );
  return out;
}
