import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AccountError,
  addAccount,
  ensureServiceAccount,
  hashPassword,
  listAccounts,
  removeAccount,
  verifyPassword,
  type Account,
} from '../src/broker/accounts.js';
import { openStore, type HomeStore } from '../src/store/index.js';
import { tempDir } from './fixtures/binary.js';

describe('password hashes', () => {
  it('are self-describing scrypt strings that verify only the right password', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsE', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('are salted: the same password hashes differently each time', async () => {
    const [a, b] = await Promise.all([hashPassword('same'), hashPassword('same')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same', a)).toBe(true);
    expect(await verifyPassword('same', b)).toBe(true);
  });

  it('refuse everything for a missing or malformed hash', async () => {
    expect(await verifyPassword('x', undefined)).toBe(false);
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$3$8$1$c2FsdA==$a2V5a2V5a2V5a2V5a2V5')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$1073741824$8$1$c2FsdA==$a2V5a2V5a2V5a2V5a2V5')).toBe(false);
  });
});

describe('account lists', () => {
  const alice: Account = { username: 'alice', hash: 'h1', admin: false };
  const bob: Account = { username: 'bob', hash: 'h2', admin: true };

  it('add, replace, remove and list without touching the input', () => {
    const start: Account[] = [bob];
    const added = addAccount(start, alice);
    expect(added).toEqual({ accounts: [bob, alice], replaced: false });
    expect(start).toEqual([bob]);
    const changed = addAccount(added.accounts, { ...alice, hash: 'h3', admin: true });
    expect(changed.replaced).toBe(true);
    expect(changed.accounts).toEqual([bob, { username: 'alice', hash: 'h3', admin: true }]);
    expect(listAccounts(changed.accounts)).toEqual([
      { username: 'alice', admin: true },
      { username: 'bob', admin: true },
    ]);
    expect(removeAccount(changed.accounts, 'bob')).toEqual([{ username: 'alice', hash: 'h3', admin: true }]);
  });

  it('refuse a bad user name and an unknown account with a sentence', () => {
    expect(() => addAccount([], { username: 'al ice', hash: 'h', admin: false })).toThrow(AccountError);
    expect(() => addAccount([], { username: 'a/b', hash: 'h', admin: false })).toThrow(/not a valid user name/);
    expect(() => removeAccount([alice], 'carol')).toThrow('There is no account named "carol".');
  });
});

describe('the devices account', () => {
  let store: HomeStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('gets a fresh password at each start, kept in the file only as a hash', async () => {
    const file = join(tempDir(), 'home.json');
    store = await openStore({ file });
    const first = await ensureServiceAccount(store);
    const second = await ensureServiceAccount(store);
    expect(first.username).toBe('home-devices');
    expect(second.password).not.toBe(first.password);
    const accounts = store.data.broker.accounts.filter((a) => a.username === 'home-devices');
    expect(accounts).toHaveLength(1);
    expect(accounts[0]!.admin).toBe(true);
    expect(await verifyPassword(second.password, accounts[0]!.hash)).toBe(true);
    expect(await verifyPassword(first.password, accounts[0]!.hash)).toBe(false);
    await store.close();
    const saved = readFileSync(file, 'utf8');
    expect(saved).toContain('"home-devices"');
    expect(saved).not.toContain(second.password);
  });
});
