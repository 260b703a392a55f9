import { readFile } from 'node:fs/promises';
import { filterProblem } from '../wire/index.js';

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
