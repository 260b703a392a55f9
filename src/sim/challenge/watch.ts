/**
 * Watches login challenge runs by anyone: listens on `login` and `+/UUID`, then on each run's
 * `<uuid>` (commands, praise) and `<uuid>/+` (replies). It only listens; it never answers.
 */
import type { MqttClient } from 'mqtt';
import { closeConnection, openConnection, uniqueClientId, type Login } from '../connection.js';
import { challengeMessage, challengeReply, filters, loginRequest, loginUuid, matchTopic, topics, type ChallengeCommand } from '../../wire/index.js';

export type ChallengeSighting =
  | { kind: 'login'; clientId: string }
  | { kind: 'uuid'; clientId: string; uuid: string }
  | { kind: 'command'; uuid: string; command: ChallengeCommand }
  | { kind: 'reply'; uuid: string; command: ChallengeCommand; word: string }
  | { kind: 'done'; uuid: string };

export interface ChallengeWatchOptions {
  url: string;
  login?: Login;
  clientId?: string;
  onSighting: (sighting: ChallengeSighting) => void;
}

export interface ChallengeWatch {
  readonly clientId: string;
  stop(): Promise<void>;
}

/** Runs followed at once; the oldest is let go beyond this. */
const FOLLOWED_RUNS = 20;
const QOS2 = { qos: 2 } as const;

export async function startChallengeWatch(options: ChallengeWatchOptions): Promise<ChallengeWatch> {
  const clientId = options.clientId ?? uniqueClientId('challenge-watch');
  const client: MqttClient = await openConnection(options.url, clientId, options.login);
  const followed: string[] = [];
  const see = options.onSighting;

  function follow(uuid: string): void {
    if (followed.includes(uuid)) return;
    followed.push(uuid);
    client.subscribe([topics.challenge(uuid), filters.challengeReplies(uuid)], QOS2);
    if (followed.length > FOLLOWED_RUNS) {
      const old = followed.shift()!;
      client.unsubscribe([topics.challenge(old), filters.challengeReplies(old)]);
    }
  }

  client.on('message', (topic, payload) => {
    const known = matchTopic(topic);
    if (known === null) return;
    if (known.kind === 'login') {
      const id = loginRequest.parse(payload);
      if (id.ok) see({ kind: 'login', clientId: id.value });
    } else if (known.kind === 'login-uuid') {
      const uuid = loginUuid.parse(payload);
      if (!uuid.ok) return;
      follow(uuid.value);
      see({ kind: 'uuid', clientId: known.clientId, uuid: uuid.value });
    } else if (known.kind === 'challenge' && followed.includes(known.uuid)) {
      const message = challengeMessage.parse(payload);
      if (!message.ok) return;
      if (message.value.kind === 'done') see({ kind: 'done', uuid: known.uuid });
      else see({ kind: 'command', uuid: known.uuid, command: message.value.command });
    } else if (known.kind === 'challenge-reply' && followed.includes(known.uuid)) {
      const word = challengeReply.parse(payload);
      if (word.ok) see({ kind: 'reply', uuid: known.uuid, command: known.command, word: word.value });
    }
  });
  await client.subscribeAsync([topics.login, filters.allLoginUuids], QOS2);

  return {
    clientId,
    stop: () => closeConnection(client),
  };
}
