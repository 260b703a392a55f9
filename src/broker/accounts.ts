import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { HomeData, HomeStore } from '../store/index.js';
import { PLAYGROUND_ACCOUNTS } from '../wire/accounts.js';

export { PLAYGROUND_ACCOUNTS };

/** A broker login as the store keeps it: the password only as a scrypt hash. */
export type Account = HomeData['broker']['accounts'][number];

/** The account the home's own devices log in with when the broker requires a login. */
export const SERVICE_ACCOUNT = 'home-devices';

/** The classroom account `--student` adds for one run. */
export const STUDENT_ACCOUNT = { username: 'student', password: 'student' } as const;

/** A mistake with an account a person asked for (bad name, unknown name); `message` is one sentence. */
export class AccountError extends Error {
  override readonly name = 'AccountError';
}

const SCRYPT = { N: 16_384, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const MAX_MEMORY = 256 * 1024 * 1024;

function derive(password: string, salt: Buffer, bytes: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, bytes, { ...opts, maxmem: MAX_MEMORY }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$key` with salt and key in base64: everything needed to check the password later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

interface ParsedHash {
  opts: { N: number; r: number; p: number };
  salt: Buffer;
  key: Buffer;
}

/** The parts of a stored hash, or undefined when it is not one this program can check. */
function parseHash(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map((part) => (/^\d+$/.test(part) ? Number(part) : NaN)) as [number, number, number];
  // Bounds keep a hand-edited file from making every login take minutes.
  const powerOfTwo = N >= 2 && N <= 1 << 20 && (N & (N - 1)) === 0;
  if (!powerOfTwo || !(r >= 1 && r <= 32) || !(p >= 1 && p <= 16)) return undefined;
  const salt = Buffer.from(parts[4]!, 'base64');
  const key = Buffer.from(parts[5]!, 'base64');
  if (salt.length === 0 || key.length < 16 || key.length > 128) return undefined;
  return { opts: { N, r, p }, salt, key };
}

let dummyHash: Promise<string> | undefined;

/**
 * Whether `password` is the one `stored` was made from, compared in constant time.
 * With no stored hash it does the same work and says no, so timing does not reveal unknown names.
 */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const parsed = stored === undefined ? undefined : parseHash(stored);
  if (!parsed) {
    dummyHash ??= hashPassword('no account has this password');
    const dummy = parseHash(await dummyHash)!;
    await derive(password, dummy.salt, dummy.key.length, dummy.opts);
    return false;
  }
  const key = await derive(password, parsed.salt, parsed.key.length, parsed.opts);
  return timingSafeEqual(key, parsed.key);
}

const USERNAME = /^[A-Za-z0-9_.-]{1,64}$/;

/** Why `name` cannot be a user name, or undefined when it can. */
export function usernameProblem(name: string): string | undefined {
  if (name === '') return 'A user name cannot be empty.';
  if (!USERNAME.test(name)) {
    return `"${name}" is not a valid user name: use 1 to 64 letters, digits, "_", "-" or ".".`;
  }
  return undefined;
}

/** The accounts with `account` added, or replacing the one with the same name. Pure. */
export function addAccount(accounts: readonly Account[], account: Account): { accounts: Account[]; replaced: boolean } {
  const problem = usernameProblem(account.username);
  if (problem) throw new AccountError(problem);
  const at = accounts.findIndex((a) => a.username === account.username);
  if (at === -1) return { accounts: [...accounts, account], replaced: false };
  const next = [...accounts];
  next[at] = account;
  return { accounts: next, replaced: true };
}

/** The accounts without `username`; an AccountError when there is no such account. Pure. */
export function removeAccount(accounts: readonly Account[], username: string): Account[] {
  const next = accounts.filter((a) => a.username !== username);
  if (next.length === accounts.length) throw new AccountError(`There is no account named "${username}".`);
  return next;
}

/** Names and admin flags, sorted by name; never the hashes. Pure. */
export function listAccounts(accounts: readonly Account[]): Array<{ username: string; admin: boolean }> {
  return accounts
    .map(({ username, admin }) => ({ username, admin }))
    .sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
}

/**
 * Gives the home's own devices a fresh login for this run: the `home-devices` account (admin)
 * gets a new random password, stored only as a hash. The password itself stays in memory.
 */
export async function ensureServiceAccount(store: HomeStore): Promise<{ username: string; password: string }> {
  const password = randomBytes(24).toString('base64url');
  const account: Account = { username: SERVICE_ACCOUNT, hash: await hashPassword(password), admin: true };
  store.update((data) => {
    data.broker.accounts = addAccount(data.broker.accounts, account).accounts;
  });
  return { username: SERVICE_ACCOUNT, password };
}
