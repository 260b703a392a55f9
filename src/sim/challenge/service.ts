/**
 * The login challenge service: a client publishes its id to `login`, gets a fresh UUID on
 * `<id>/UUID`, and 3 s later a few commands (CMD1..CMD7) on `<uuid>`. Each command wants its
 * word on `<uuid>/<CMD>`; once every command has had its right word, the service says
 * "Well done my IoT!" on `<uuid>`. Everything at QoS 2, as the original course.
 */
import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import type { Clock, Random, TimerHandle } from '../clock.js';
import { closeConnection, openConnection, uniqueClientId, type Login } from '../connection.js';
import {
  challengeAnswers,
  challengeMessage,
  challengeReply,
  filters,
  isRightReply,
  loginRequest,
  loginUuid,
  matchTopic,
  topics,
  type ChallengeCommand,
} from '../../wire/index.js';

export interface ChallengeServiceOptions {
  url: string;
  login?: Login;
  clock: Clock;
  /** Picks how many commands and which; defaults to Math.random. */
  random?: Random;
  clientId?: string;
  /** Between the UUID and the commands; the original waits 3 s. */
  commandDelayMs?: number;
  /** A run nobody finishes is forgotten after this long, so idle logins cost nothing. Default 10 min. */
  runLifetimeMs?: number;
  /** Defaults to crypto.randomUUID; tests pin it. */
  newUuid?: () => string;
  /** Wrong replies, unknown commands and the like: one sentence each, for the log. */
  onNote?: (note: ChallengeNote) => void;
}

export interface ChallengeNote {
  uuid?: string;
  clientId?: string;
  text: string;
}

export interface ChallengeService {
  readonly clientId: string;
  stop(): Promise<void>;
}

export const COMMAND_DELAY_MS = 3000;
export const MIN_COMMANDS = 3;
export const MAX_COMMANDS = 7;
const RUN_LIFETIME_MS = 10 * 60_000;
/** More open runs than this and the oldest is dropped: a flood of logins cannot grow memory. */
const MAX_OPEN_RUNS = 200;
const QOS2 = { qos: 2 } as const;

const COMMANDS = Object.keys(challengeAnswers) as ChallengeCommand[];

interface Run {
  clientId: string;
  uuid: string;
  /** Empty until the commands are sent. */
  asked: ChallengeCommand[];
  answered: Set<ChallengeCommand>;
  timers: TimerHandle[];
}

/** The commands of one run: MIN..MAX of them, any order, repeats allowed. */
export function pickCommands(random: Random): ChallengeCommand[] {
  const count = MIN_COMMANDS + Math.floor(random() * (MAX_COMMANDS - MIN_COMMANDS + 1));
  return Array.from({ length: count }, () => COMMANDS[Math.floor(random() * COMMANDS.length)]!);
}

export async function startChallengeService(options: ChallengeServiceOptions): Promise<ChallengeService> {
  const { clock } = options;
  const random = options.random ?? Math.random;
  const newUuid = options.newUuid ?? randomUUID;
  const clientId = options.clientId ?? uniqueClientId('challenge');
  const runs = new Map<string, Run>();
  const note = (text: string, run?: Run) => options.onNote?.({ text, uuid: run?.uuid, clientId: run?.clientId });

  const client: MqttClient = await openConnection(options.url, clientId, options.login);

  function forget(run: Run): void {
    for (const timer of run.timers) clock.clearTimeout(timer);
    runs.delete(run.uuid);
    // Later (duplicate) replies to a finished run are simply not heard.
    client.unsubscribe(filters.challengeReplies(run.uuid));
  }

  function begin(requester: string): void {
    if (runs.size >= MAX_OPEN_RUNS) forget(runs.values().next().value!);
    const run: Run = { clientId: requester, uuid: newUuid(), asked: [], answered: new Set(), timers: [] };
    runs.set(run.uuid, run);
    // Listen for replies before anyone can know the UUID, so no early reply is lost.
    client.subscribe(filters.challengeReplies(run.uuid), QOS2, () => {
      client.publish(topics.loginUuid(requester), loginUuid.encode(run.uuid), QOS2);
    });
    run.timers.push(
      clock.setTimeout(() => {
        run.asked = pickCommands(random);
        for (const command of run.asked) {
          client.publish(topics.challenge(run.uuid), challengeMessage.encode({ kind: 'command', command }), QOS2);
        }
      }, options.commandDelayMs ?? COMMAND_DELAY_MS),
      clock.setTimeout(() => {
        note(`challenge ${run.uuid} for ${run.clientId} expired unfinished`, run);
        forget(run);
      }, options.runLifetimeMs ?? RUN_LIFETIME_MS),
    );
  }

  function reply(run: Run, command: ChallengeCommand, payload: Buffer): void {
    const word = challengeReply.parse(payload);
    if (!word.ok) return note(`reply to ${command} from ${run.clientId}: ${word.reason}`, run);
    if (!run.asked.includes(command)) return note(`${run.clientId} answered ${command}, which was not asked`, run);
    if (!isRightReply(command, word.value)) {
      return note(`wrong reply from ${run.clientId}: ${command} is not "${word.value}"`, run);
    }
    run.answered.add(command);
    if (run.asked.every((asked) => run.answered.has(asked))) {
      client.publish(topics.challenge(run.uuid), challengeMessage.encode({ kind: 'done' }), QOS2);
      forget(run);
    }
  }

  client.on('message', (topic, payload) => {
    if (topic === topics.login) {
      const requester = loginRequest.parse(payload);
      if (!requester.ok) return;
      return begin(requester.value);
    }
    const known = matchTopic(topic);
    const run = runs.get(topic.split('/')[0]!);
    if (run === undefined) return;
    if (known?.kind === 'challenge-reply') reply(run, known.command, payload);
    else note(`${run.clientId} replied on ${topic}; commands are CMD1..CMD7`, run);
  });
  // Resubscribed by mqtt.js after a reconnect, like every subscription it made.
  await client.subscribeAsync(topics.login, QOS2);

  return {
    clientId,
    async stop() {
      for (const run of [...runs.values()]) for (const timer of run.timers) clock.clearTimeout(timer);
      runs.clear();
      await closeConnection(client);
    },
  };
}
