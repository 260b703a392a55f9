import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, seededRandom } from '../src/sim/clock.js';
import { MAX_COMMANDS, MIN_COMMANDS, pickCommands, startChallengeService, type ChallengeNote, type ChallengeService } from '../src/sim/challenge/service.js';
import { startSolver, type SolverStep } from '../src/sim/challenge/solver.js';
import { challengeAnswers, type ChallengeCommand } from '../src/wire/index.js';
import { startBareBroker, type BareBroker } from './fixtures/bare-broker.js';
import { Watcher } from './fixtures/watch.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let broker: BareBroker;
let clock: ManualClock;
let service: ChallengeService;
let notes: ChallengeNote[];
let student: Watcher;

beforeEach(async () => {
  broker = await startBareBroker();
  clock = new ManualClock();
  notes = [];
  service = await startChallengeService({ url: broker.url, clock, random: seededRandom(7), onNote: (note) => notes.push(note) });
  student = await Watcher.connect(broker.url, []);
});

afterEach(async () => {
  await student.close();
  await service.stop();
  await broker.close();
});

/** Logs in as `id` the way the original client does and returns the UUID. */
async function logIn(id: string): Promise<string> {
  const since = student.mark();
  await student.client.subscribeAsync(`${id}/UUID`, { qos: 2 });
  await student.publish('login', id, { qos: 2 });
  const answer = await student.waitFor((m) => m.topic === `${id}/UUID`, 'the UUID', since);
  expect(answer.qos).toBe(2);
  await student.client.subscribeAsync(answer.text, { qos: 2 });
  return answer.text;
}

function waitForNote(match: (note: ChallengeNote) => boolean, what: string): Promise<ChallengeNote> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 5000);
    const check = () => {
      const found = notes.find(match);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      } else setTimeout(check, 5);
    };
    check();
  });
}

describe('the challenge service', () => {
  it('answers a login with a fresh UUID, sends the commands 3 s later and praises right replies', async () => {
    const uuid = await logIn('alice1');
    expect(uuid).toMatch(UUID);
    expect(await logIn('alice1')).not.toBe(uuid);

    const since = student.mark();
    clock.advance(2999);
    await roundTrip();
    expect(student.count((m) => m.topic === uuid)).toBe(0);
    clock.advance(1);
    // The first run's commands are the first the seeded random picks.
    const commands = await collectCommands(uuid, since, pickCommands(seededRandom(7)).length);
    expect(commands).toEqual(pickCommands(seededRandom(7)));
    expect(student.seen.slice(since).filter((m) => m.topic === uuid).every((m) => m.qos === 2)).toBe(true);

    // A wrong word does not count.
    const wrong: ChallengeCommand = commands[0]!;
    await student.publish(`${uuid}/${wrong}`, 'Banana', { qos: 2 });
    await waitForNote((n) => n.text.includes('wrong reply') && n.text.includes(wrong), 'the wrong reply note');

    // Every right word, twice (duplicates are fine).
    for (const command of [...commands, ...commands]) {
      await student.publish(`${uuid}/${command}`, challengeAnswers[command], { qos: 2 });
    }
    const done = await student.waitFor((m) => m.topic === uuid && m.text === 'Well done my IoT!', 'the praise', since);
    expect(done.qos).toBe(2);
    expect(student.count((m) => m.text === 'Well done my IoT!')).toBe(1);
  });

  it('does not praise until every command has its right reply', async () => {
    const uuid = await logIn('bob2');
    const since = student.mark();
    clock.advance(3000);
    const commands = await collectCommands(uuid, since, pickCommands(seededRandom(7)).length);
    const distinct = [...new Set(commands)];
    for (const command of distinct.slice(0, -1)) await student.publish(`${uuid}/${command}`, challengeAnswers[command], { qos: 2 });
    // A reply to a command that was not asked is noted and changes nothing.
    const unasked = (Object.keys(challengeAnswers) as ChallengeCommand[]).find((c) => !commands.includes(c));
    if (unasked) {
      await student.publish(`${uuid}/${unasked}`, challengeAnswers[unasked], { qos: 2 });
      await waitForNote((n) => n.text.includes('not asked'), 'the not-asked note');
    }
    await student.publish(`${uuid}/CMD9`, 'Apple', { qos: 2 });
    await waitForNote((n) => n.text.includes('CMD9'), 'the unknown-command note');
    expect(student.count((m) => m.text === 'Well done my IoT!')).toBe(0);
    const last = distinct.at(-1)!;
    await student.publish(`${uuid}/${last}`, challengeAnswers[last], { qos: 2 });
    await student.waitFor((m) => m.topic === uuid && m.text === 'Well done my IoT!', 'the praise', since);
  });

  it('is solved by the built-in solver, whose QoS 2 handshakes are reported', async () => {
    const steps: SolverStep[] = [];
    const run = await startSolver({ url: broker.url, clock, onStep: (s) => steps.push(s) });
    await until(() => steps.some((s) => s.kind === 'uuid'), 'the solver to get its UUID');
    clock.advance(3000);
    const outcome = await run.finished;
    expect(outcome.ok).toBe(true);
    const commands = steps.filter((s) => s.kind === 'command');
    expect(commands.length).toBeGreaterThanOrEqual(MIN_COMMANDS);
    for (const step of commands) expect(step.reply).toBe(challengeAnswers[step.command]);
    const types = steps.flatMap((s) => (s.kind === 'packet' ? [`${s.packet.direction} ${s.packet.type}`] : []));
    // Its own reply goes PUBLISH -> PUBREC -> PUBREL -> PUBCOMP; the service's command comes the other way.
    expect(types).toEqual(expect.arrayContaining(['sent PUBLISH', 'received PUBREC', 'sent PUBREL', 'received PUBCOMP']));
    expect(types).toEqual(expect.arrayContaining(['received PUBLISH', 'sent PUBREC', 'received PUBREL', 'sent PUBCOMP']));
    // Only the last handshake packets (the PUBCOMP of the praise) may follow the praise.
    const after = steps.slice(steps.findIndex((s) => s.kind === 'done') + 1);
    expect(after.every((s) => s.kind === 'packet')).toBe(true);
    expect(steps.filter((s) => s.kind === 'done')).toHaveLength(1);
  });

  it('lets the solver give up with a sentence when no service answers', async () => {
    await service.stop();
    const run = await startSolver({ url: broker.url, clock, giveUpAfterMs: 5000 });
    clock.advance(5000);
    const outcome = await run.finished;
    expect(outcome).toEqual({ ok: false, reason: expect.stringContaining('is the challenge service running?') });
    service = await startChallengeService({ url: broker.url, clock });
  });
});

describe('the commands of a run', () => {
  it('are 3 to 7 of CMD1..CMD7, any order, repeats allowed', () => {
    const random = seededRandom(1);
    const runs = Array.from({ length: 200 }, () => pickCommands(random));
    for (const commands of runs) {
      expect(commands.length).toBeGreaterThanOrEqual(MIN_COMMANDS);
      expect(commands.length).toBeLessThanOrEqual(MAX_COMMANDS);
      for (const command of commands) expect(Object.keys(challengeAnswers)).toContain(command);
    }
    expect(runs.some((commands) => new Set(commands).size < commands.length)).toBe(true);
    expect(new Set(runs.map((commands) => commands.length)).size).toBe(MAX_COMMANDS - MIN_COMMANDS + 1);
  });
});

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The commands of a run, once all `count` of them have arrived. */
async function collectCommands(uuid: string, since: number, count: number): Promise<ChallengeCommand[]> {
  await student.waitForNth((m) => m.topic === uuid, count, 'the commands', since);
  return student.seen.slice(since).filter((m) => m.topic === uuid).map((m) => m.text as ChallengeCommand);
}

let probes = 0;
/** A message of the student's own through the broker and back: what was already on its way has arrived. */
async function roundTrip(): Promise<void> {
  const text = `probe-${++probes}`;
  await student.client.subscribeAsync('probe', { qos: 2 });
  await student.publish('probe', text, { qos: 2 });
  await student.waitFor((m) => m.topic === 'probe' && m.text === text, 'the probe');
}
