import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AclError, parseAcl, readAclFile } from '../src/broker/acl.js';
import { filterCovers, topicMatches } from '../src/wire/index.js';
import { tempDir } from './fixtures/binary.js';

describe('ACL files', () => {
  it('reads users, topics, patterns, comments and blank lines with their line numbers', () => {
    const text = [
      '# classroom rules',
      'topic read public/#',
      '',
      'user alice',
      'topic /iot/user/alice/#',
      'topic write sensors/alice',
      '  # an indented comment',
      'user bob',
      'topic deny /iot/user/bob/secret',
      'pattern readwrite clients/%c/#',
      'pattern read /iot/user/%u/inbox',
    ].join('\n');
    expect(parseAcl(text)).toEqual([
      { kind: 'topic', access: 'read', filter: 'public/#', user: undefined, line: 2 },
      { kind: 'topic', access: 'readwrite', filter: '/iot/user/alice/#', user: 'alice', line: 5 },
      { kind: 'topic', access: 'write', filter: 'sensors/alice', user: 'alice', line: 6 },
      { kind: 'topic', access: 'deny', filter: '/iot/user/bob/secret', user: 'bob', line: 9 },
      { kind: 'pattern', access: 'readwrite', filter: 'clients/%c/#', line: 10 },
      { kind: 'pattern', access: 'read', filter: '/iot/user/%u/inbox', line: 11 },
    ]);
  });

  it('takes a topic filter of # as a topic, not a comment', () => {
    expect(parseAcl('user admin\ntopic read #')).toEqual([{ kind: 'topic', access: 'read', filter: '#', user: 'admin', line: 2 }]);
  });

  it.each([
    ['user alice\nfrobnicate x', 2, /line 2: "frobnicate" is not an ACL keyword/],
    ['\n\nuser', 3, /line 3: "user" needs a user name/],
    ['topic', 1, /line 1: "topic" needs a topic/],
    ['# ok\ntopic readonly a/b', 2, /line 2: "readonly" is not an access word/],
    ['topic read a/#/b', 1, /line 1: "a\/#\/b" is not a topic filter \(# may only stand alone as the last level\)/],
    ['user x\npattern write a/b+', 2, /line 2: "a\/b\+" is not a topic filter \(\+ must stand alone/],
  ])('refuses %j naming line %i in one sentence', (text, line, message) => {
    let caught: unknown;
    try {
      parseAcl(text, 'The ACL file rules.acl');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AclError);
    expect((caught as AclError).line).toBe(line);
    expect((caught as AclError).message).toMatch(message);
    expect((caught as AclError).message).toMatch(/^The ACL file rules\.acl line \d+: .*\.$/);
    expect((caught as AclError).message).not.toContain('\n');
  });

  it('names the file when it cannot be read', async () => {
    const missing = join(tempDir(), 'nope.acl');
    await expect(readAclFile(missing)).rejects.toThrow(`The ACL file ${missing} does not exist.`);
    const file = join(tempDir(), 'rules.acl');
    writeFileSync(file, 'user a\ntopic read ok/#\nbogus\n');
    await expect(readAclFile(file)).rejects.toThrow(`The ACL file ${file} line 3: "bogus" is not an ACL keyword`);
  });
});

describe('topic filters', () => {
  it.each([
    ['/iot/user/alice/#', '/iot/user/alice', true],
    ['/iot/user/alice/#', '/iot/user/alice/lamp', true],
    ['/iot/user/alice/#', '/iot/user/bob/lamp', false],
    ['a/+/c', 'a/b/c', true],
    ['a/+/c', 'a/b/d', false],
    ['a/+', 'a', false],
    ['#', '$SYS/broker', false],
    ['$SYS/#', '$SYS/broker', true],
  ])('%s matches %s: %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });

  it.each([
    ['/iot/user/alice/#', '/iot/user/alice/#', true],
    ['/iot/user/alice/#', '/iot/user/alice/+/temp', true],
    ['/iot/user/alice/#', '/iot/user/alice', true],
    ['/iot/user/alice/#', '/iot/user/+/#', false],
    ['/iot/user/alice/#', '#', false],
    ['/iot/user/alice/#', '/iot/user/#', false],
    ['/iot/user/+/status', '/iot/user/alice/status', true],
    ['/iot/user/alice/status', '/iot/user/+/status', false],
    ['a/+/#', 'a/#', false],
    ['#', '#', true],
    ['#', '$SYS/#', false],
    ['a/b', 'a/b/c', false],
    ['a/b/c', 'a/b', false],
  ])('%s covers every topic of %s: %s', (grant, filter, expected) => {
    expect(filterCovers(grant, filter)).toBe(expected);
  });
});
