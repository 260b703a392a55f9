import path from 'node:path';

export type StoreErrorCode =
  | 'corrupt'
  | 'schema'
  | 'newer-version'
  | 'locked'
  | 'unreadable'
  | 'not-a-file'
  | 'permission'
  | 'unwritable';

/** A problem with the data file that a person can fix; `message` is one sentence meant for them. */
export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    readonly code: StoreErrorCode,
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

/** The end of every refusal that --reset-data can get past. */
export function resetHint(file: string): string {
  return `run with --reset-data to move it aside to ${path.basename(file)}.bak-<time> and start fresh`;
}

export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
}

export function isPermissionDenied(err: unknown): boolean {
  const code = errnoCode(err);
  return code === 'EACCES' || code === 'EPERM';
}
