import type { Stats } from 'node:fs';
import { mkdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import { migrate, MigrationGap, migrations as shippedMigrations, type Migration, type RawHome } from './migrations.js';
import { HomeFile } from './home-file.js';
import { CURRENT_VERSION, emptyHome, homeSchema, type HomeData } from './schema.js';
import { errnoCode, isPermissionDenied, resetHint, StoreError } from './store-error.js';
import { LockHeld, takeWriterLock, type ReleaseLock } from './writer-lock.js';
import { writeWait } from './write-wait.js';

export { StoreError, type StoreErrorCode } from './store-error.js';

export { defaultDataFile } from './data-file.js';

export interface OpenStoreOptions {
  file: string;
  /** Move an existing file (valid or not) aside to `<file>.bak-<time>` and start fresh. */
  reset?: boolean;
  /** Changes made within this many milliseconds are saved in one write. Default 100. */
  coalesceMs?: number;
  /** Replaces the shipped migrations, so upgrades from versions that never shipped can be tried. */
  migrations?: Readonly<Record<number, Migration>>;
  /** Told when a background write fails; the changes stay pending and are saved with the next write. */
  onWriteError?: (error: StoreError) => void;
  /** A file that does not exist yet is written at the first chance, even if nothing changes. */
  createFile?: boolean;
}

const DEFAULT_COALESCE_MS = 100;

/** Opens (or starts) the data file and holds it as its only writer until close(). */
export async function openStore(opts: OpenStoreOptions): Promise<HomeStore> {
  const file = path.resolve(opts.file);
  await makeFolder(file);

  let release: ReleaseLock;
  try {
    release = await takeWriterLock(file, () => {
      // Reported, not thrown: losing the lock (e.g. after the machine slept) must not stop the home.
      opts.onWriteError?.(
        new StoreError('locked', file, `Lost the lock on ${file}; another program may change it while this one runs.`),
      );
    });
  } catch (err) {
    throw lockRefusal(file, err);
  }

  try {
    const movedAside = opts.reset ? await moveAside(file) : undefined;
    const { low, homeFile, migrated, existed } = await load(file, opts.migrations ?? shippedMigrations);
    return new HomeStore({
      file,
      movedAside,
      low,
      homeFile,
      release,
      coalesceMs: opts.coalesceMs ?? DEFAULT_COALESCE_MS,
      // An upgraded file is saved in the new format even if nothing else changes.
      pending: migrated || (opts.createFile === true && !existed),
      onWriteError: opts.onWriteError,
    });
  } catch (err) {
    await release();
    throw err;
  }
}

interface HomeStoreParts {
  file: string;
  movedAside: string | undefined;
  low: Low<HomeData>;
  homeFile: HomeFile;
  release: ReleaseLock;
  coalesceMs: number;
  pending: boolean;
  onWriteError: ((error: StoreError) => void) | undefined;
}

/** The home's data in memory, saved to its file shortly after each change. Made by openStore(). */
export class HomeStore {
  readonly file: string;
  readonly movedAside?: string;
  readonly #low: Low<HomeData>;
  readonly #homeFile: HomeFile;
  readonly #release: ReleaseLock;
  readonly #coalesceMs: number;
  readonly #onWriteError: ((error: StoreError) => void) | undefined;
  #pending: boolean;
  /** When the oldest change not yet in the file was made. */
  #unsavedSince: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> | undefined;
  #writeCount = 0;
  #closing: Promise<void> | undefined;

  /** @internal Use openStore(). */
  constructor(parts: HomeStoreParts) {
    this.file = parts.file;
    if (parts.movedAside !== undefined) this.movedAside = parts.movedAside;
    this.#low = parts.low;
    this.#homeFile = parts.homeFile;
    this.#release = parts.release;
    this.#coalesceMs = parts.coalesceMs;
    this.#pending = parts.pending;
    if (parts.pending) this.#unsavedSince = Date.now();
    this.#onWriteError = parts.onWriteError;
  }

  get data(): Readonly<HomeData> {
    return this.#low.data;
  }

  /** Completed file writes since open. */
  get writeCount(): number {
    return this.#writeCount;
  }

  /** When the oldest change that is not yet in the file was made (ms since the epoch), or undefined. */
  get unsavedSince(): number | undefined {
    return this.#unsavedSince;
  }

  /** Changes the data now; the file follows within coalesceMs (longer for a slow write), together with other changes. */
  update(mutate: (data: HomeData) => void): void {
    if (this.#closing) throw new Error(`The store for ${this.file} is closed; the change was not made.`);
    try {
      mutate(this.#low.data);
    } finally {
      // Even a mutation that threw part-way may have changed something worth keeping.
      this.#pending = true;
      this.#unsavedSince ??= Date.now();
      this.#schedule();
    }
  }

  /** Writes now if anything is pending; resolves when every change made so far is in the file. */
  async flush(): Promise<void> {
    this.#cancelTimer();
    while (this.#writing || this.#pending) {
      if (this.#writing) {
        // Its failure leaves the changes pending, so this loop writes them again.
        await this.#writing.catch(() => undefined);
      } else {
        await this.#write();
      }
    }
    this.#cancelTimer();
  }

  /** Saves what is pending, stops the timer and lets go of the file. Safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      try {
        await this.flush();
      } finally {
        this.#cancelTimer();
        await this.#release();
      }
    })();
    return this.#closing;
  }

  #schedule(): void {
    // A write in progress schedules the next one itself when it ends.
    if (this.#timer || this.#writing) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (!this.#pending || this.#writing) return;
      this.#write().catch((err: StoreError) => this.#onWriteError?.(err));
    }, writeWait(this.#homeFile.lastTextMs, this.#coalesceMs));
  }

  #cancelTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** One write of the current data; only called when no other write is running. */
  #write(): Promise<void> {
    this.#pending = false;
    const startedAt = Date.now();
    const writing = (async () => {
      let saved = false;
      try {
        await this.#low.write();
        this.#writeCount++;
        saved = true;
        // Changes made while this write ran are not in the file; their time stays.
        if (!this.#pending) this.#unsavedSince = undefined;
        else if (this.#unsavedSince !== undefined && this.#unsavedSince < startedAt) this.#unsavedSince = startedAt;
      } catch (err) {
        this.#pending = true;
        throw writeRefusal(this.file, err);
      } finally {
        this.#writing = undefined;
        // Changes made during this write get one more write; after a failure, the next change retries.
        if (saved && this.#pending && !this.#closing) this.#schedule();
      }
    })();
    this.#writing = writing;
    return writing;
  }
}

async function makeFolder(file: string): Promise<void> {
  const folder = path.dirname(file);
  try {
    await mkdir(folder, { recursive: true });
  } catch (err) {
    if (isPermissionDenied(err)) {
      throw new StoreError(
        'permission',
        file,
        `The folder ${folder} for ${file} cannot be created (permission denied); use --data FILE to keep the data elsewhere.`,
      );
    }
    throw new StoreError(
      'not-a-file',
      file,
      `The folder ${folder} for ${file} cannot be created (${describeErrno(err)}); use --data FILE to keep the data elsewhere.`,
    );
  }
}

function lockRefusal(file: string, err: unknown): StoreError {
  if (err instanceof LockHeld) {
    const holder = err.pid === undefined ? '' : ` (pid ${err.pid})`;
    return new StoreError(
      'locked',
      file,
      `${file} is in use by another smart-home-tui${holder}; stop it or use --data FILE.`,
    );
  }
  if (isPermissionDenied(err)) {
    return new StoreError(
      'permission',
      file,
      `${file} cannot be used because its folder is not writable (permission denied); fix the folder's permissions or use --data FILE.`,
    );
  }
  return new StoreError(
    'unreadable',
    file,
    `${file} cannot be locked for writing (${describeErrno(err)}); use --data FILE to keep the data elsewhere.`,
  );
}

/** Renames the data file to `<file>.bak-<time>`; returns that name, or undefined if nothing was there. */
async function moveAside(file: string): Promise<string | undefined> {
  const info = await statOrUndefined(file);
  if (!info) return undefined;
  // A directory given as --data is someone's folder, not a broken data file: it is never moved.
  if (!info.isFile()) throw notAFile(file, info);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  let target = `${file}.bak-${stamp}`;
  for (let n = 1; await statOrUndefined(target); n++) target = `${file}.bak-${stamp}-${n}`;
  try {
    await rename(file, target);
  } catch (err) {
    throw new StoreError(
      isPermissionDenied(err) ? 'permission' : 'unreadable',
      file,
      `${file} cannot be moved aside (${describeErrno(err)}); move or delete it yourself, or use --data FILE.`,
    );
  }
  return target;
}

function notAFile(file: string, info: Stats): StoreError {
  const what = info.isDirectory() ? 'a directory' : 'not a regular file';
  return new StoreError('not-a-file', file, `${file} is ${what}, not a data file, and is left as it is; use --data FILE to name a file.`);
}

async function statOrUndefined(file: string): Promise<Stats | undefined> {
  try {
    return await stat(file);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return undefined;
    throw readRefusal(file, err);
  }
}

async function load(
  file: string,
  steps: Readonly<Record<number, Migration>>,
): Promise<{ low: Low<HomeData>; homeFile: HomeFile; migrated: boolean; existed: boolean }> {
  const info = await statOrUndefined(file);
  if (info && !info.isFile()) throw notAFile(file, info);

  let migrated = false;
  const adapter = new HomeFile(file, (text) => {
    const decoded = decodeHome(file, text, steps);
    migrated = decoded.migrated;
    return decoded.home;
  });
  const low = new Low<HomeData>(adapter, emptyHome());
  try {
    await low.read();
  } catch (err) {
    throw err instanceof StoreError ? err : readRefusal(file, err);
  }
  return { low, homeFile: adapter, migrated, existed: info !== undefined };
}

/** Text of the file -> the home, upgraded to the current version and checked against the schema. */
function decodeHome(
  file: string,
  text: string,
  steps: Readonly<Record<number, Migration>>,
): { home: HomeData; migrated: boolean } {
  if (text.trim() === '') throw new StoreError('corrupt', file, `${file} is empty; ${resetHint(file)}.`);

  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new StoreError('corrupt', file, `${file} is not valid JSON; ${resetHint(file)}.`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new StoreError('schema', file, `${file} does not hold a home (expected a JSON object); ${resetHint(file)}.`);
  }

  const version = (raw as RawHome).version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new StoreError('schema', file, `${file} has no valid data version; ${resetHint(file)}.`);
  }
  if (version > CURRENT_VERSION) {
    throw new StoreError(
      'newer-version',
      file,
      `${file} was written by a newer smart-home-tui (data version ${version}, this one reads up to ${CURRENT_VERSION}); update smart-home-tui, or ${resetHint(file)}.`,
    );
  }

  let upgraded: RawHome;
  try {
    upgraded = migrate(raw as RawHome, version, CURRENT_VERSION, steps);
  } catch (err) {
    const why = err instanceof MigrationGap ? `data version ${err.fromVersion} cannot be upgraded` : 'upgrading it failed';
    throw new StoreError('schema', file, `${file} is from an older smart-home-tui and its ${why}; ${resetHint(file)}.`);
  }

  const checked = homeSchema.safeParse(upgraded);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'the top level';
    throw new StoreError(
      'schema',
      file,
      `${file} does not match the smart-home-tui data format at ${where} (${issue?.message ?? 'invalid'}); ${resetHint(file)}.`,
    );
  }
  return { home: checked.data, migrated: version !== CURRENT_VERSION };
}

function readRefusal(file: string, err: unknown): StoreError {
  if (isPermissionDenied(err)) {
    return new StoreError(
      'permission',
      file,
      `${file} cannot be read (permission denied); fix its permissions, or ${resetHint(file)}.`,
    );
  }
  if (errnoCode(err) === 'ENOTDIR') {
    return new StoreError('not-a-file', file, `${file} cannot be reached because part of its path is a file; use --data FILE.`);
  }
  return new StoreError('unreadable', file, `${file} cannot be read (${describeErrno(err)}); ${resetHint(file)}.`);
}

function writeRefusal(file: string, err: unknown): StoreError {
  return new StoreError(
    isPermissionDenied(err) ? 'permission' : 'unwritable',
    file,
    `${file} could not be saved (${describeErrno(err)}); the changes are kept and saved with the next write.`,
  );
}

function describeErrno(err: unknown): string {
  const code = errnoCode(err);
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOSPC') return 'the disk is full';
  if (code === 'EROFS') return 'the disk is read-only';
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'part of the path is a file';
  if (code) return code;
  return err instanceof Error ? err.message : String(err);
}
