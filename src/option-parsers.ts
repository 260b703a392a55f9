/** How a flag's value becomes a setting: each parser throws the one sentence a wrong value gets. */
import { InvalidArgumentError } from 'commander';

/** A mistake in how the program was started: one sentence for stderr, exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
}

export function parsePort(flag: string, allowZero: boolean) {
  return (value: string): number => {
    const port = Number(value);
    if (!/^\d+$/.test(value.trim()) || port > 65535 || (!allowZero && port === 0)) {
      throw new InvalidArgumentError(`${flag} must be a port number between ${allowZero ? 0 : 1} and 65535, not "${value}".`);
    }
    return port;
  };
}

export function parseBrokerUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`--broker must be a URL such as mqtt://localhost:1883, not "${value}".`);
  }
  if (!['mqtt:', 'tcp:', 'ws:', 'wss:', 'mqtts:'].includes(url.protocol)) {
    throw new InvalidArgumentError(`--broker must start with mqtt://, mqtts://, ws:// or wss://, not "${url.protocol}//".`);
  }
  return value;
}

export function parseHost(value: string): string {
  if (value.trim() === '' || /\s/.test(value)) {
    throw new InvalidArgumentError(`--host must be an address such as 127.0.0.1, not "${value}".`);
  }
  return value;
}

/** A whole number in [min, max]; `unit` names what it counts in the sentence. */
export function parseWhole(flag: string, min: number, max: number, unit: string) {
  return (value: string): number => {
    const n = Number(value.trim());
    if (!/^\d+$/.test(value.trim()) || n < min || n > max) {
      throw new InvalidArgumentError(`${flag} must be a whole number of ${unit} from ${min} to ${max}, not "${value}".`);
    }
    return n;
  };
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2 };

/** Bytes, with an optional KiB/MiB unit ("4MiB", "512k", "65536"). */
export function parseSize(flag: string, min: number, max: number) {
  return (value: string): number => {
    const match = /^\s*(\d+)\s*([a-z]*)\s*$/i.exec(value);
    const unit = SIZE_UNITS[match?.[2]?.toLowerCase() ?? 'none'];
    const bytes = match && unit !== undefined ? Number(match[1]) * unit : NaN;
    if (!(bytes >= min && bytes <= max)) {
      throw new InvalidArgumentError(`${flag} must be a size from ${min} bytes to 256 MiB, such as 65536, 512KiB or 4MiB, not "${value}".`);
    }
    return bytes;
  };
}

/** Milliseconds, or seconds with an "s" ("500", "500ms", "5s"). */
export function parseMilliseconds(flag: string, max: number) {
  return (value: string): number => {
    const match = /^\s*(\d+)\s*(ms|s)?\s*$/i.exec(value);
    const ms = match ? Number(match[1]) * (match[2]?.toLowerCase() === 's' ? 1000 : 1) : NaN;
    if (!(ms >= 0 && ms <= max)) {
      throw new InvalidArgumentError(`${flag} must be a time such as 5000 (milliseconds) or 5s, 0 for never, not "${value}".`);
    }
    return ms;
  };
}

const TRUE_WORDS = new Set(['1', 'true', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'false', 'no', 'off', '']);

/** Boolean flags also come from the environment; "0"/"false" must mean off. */
export function envBoolean(name: string, env: NodeJS.ProcessEnv): boolean | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new UsageError(`${name} must be 1 or 0 (or true/false), not "${raw}".`);
}

