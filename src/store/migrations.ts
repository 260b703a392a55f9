/** Raw data as read from the file, before it is checked against the schema. */
export type RawHome = Record<string, unknown>;

/** Turns data of version N into data of version N + 1 (the version field is set afterwards). */
export type Migration = (data: RawHome) => RawHome;

/**
 * One entry per old version: `migrations[N]` upgrades version N to N + 1.
 * Empty while version 1 is the only one there has been.
 */
export const migrations: Readonly<Record<number, Migration>> = {};

/** Why a file's data could not be brought up to the current version. */
export class MigrationGap extends Error {
  constructor(readonly fromVersion: number) {
    super(`no upgrade is known from data version ${fromVersion}`);
  }
}

/** Applies the migrations from `data.version` up to `targetVersion`, one step at a time. */
export function migrate(
  data: RawHome,
  fromVersion: number,
  targetVersion: number,
  steps: Readonly<Record<number, Migration>> = migrations,
): RawHome {
  let current = data;
  for (let version = fromVersion; version < targetVersion; version++) {
    const step = steps[version];
    if (!step) throw new MigrationGap(version);
    current = { ...step(current), version: version + 1 };
  }
  return current;
}
