import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/broker/accounts.js';
import { parseAcl } from '../src/broker/acl.js';
import { startBroker, type BrokerHandle } from '../src/broker/embedded.js';
import { realClock } from '../src/sim/clock.js';
import { startChallengeService, type ChallengeService } from '../src/sim/challenge/service.js';

const PYTHON = '/usr/bin/python3';
const CLIENT = fileURLToPath(new URL('./fixtures/challenge_client.py', import.meta.url));

/** The ACL the README gives a class using --student with the challenge. */
const STUDENT_CHALLENGE_ACL = `user student
pattern readwrite /iot/user/%u/#
topic write login
pattern read %c/UUID
topic read +
topic write +/+
`;

function run(args: string[], timeoutMs: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(PYTHON, args, { timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
      resolve({ code, stdout, stderr });
    });
  });
}

let broker: BrokerHandle | undefined;
let service: ChallengeService | undefined;

afterEach(async () => {
  await service?.stop();
  await broker?.close();
  service = broker = undefined;
});

function warningsAside(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.trim() !== '' && !line.includes('DeprecationWarning'));
}

describe('the original Python challenge client (paho-mqtt 1.6)', () => {
  it('completes a run against the embedded broker and the service', async () => {
    broker = await startBroker({ port: 0, host: '127.0.0.1' });
    // The real clock: the Python client waits the real 3 s for its commands.
    service = await startChallengeService({ url: broker.url, clock: realClock() });
    const result = await run([CLIENT, '127.0.0.1', String(broker.port), 'paho-student-1', '0.5'], 9_000);
    expect(warningsAside(result.stderr)).toEqual([]);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^uuid [0-9a-f-]{36}$/);
    expect(lines.slice(1, -1).every((line) => /^CMD[1-7] -> (Apple|Cat|Dog|Rat|Boy|Girl|Toy)$/.test(line))).toBe(true);
    expect(lines.at(-1)).toBe('Well done my IoT!');
    expect(result.code).toBe(0);
  });

  it('completes a run as the student account under the ACL the docs give', async () => {
    const login = { username: 'service', password: 'service-secret' };
    broker = await startBroker({
      port: 0,
      host: '127.0.0.1',
      auth: {
        required: true,
        accounts: [
          { username: login.username, hash: await hashPassword(login.password), admin: true },
          { username: 'student', hash: await hashPassword('student'), admin: false },
        ],
        acl: parseAcl(STUDENT_CHALLENGE_ACL),
      },
    });
    service = await startChallengeService({ url: broker.url, login, clock: realClock(), commandDelayMs: 200 });
    const result = await run([CLIENT, '127.0.0.1', String(broker.port), 'class-pc-7', '0.5', 'student', 'student'], 9_000);
    expect(result.stdout.trim().split('\n').at(-1)).toBe('Well done my IoT!');
    expect(result.code).toBe(0);
  });
});
