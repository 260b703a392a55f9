import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { ManualClock, seededRandom } from '../../src/sim/clock.js';
import { startChallengeService, type ChallengeService } from '../../src/sim/challenge/service.js';
import { Feed } from '../../src/ui/feed.js';
import { challengeReducer, initialChallengeBoard, type ChallengeAction, type ChallengeBoard } from '../../src/ui/screens/challenge/challenge-state.js';
import { startChallengeScreen } from '../../src/ui/screens/challenge/index.js';
import { ChallengeScreen } from '../../src/ui/screens/challenge/Screen.js';
import type { RunningScreen } from '../../src/ui/screens.js';
import { startBareBroker, type BareBroker } from '../fixtures/bare-broker.js';
import { Watcher } from '../fixtures/watch.js';
import { ARROW_UP, renderAt } from './render.js';
import { loadHomeDefaults } from '../../src/sim/defaults.js';

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);
const UUID_A = '0e3c1c8e-5b7a-4f0e-9a51-2c9d8b7e6f10';
const UUID_B = '7d1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b';

/** A board as it looks after a solver run and an outside client's half-done run with a wrong reply. */
function realisticBoard(): ChallengeBoard {
  const actions: ChallengeAction[] = [
    { type: 'solver-started', clientId: 'sht-solver-1a2b3c' },
    { type: 'seen', at: T0, sighting: { kind: 'login', clientId: 'sht-solver-1a2b3c' } },
    { type: 'seen', at: T0, sighting: { kind: 'uuid', clientId: 'sht-solver-1a2b3c', uuid: UUID_A } },
    { type: 'solver-packet', at: T0 + 3000, packet: { direction: 'received', type: 'PUBLISH', messageId: 3, qos: 2, topic: UUID_A, payload: 'CMD3' } },
    { type: 'solver-packet', at: T0 + 3000, packet: { direction: 'sent', type: 'PUBREC', messageId: 3 } },
    { type: 'solver-packet', at: T0 + 3000, packet: { direction: 'received', type: 'PUBREL', messageId: 3 } },
    { type: 'solver-packet', at: T0 + 3000, packet: { direction: 'sent', type: 'PUBCOMP', messageId: 3 } },
    { type: 'solver-packet', at: T0 + 3001, packet: { direction: 'sent', type: 'PUBLISH', messageId: 7, qos: 2, topic: `${UUID_A}/CMD3`, payload: 'Dog' } },
    { type: 'solver-packet', at: T0 + 3001, packet: { direction: 'received', type: 'PUBREC', messageId: 7 } },
    { type: 'solver-packet', at: T0 + 3001, packet: { direction: 'sent', type: 'PUBREL', messageId: 7 } },
    { type: 'solver-packet', at: T0 + 3002, packet: { direction: 'received', type: 'PUBCOMP', messageId: 7 } },
    { type: 'seen', at: T0 + 3000, sighting: { kind: 'command', uuid: UUID_A, command: 'CMD3' } },
    { type: 'seen', at: T0 + 3000, sighting: { kind: 'command', uuid: UUID_A, command: 'CMD1' } },
    { type: 'seen', at: T0 + 3000, sighting: { kind: 'reply', uuid: UUID_A, command: 'CMD3', word: 'Dog' } },
    { type: 'seen', at: T0 + 3000, sighting: { kind: 'reply', uuid: UUID_A, command: 'CMD1', word: 'Apple' } },
    { type: 'seen', at: T0 + 3000, sighting: { kind: 'done', uuid: UUID_A } },
    { type: 'solver-finished', outcome: { ok: true, uuid: UUID_A } },
    { type: 'seen', at: T0 + 9000, sighting: { kind: 'login', clientId: 'paho-student-1' } },
    { type: 'seen', at: T0 + 9000, sighting: { kind: 'uuid', clientId: 'paho-student-1', uuid: UUID_B } },
    { type: 'seen', at: T0 + 12000, sighting: { kind: 'command', uuid: UUID_B, command: 'CMD5' } },
    { type: 'seen', at: T0 + 12000, sighting: { kind: 'command', uuid: UUID_B, command: 'CMD2' } },
    { type: 'seen', at: T0 + 12000, sighting: { kind: 'command', uuid: UUID_B, command: 'CMD5' } },
    { type: 'seen', at: T0 + 12000, sighting: { kind: 'reply', uuid: UUID_B, command: 'CMD5', word: 'Boy' } },
    { type: 'seen', at: T0 + 12000, sighting: { kind: 'reply', uuid: UUID_B, command: 'CMD5', word: 'Boy' } },
    { type: 'seen', at: T0 + 12000, sighting: { kind: 'reply', uuid: UUID_B, command: 'CMD2', word: 'Dog' } },
  ];
  return actions.reduce(challengeReducer, initialChallengeBoard);
}

afterEach(() => cleanup());

describe('challenge board', () => {
  test('counts right replies per distinct command and keeps wrong ones apart', () => {
    const board = realisticBoard();
    const [solverRun, outside] = board.runs;
    expect(solverRun).toMatchObject({ clientId: 'sht-solver-1a2b3c', bySolver: true, done: true });
    expect(outside).toMatchObject({ clientId: 'paho-student-1', bySolver: false, done: false, wrongReplies: 1 });
    expect(outside!.replies.CMD5).toEqual({ word: 'Boy', right: true, times: 2, wrong: [] });
    expect(outside!.replies.CMD2).toEqual({ word: 'Dog', right: false, times: 1, wrong: ['Dog'] });
    // A wrong duplicate after a right reply does not undo it, and is kept as a mistake.
    const later = challengeReducer(board, { type: 'seen', at: T0, sighting: { kind: 'reply', uuid: UUID_B, command: 'CMD5', word: 'Cat' } });
    expect(later.runs[1]!.replies.CMD5).toEqual({ word: 'Boy', right: true, times: 3, wrong: ['Cat'] });
  });

  test('a corrected mistake and a reply to a command never asked stay on screen in red', async () => {
    const fixed = [
      { type: 'seen', at: T0 + 13000, sighting: { kind: 'reply', uuid: UUID_B, command: 'CMD2', word: 'Cat' } },
      { type: 'seen', at: T0 + 13000, sighting: { kind: 'reply', uuid: UUID_B, command: 'CMD7', word: 'Toy' } },
    ] satisfies ChallengeAction[];
    const board = fixed.reduce(challengeReducer, realisticBoard());
    expect(board.runs[1]!.replies.CMD2).toEqual({ word: 'Cat', right: true, times: 2, wrong: ['Dog'] });
    const store = new Feed(board, challengeReducer);
    const screen = await renderAt(<ChallengeScreen width={100} height={24} focused board={store} runSolver={() => {}} />, { columns: 100, rows: 30 });
    const frame = screen.frame();
    expect(frame).toContain('CMD2 → Cat ✓ ×2');
    expect(frame).toContain('✗ before: Dog (not counted)');
    expect(frame).toContain('CMD7 → Toy ✗ never asked');
    expect(frame).toContain('2/2 right');
  });
});

describe('challenge screen', () => {
  test('snapshot: a finished solver run, its handshake, and an outside run', async () => {
    const store = new Feed(realisticBoard(), challengeReducer);
    const screen = await renderAt(<ChallengeScreen width={100} height={24} focused board={store} runSolver={() => {}} />, { columns: 100, rows: 30 });
    const frame = screen.frame();
    expect(frame).toContain('CMD2 → Dog ✗ wants Cat');
    // CMD5 was asked twice: one line, answered twice.
    expect(frame.match(/CMD5 → Boy ✓ ×2/g)).toHaveLength(1);
    expect(frame).toMatchSnapshot();
    // The older run, selected with ↑, shows its praise.
    const older = await screen.press(ARROW_UP);
    expect(older).toContain('(built-in solver)');
    expect(older).toContain('Well done my IoT!');
  });
});

describe('challenge screen against a real broker and service', () => {
  let broker: BareBroker;
  let service: ChallengeService;
  let running: RunningScreen;
  let clock: ManualClock;
  const outsiders: Watcher[] = [];

  async function start() {
    broker = await startBareBroker();
    clock = new ManualClock(T0);
    service = await startChallengeService({ url: broker.url, clock, random: seededRandom(3) });
    running = await startChallengeScreen({ url: broker.url, clock, defaults: loadHomeDefaults() });
    const { Component } = running.screen;
    return renderAt(<Component width={100} height={24} focused />, { columns: 100, rows: 30 });
  }

  afterEach(async () => {
    for (const outsider of outsiders.splice(0)) await outsider.close();
    await running.stop();
    await service.stop();
    await broker.close();
  });

  test('s runs the built-in solver to "Well done my IoT!" and shows its QoS 2 handshake', async () => {
    const screen = await start();
    await screen.press('s', (frame) => /UUID {3}[0-9a-f]{8}-/.test(frame));
    clock.advance(3000);
    const frame = await screen.waitFor((f) => f.includes('Well done my IoT!  (s: again)'), 'the praise');
    expect(frame).toMatch(/CMD\d → \w+ ✓/);
    // Real handshake lines (the empty pane's hint names the four packets too).
    for (const type of ['PUBLISH', 'PUBREC', 'PUBREL', 'PUBCOMP']) expect(frame).toMatch(new RegExp(`[→←] ${type}\\s+id \\d+`));
    expect(frame).not.toContain('each message at QoS 2 shows here');
    expect(frame).toContain('(built-in solver)');
  });

  test('a run by an outside mqtt.js client shows up', async () => {
    const screen = await start();
    const outsider = await Watcher.connect(broker.url, ['visitor-9/UUID']);
    outsiders.push(outsider);
    await outsider.publish('login', 'visitor-9', { qos: 2 });
    const uuid = (await outsider.waitFor((m) => m.topic === 'visitor-9/UUID', 'the UUID')).text;
    await outsider.client.subscribeAsync(uuid, { qos: 2 });
    await screen.waitFor((f) => f.includes(`UUID   ${uuid}`) && f.includes('visitor-9 (outside client)'), 'the outside run');
    clock.advance(3000);
    const command = (await outsider.waitFor((m) => m.topic === uuid, 'a command')).text;
    await outsider.publish(`${uuid}/${command}`, 'Banana', { qos: 2 });
    await screen.waitFor((f) => f.includes(`${command} → Banana ✗`), 'the wrong reply');
  });
});
