/** A payload as people read it: pretty-printed JSON, text, or hex; what changed since the one before; its numbers over time. */
import type { TopicMessage } from '../../../wire/index.js';
import { span } from '../../clock.js';
import { printable } from '../../printable.js';

export type PayloadKind = 'empty' | 'json' | 'text' | 'binary';

const strict = new TextDecoder('utf-8', { fatal: true });
// Text may hold tabs and line breaks; any other control character makes it binary.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function textOf(payload: Uint8Array): string | undefined {
  try {
    const text = strict.decode(payload);
    return CONTROL.test(text) ? undefined : text;
  } catch {
    return undefined;
  }
}

export function jsonOf(payload: Uint8Array): unknown {
  const text = textOf(payload);
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (!(trimmed.startsWith('{') || trimmed.startsWith('['))) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}

export function kindOf(payload: Uint8Array): PayloadKind {
  if (payload.length === 0) return 'empty';
  if (jsonOf(payload) !== undefined) return 'json';
  return textOf(payload) === undefined ? 'binary' : 'text';
}

/** The payload as lines of at most `width` columns. */
export function payloadLines(payload: Uint8Array, width: number): string[] {
  const kind = kindOf(payload);
  if (kind === 'empty') return ['(empty payload)'];
  if (kind === 'binary') return hexLines(payload, width);
  const text = kind === 'json' ? JSON.stringify(jsonOf(payload), null, 2) : textOf(payload)!;
  return text.split(/\r?\n/).flatMap((line) => wrap(printable(line.replace(/\t/g, '  ')), width));
}

function wrap(line: string, width: number): string[] {
  const chars = Array.from(line);
  if (chars.length <= width || width <= 0) return [line];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += width) out.push(chars.slice(i, i + width).join(''));
  return out;
}

/** "0000  7b 22 61 22  {"a"": offset, bytes and their printable characters. */
export function hexLines(payload: Uint8Array, width: number): string[] {
  const perLine = width >= 6 + 16 * 4 ? 16 : width >= 6 + 8 * 4 ? 8 : 4;
  const lines: string[] = [];
  for (let at = 0; at < payload.length; at += perLine) {
    const chunk = payload.subarray(at, at + perLine);
    const hex = Array.from(chunk, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const chars = Array.from(chunk, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${at.toString(16).padStart(4, '0')}  ${hex.padEnd(perLine * 3 - 1)}  ${chars}`);
  }
  return lines;
}

/** Every number in a JSON value by its path ("value", "room.temp", "list.0"). */
function leaves(value: unknown, path: string, out: Map<string, unknown>): Map<string, unknown> {
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) leaves(inner, path === '' ? key : `${path}.${key}`, out);
  } else out.set(path, value);
  return out;
}

/** What changed from the payload before to this one, in a few lines. */
export function diffLines(previous: Uint8Array | undefined, current: Uint8Array): string[] {
  if (previous === undefined) return ['first message seen'];
  if (Buffer.compare(Buffer.from(previous), Buffer.from(current)) === 0) return ['same as the one before'];
  const before = jsonOf(previous);
  const after = jsonOf(current);
  if (before !== undefined && after !== undefined) {
    const a = leaves(before, '', new Map());
    const b = leaves(after, '', new Map());
    const lines: string[] = [];
    for (const [key, value] of b) {
      if (!a.has(key)) lines.push(`+ ${key}: ${show(value)}`);
      else if (a.get(key) !== value) lines.push(`~ ${key}: ${show(a.get(key))} → ${show(value)}`);
    }
    for (const [key, value] of a) if (!b.has(key)) lines.push(`- ${key}: ${show(value)}`);
    return lines;
  }
  const was = textOf(previous);
  return [`was: ${was === undefined ? `${previous.length} bytes of binary` : printable(was)}`];
}

function show(value: unknown): string {
  return printable(JSON.stringify(value) ?? String(value));
}

/** The numbers a payload offers for a graph: '' for a bare number, else the paths of a JSON payload's numeric fields. */
export function numericFields(payload: Uint8Array | undefined): string[] {
  if (payload === undefined) return [];
  const text = textOf(payload)?.trim();
  if (text !== undefined && text !== '' && Number.isFinite(Number(text))) return [''];
  const json = jsonOf(payload);
  if (json === undefined) return [];
  const numeric = [...leaves(json, '', new Map())]
    .filter(([, value]) => typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))))
    .map(([key]) => key);
  // A clock in the payload makes a dull graph: the measured values come first.
  const clock = (key: string) => /time|stamp|(^|\.)ts$/i.test(key);
  return [...numeric.filter((key) => !clock(key)), ...numeric.filter(clock)];
}

/** The field's value in each message that has it, oldest first. */
export function seriesOf(history: readonly TopicMessage[], field: string): number[] {
  const values: number[] = [];
  for (const message of history) {
    const value = field === '' ? Number(textOf(message.payload)?.trim() ?? NaN) : Number(leaves(jsonOf(message.payload), '', new Map()).get(field) ?? NaN);
    if (Number.isFinite(value)) values.push(value);
  }
  return values;
}

/** "3 s ago", "4 min ago", "2 h ago". */
export function ago(ms: number): string {
  return `${span(ms)} ago`;
}

/** "812 B", "4.0 KiB". */
export function bytes(n: number): string {
  return n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
