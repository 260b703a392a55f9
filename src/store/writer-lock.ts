import * as fs from 'node:fs';
import { readFile, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import lockfile from 'proper-lockfile';

/** The lock is a directory next to the data file; it holds one file with the owner's pid. */
export function lockPathOf(file: string): string {
  return `${file}.lock`;
}

const PID_FILE = 'pid';

/**
 * proper-lockfile takes the lock with mkdir and drops it with rmdir through this fs.
 * Writing the pid inside mkdir (before it probes the mtime) keeps the pid part of the
 * lock itself, and rmdir removes it first so the directory can go.
 */
const pidRecordingFs = {
  ...fs,
  mkdir(dir: string, callback: (err: NodeJS.ErrnoException | null) => void): void {
    fs.mkdir(dir, (mkdirErr) => {
      if (mkdirErr) return callback(mkdirErr);
      fs.writeFile(path.join(dir, PID_FILE), `${process.pid}\n`, (writeErr) => {
        if (!writeErr) return callback(null);
        fs.rm(dir, { recursive: true, force: true }, () => callback(writeErr));
      });
    });
  },
  rmdir(dir: string, callback: (err: NodeJS.ErrnoException | null) => void): void {
    fs.rm(path.join(dir, PID_FILE), { force: true }, () => fs.rmdir(dir, callback));
  },
  rmdirSync(dir: string): void {
    fs.rmSync(path.join(dir, PID_FILE), { force: true });
    fs.rmdirSync(dir);
  },
};

/** Another live process holds the lock; `pid` is unknown only while it is still being taken. */
export class LockHeld extends Error {
  constructor(readonly pid: number | undefined) {
    super(pid === undefined ? 'the lock is held' : `the lock is held by pid ${pid}`);
  }
}

export type ReleaseLock = () => Promise<void>;

/**
 * Takes the one-writer lock on `file`. A lock left by a process that no longer runs
 * (killed before it could clean up) is taken over at once instead of after the stale timeout,
 * so a crash-restart loop never waits.
 */
export async function takeWriterLock(
  file: string,
  onCompromised: (err: Error) => void,
): Promise<ReleaseLock> {
  const lockPath = lockPathOf(file);
  const attempts = 5;
  for (let attempt = 1; ; attempt++) {
    try {
      const release = await lockfile.lock(file, {
        lockfilePath: lockPath,
        // The data file may not exist yet, so its path cannot be resolved through realpath.
        realpath: false,
        fs: pidRecordingFs,
        onCompromised,
      });
      return async () => {
        // A compromised lock is already released; there is nothing left to remove.
        await release().catch(() => undefined);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
      const holder = await readHolder(lockPath);
      if (attempt < attempts && holder !== undefined && !isRunning(holder)) {
        await removeDeadLock(lockPath, holder);
        continue;
      }
      // No pid yet: the holder is between mkdir and writing it, so look again shortly.
      if (attempt < attempts && holder === undefined) {
        await delay(20);
        continue;
      }
      throw new LockHeld(holder);
    }
  }
}

async function readHolder(lockPath: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(path.join(lockPath, PID_FILE), 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function removeDeadLock(lockPath: string, deadPid: number): Promise<void> {
  // Someone else may have taken the lock over a moment ago; leave theirs alone.
  if ((await readHolder(lockPath)) !== deadPid) return;
  await rm(path.join(lockPath, PID_FILE), { force: true });
  await rmdir(lockPath).catch(() => undefined);
}
