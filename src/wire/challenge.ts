/** The login challenge's payloads: the login, the UUID answer, commands and replies. */
import {
  fail,
  isTopicLevel,
  ok,
  textCodec,
  UUID,
  type Codec,
} from './codec.js';
export const challengeAnswers = {
  CMD1: 'Apple',
  CMD2: 'Cat',
  CMD3: 'Dog',
  CMD4: 'Rat',
  CMD5: 'Boy',
  CMD6: 'Girl',
  CMD7: 'Toy',
} as const;

export type ChallengeCommand = keyof typeof challengeAnswers;

export const CHALLENGE_DONE = 'Well done my IoT!';

export function isChallengeCommand(text: string): text is ChallengeCommand {
  return Object.hasOwn(challengeAnswers, text);
}

/** Whether `word` is the answer the service expects to `command` (exact, as the original). */
export function isRightReply(command: ChallengeCommand, word: string): boolean {
  return challengeAnswers[command] === word;
}

/** `login`: the client's id, which becomes the first level of its answer topic. */
export const loginRequest: Codec<string> = textCodec(
  (text) => (isTopicLevel(text) ? ok(text) : fail('client id must be one topic level without / + #')),
  (clientId) => clientId,
);

/** `<id>/UUID`: the fresh challenge id. */
export const loginUuid: Codec<string> = textCodec(
  (text) => (UUID.test(text) ? ok(text) : fail('not a UUID')),
  (uuid) => uuid,
);

export type ChallengeMessage = { kind: 'command'; command: ChallengeCommand } | { kind: 'done' };

/** `<uuid>`: a command to answer, or the final praise. */
export const challengeMessage: Codec<ChallengeMessage> = textCodec(
  (text) => {
    if (text === CHALLENGE_DONE) return ok({ kind: 'done' });
    return isChallengeCommand(text) ? ok({ kind: 'command', command: text }) : fail('not a command CMD1..CMD7');
  },
  (m) => (m.kind === 'done' ? CHALLENGE_DONE : m.command),
);

/** `<uuid>/<CMD>`: the reply word (right or wrong is the service's call, not a format error). */
export const challengeReply: Codec<string> = textCodec(
  (text) => (text.trim().length > 0 && text.length <= 64 ? ok(text.trim()) : fail('reply must be a short word')),
  (word) => word,
);
