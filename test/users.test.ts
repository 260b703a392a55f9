import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../src/broker/accounts.js';
import { parseArgs } from '../src/options.js';
import { runUsersCommand } from '../src/users-command.js';
import { cleanEnv, runBinary, tempDir } from './fixtures/binary.js';

const run = (args: string[], env: NodeJS.ProcessEnv = {}) => parseArgs(['node', 'smart-home-tui', ...args], env);

describe('users subcommands and login flags', () => {
  it('reads users add/remove/list with the data file and the password from the environment', () => {
    expect(run(['users', 'add', 'alice', '--data', '/tmp/h.json'], { SMART_HOME_TUI_PASSWORD: 's3cret' })).toEqual({
      kind: 'users',
      action: 'add',
      username: 'alice',
      admin: false,
      dataFile: '/tmp/h.json',
      password: 's3cret',
    });
    expect(run(['--data', '/tmp/h.json', 'users', 'add', 'root.admin', '--admin'])).toEqual({
      kind: 'users',
      action: 'add',
      username: 'root.admin',
      admin: true,
      dataFile: '/tmp/h.json',
    });
    expect(run(['users', 'remove', 'bob'], { SMART_HOME_TUI_DATA: '/tmp/e.json' })).toEqual({
      kind: 'users',
      action: 'remove',
      username: 'bob',
      dataFile: '/tmp/e.json',
    });
    expect(run(['users', 'list'])).toMatchObject({ kind: 'users', action: 'list', dataFile: expect.stringMatching(/home\.json$/) });
  });

  it.each([
    [['users', 'add', 'al ice'], /"al ice" is not a valid user name/],
    [['users', 'add', 'a/b'], /not a valid user name: use 1 to 64 letters, digits/],
    [['users', 'add', 'home-devices'], /home-devices is the home's own devices' account/],
    [['users', 'add'], /missing required argument 'name'/],
    [['users', 'frob'], /unknown command 'frob'/],
    [['users', 'list', 'extra'], /too many arguments/],
    [['--auth', '--broker', 'mqtt://localhost:1884'], /--auth, --acl and --student set up the embedded broker/],
  ])('refuses %j with one sentence and exit code 2', (args, message) => {
    const parsed = run(args);
    expect(parsed).toMatchObject({ kind: 'exit', code: 2, toStderr: true });
    if (parsed.kind !== 'exit') return;
    expect(parsed.output).toMatch(message);
    expect(parsed.output.trim().split('\n')).toHaveLength(1);
  });

  it('refuses an empty SMART_HOME_TUI_PASSWORD', () => {
    const parsed = run(['users', 'add', 'alice'], { SMART_HOME_TUI_PASSWORD: '' });
    expect(parsed).toMatchObject({ kind: 'exit', code: 2 });
    if (parsed.kind === 'exit') expect(parsed.output).toMatch(/SMART_HOME_TUI_PASSWORD is empty/);
  });

  it('takes --auth, --acl and --student from flags and the environment', () => {
    expect(run([])).toMatchObject({ kind: 'run', config: { auth: false, student: false, aclFile: undefined } });
    expect(run(['--auth', '--acl', 'rules.acl', '--student'])).toMatchObject({
      kind: 'run',
      config: { auth: true, aclFile: 'rules.acl', student: true },
    });
    expect(run([], { SMART_HOME_TUI_AUTH: '1', SMART_HOME_TUI_ACL: '/etc/home.acl', SMART_HOME_TUI_STUDENT: 'yes' })).toMatchObject({
      kind: 'run',
      config: { auth: true, aclFile: '/etc/home.acl', student: true },
    });
    const help = run(['--help']);
    if (help.kind === 'exit') for (const flag of ['--auth', '--acl', '--student', 'users']) expect(help.output).toContain(flag);
  });
});

describe('the built program manages accounts', () => {
  it('adds, lists and removes accounts, keeping only scrypt hashes in the data file', async () => {
    const data = join(tempDir(), 'home.json');
    const env = (extra: NodeJS.ProcessEnv = {}) => cleanEnv({ SMART_HOME_TUI_DATA: data, ...extra });

    const added = await runBinary(['users', 'add', 'alice'], env({ SMART_HOME_TUI_PASSWORD: 'wonderland-42' }));
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toBe('Added account alice.\n');
    const admin = await runBinary(['users', 'add', 'teacher', '--admin'], env({ SMART_HOME_TUI_PASSWORD: 'chalk-and-talk' }));
    expect(admin.stdout).toBe('Added admin account teacher.\n');

    const text = readFileSync(data, 'utf8');
    expect(text).not.toContain('wonderland-42');
    expect(text).not.toContain('chalk-and-talk');
    const accounts = (JSON.parse(text) as { broker: { accounts: Array<{ username: string; hash: string; admin: boolean }> } }).broker.accounts;
    expect(accounts.map((a) => [a.username, a.admin])).toEqual([
      ['alice', false],
      ['teacher', true],
    ]);
    for (const account of accounts) expect(account.hash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[^$]+\$[^$]+$/);
    expect(await verifyPassword('wonderland-42', accounts[0]!.hash)).toBe(true);

    const list = await runBinary(['users', 'list'], env());
    expect(list).toMatchObject({ code: 0, stdout: 'alice\nteacher  admin\n' });
    expect(list.stdout).not.toContain('scrypt');

    const removed = await runBinary(['users', 'remove', 'alice'], env());
    expect(removed).toMatchObject({ code: 0, stdout: 'Removed account alice.\n' });
    expect((await runBinary(['users', 'list'], env())).stdout).toBe('teacher  admin\n');

    const unknown = await runBinary(['users', 'remove', 'alice'], env());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('smart-home-tui: There is no account named "alice".\n');
  });

  it('refuses to start with a bad ACL file, naming the line, exit code 1', async () => {
    const dir = tempDir();
    const acl = join(dir, 'home.acl');
    writeFileSync(acl, '# rules\nuser alice\ntopic read /iot/user/alice/#\npattern readwrite a/#/b\n');
    const result = await runBinary(['--headless', '--auth', '--acl', acl, '--port', '0', '--data', join(dir, 'home.json')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `smart-home-tui: The ACL file ${acl} line 4: "a/#/b" is not a topic filter (# may only stand alone as the last level).\n`,
    );
  });

  it('without a terminal and without SMART_HOME_TUI_PASSWORD says how to give the password, exit 2', async () => {
    const data = join(tempDir(), 'home.json');
    const result = await runBinary(['users', 'add', 'alice', '--data', data]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'smart-home-tui: there is no terminal to ask for the password on; set SMART_HOME_TUI_PASSWORD to it instead.\n',
    );
  });
});

describe('the password prompt', () => {
  /** A terminal-like stdin fed by the test, and stderr collected so the test can answer each question. */
  function terminal() {
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    const stdout = new PassThrough();
    let shown = '';
    const stderr = new PassThrough();
    stderr.on('data', (chunk: Buffer) => (shown += chunk.toString()));
    const answer = async (question: string, line: string) => {
      await expect.poll(() => shown.includes(question), { timeout: 5_000 }).toBe(true);
      stdin.write(`${line}\r`);
    };
    return { io: { stdin, stdout, stderr }, answer, shown: () => shown, out: () => stdout.read()?.toString() ?? '' };
  }

  it('asks twice without echoing and saves only the hash', async () => {
    const data = join(tempDir(), 'home.json');
    const tty = terminal();
    const done = runUsersCommand({ kind: 'users', action: 'add', username: 'bob', admin: false, dataFile: data }, tty.io);
    await tty.answer('Password for bob: ', 'hidden-typing');
    await tty.answer('Type it again: ', 'hidden-typing');
    expect(await done).toBe(0);
    expect(tty.shown()).not.toContain('hidden-typing');
    expect(tty.out()).toBe('Added account bob.\n');
    const saved = readFileSync(data, 'utf8');
    expect(saved).not.toContain('hidden-typing');
    const [account] = (JSON.parse(saved) as { broker: { accounts: Array<{ hash: string }> } }).broker.accounts;
    expect(await verifyPassword('hidden-typing', account!.hash)).toBe(true);
  });

  it('changes nothing when the two passwords differ', async () => {
    const data = join(tempDir(), 'home.json');
    const tty = terminal();
    const done = runUsersCommand({ kind: 'users', action: 'add', username: 'bob', admin: false, dataFile: data }, tty.io);
    await tty.answer('Password for bob: ', 'one');
    await tty.answer('Type it again: ', 'two');
    expect(await done).toBe(1);
    expect(tty.shown()).toContain('smart-home-tui: the two passwords differ; nothing was changed.\n');
    expect(existsSync(data)).toBe(false);
  });
});
