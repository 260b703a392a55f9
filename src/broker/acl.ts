import { readFile } from 'node:fs/promises';

/** What a rule lets a client do; 'deny' refuses both directions. */
export type AclAccess = 'read' | 'write' | 'readwrite' | 'deny';

/**
 * One line of a mosquitto-style ACL file, as plain data (it crosses into the broker thread).
 * `topic` lines belong to the `user` block they sit in (none = clients without a user name);
 * `pattern` lines apply to everyone, with %u and %c replaced by the user name and client id.
 */
export interface AclRule {
  kind: 'topic' | 'pattern';
  access: AclAccess;
  filter: string;
  /** For topic lines: the user block they are in; undefined = before any `user` line. */
  user?: string;
  /** 1-based line number in the file. */
  line: number;
}

/** A line of an ACL file that cannot be read; `message` names the file and the line. */
export class AclError extends Error {
  override readonly name = 'AclError';
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

const ACCESS_WORDS = new Set<AclAccess>(['read', 'write', 'readwrite', 'deny']);

/** Why `filter` is not a valid MQTT topic filter, or undefined when it is. */
export function filterProblem(filter: string): string | undefined {
  if (filter === '') return 'the topic is empty';
  if (filter.includes('\u0000')) return 'the topic contains a NUL character';
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i]!;
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) {
      return '# may only stand alone as the last level';
    }
    if (level.includes('+') && level !== '+') return '+ must stand alone as a whole level';
  }
  return undefined;
}

/** Whether the concrete `topic` is one of the topics `filter` matches (MQTT 3.1.1 section 4.7). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  // Wildcards at the first level never match topics starting with $ (MQTT-4.7.2-1).
  if (topic.startsWith('$') && (f[0] === '#' || f[0] === '+')) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** Whether every topic `filter` can match is also matched by `grant`: the test for wildcard subscriptions. */
export function filterCovers(grant: string, filter: string): boolean {
  const g = grant.split('/');
  const f = filter.split('/');
  const dollar = filter.startsWith('$');
  for (let i = 0; ; i++) {
    const gl = g[i];
    const fl = f[i];
    if (gl === '#') return !(i === 0 && dollar);
    // The filter ended: it matches exactly this many levels, and so must the grant.
    if (fl === undefined) return gl === undefined;
    if (gl === undefined) return false;
    if (fl === '#') return false;
    if (fl === '+') {
      if (gl !== '+') return false;
    } else if (gl === '+') {
      if (i === 0 && dollar) return false;
    } else if (gl !== fl) {
      return false;
    }
  }
}

/** Reads an ACL file (mosquitto's acl_file syntax); a bad line is an AclError naming its number. */
export function parseAcl(text: string, file = 'the ACL file'): AclRule[] {
  const rules: AclRule[] = [];
  let user: string | undefined;
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = n + 1;
    const trimmed = lines[n]!.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const fail = (why: string) => new AclError(file, line, `${file} line ${line}: ${why}.`);
    const [keyword = '', ...rest] = trimmed.split(/\s+/);
    switch (keyword) {
      case 'user': {
        const name = trimmed.slice(keyword.length).trim();
        if (name === '') throw fail('"user" needs a user name');
        user = name;
        break;
      }
      case 'topic':
      case 'pattern': {
        let access: AclAccess = 'readwrite';
        let words = rest;
        if (words.length > 1 && ACCESS_WORDS.has(words[0] as AclAccess)) {
          access = words[0] as AclAccess;
          words = words.slice(1);
        } else if (words.length > 1) {
          throw fail(`"${words[0]}" is not an access word (read, write, readwrite or deny)`);
        }
        if (words.length === 0) throw fail(`"${keyword}" needs a topic`);
        // Like mosquitto, the topic is the rest of the line, spaces included.
        const filter = trimmed.slice(trimmed.indexOf(words[0]!));
        const problem = filterProblem(filter);
        if (problem) throw fail(`"${filter}" is not a topic filter (${problem})`);
        if (keyword === 'topic') rules.push({ kind: 'topic', access, filter, user, line });
        else rules.push({ kind: 'pattern', access, filter, line });
        break;
      }
      default:
        throw fail(`"${keyword}" is not an ACL keyword (user, topic, pattern or # for a comment)`);
    }
  }
  return rules;
}

/** Reads and parses the ACL file at `path`. */
export async function readAclFile(path: string): Promise<AclRule[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? String(error)})`;
    throw new AclError(path, undefined, `The ACL file ${path} ${why}.`);
  }
  return parseAcl(text, `The ACL file ${path}`);
}

/** How a rule is named in the log: `acl line 7: topic read /iot/user/bob/#`. */
export function describeRule(rule: AclRule): string {
  return `acl line ${rule.line}: ${rule.kind} ${rule.access} ${rule.filter}`;
}
