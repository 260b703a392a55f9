/**
 * The built-in solver: plays the login challenge as the original client does. It listens on
 * `<id>/UUID`, publishes its id to `login`, listens on the UUID it gets, answers every command on
 * `<uuid>/<CMD>` and stops at "Well done my IoT!". Every MQTT packet it sends or receives is
 * reported, so a screen can show the QoS 2 handshake (PUBLISH, PUBREC, PUBREL, PUBCOMP).
 */
import type { MqttClient, Packet } from 'mqtt';
import type { Clock, TimerHandle } from '../clock.js';
import { closeConnection, openConnection, uniqueClientId, type Login } from '../connection.js';
import { payloadPreview } from '../../wire/preview.js';
import { challengeAnswers, challengeMessage, loginRequest, loginUuid, topics, type ChallengeCommand } from '../../wire/index.js';

export interface SolverOptions {
  url: string;
  login?: Login;
  clock: Clock;
  clientId?: string;
  /** Send every reply again this often, as the original client does; undefined = once (QoS 2 delivers it). */
  resendEveryMs?: number;
  /** Gives up when the run has not ended by then. Default 30 s. */
  giveUpAfterMs?: number;
  onStep?: (step: SolverStep) => void;
}

/** One MQTT packet as a person reads it in a handshake. */
export interface PacketLine {
  direction: 'sent' | 'received';
  /** PUBLISH, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK ... */
  type: string;
  messageId?: number;
  topic?: string;
  /** Printable preview of a PUBLISH payload. */
  payload?: string;
  qos?: number;
}

export type SolverStep =
  | { kind: 'packet'; packet: PacketLine }
  | { kind: 'uuid'; uuid: string }
  | { kind: 'command'; command: ChallengeCommand; reply: string }
  | { kind: 'done' }
  | { kind: 'failed'; reason: string };

export type SolverOutcome = { ok: true; uuid: string } | { ok: false; reason: string };

export interface SolverRun {
  readonly clientId: string;
  /** Settles once: "Well done my IoT!" or why not. Never rejects. */
  readonly finished: Promise<SolverOutcome>;
  /** Ends the run early (and its client). */
  stop(): Promise<void>;
}

const GIVE_UP_AFTER_MS = 30_000;
const QOS2 = { qos: 2 } as const;
/** Keep-alive pings are not part of the story. */
const QUIET = new Set(['pingreq', 'pingresp']);

/** mqtt.js packets to handshake lines. */
export function packetLine(direction: PacketLine['direction'], packet: Packet): PacketLine | null {
  if (QUIET.has(packet.cmd)) return null;
  const line: PacketLine = { direction, type: packet.cmd.toUpperCase() };
  if ('messageId' in packet && typeof packet.messageId === 'number') line.messageId = packet.messageId;
  if (packet.cmd === 'publish') {
    line.topic = packet.topic;
    line.qos = packet.qos;
    const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    line.payload = payloadPreview(payload, 40);
  } else if (packet.cmd === 'subscribe') {
    line.topic = packet.subscriptions.map((s) => s.topic).join(' ');
  }
  return line;
}

export async function startSolver(options: SolverOptions): Promise<SolverRun> {
  const { clock } = options;
  const clientId = options.clientId ?? uniqueClientId('solver');
  const step = (s: SolverStep) => options.onStep?.(s);
  const replies = new Map<ChallengeCommand, string>();
  let uuid: string | undefined;
  let client: MqttClient | undefined;
  let resend: TimerHandle | undefined;
  let giveUp: TimerHandle | undefined;
  let settle: (outcome: SolverOutcome) => void = () => {};
  let settled = false;
  const finished = new Promise<SolverOutcome>((resolve) => (settle = resolve));

  async function end(outcome: SolverOutcome): Promise<void> {
    if (settled) return;
    settled = true;
    clock.clearInterval(resend);
    clock.clearTimeout(giveUp);
    step(outcome.ok ? { kind: 'done' } : { kind: 'failed', reason: outcome.reason });
    const closing = client;
    client = undefined;
    try {
      await closeConnection(closing);
    } finally {
      settle(outcome);
    }
  }

  function answer(command: ChallengeCommand): void {
    const word = challengeAnswers[command];
    replies.set(command, word);
    step({ kind: 'command', command, reply: word });
    client?.publish(topics.challengeReply(uuid!, command), word, QOS2);
  }

  try {
    client = await openConnection(options.url, clientId, options.login);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    step({ kind: 'failed', reason });
    return { clientId, finished: Promise.resolve({ ok: false, reason }), stop: async () => {} };
  }
  const connected = client;
  // The praise arrives at PUBREL; the run ends once its PUBCOMP is out, so the handshake is whole.
  let praiseId: number | undefined;
  connected.on('packetsend', (packet: Packet) => {
    const line = packetLine('sent', packet);
    if (line) step({ kind: 'packet', packet: line });
    if (packet.cmd === 'pubcomp' && packet.messageId === praiseId && uuid !== undefined) void end({ ok: true, uuid });
  });
  connected.on('packetreceive', (packet: Packet) => {
    const line = packetLine('received', packet);
    if (line) step({ kind: 'packet', packet: line });
  });
  connected.on('message', (topic, payload, packet) => {
    if (topic === topics.loginUuid(clientId)) {
      const parsed = loginUuid.parse(payload);
      // A second UUID (someone else logging in with this id) would only confuse the run.
      if (!parsed.ok || uuid !== undefined) return;
      uuid = parsed.value;
      step({ kind: 'uuid', uuid });
      connected.subscribe(topics.challenge(uuid), QOS2);
      return;
    }
    if (uuid === undefined || topic !== topics.challenge(uuid)) return;
    const message = challengeMessage.parse(payload);
    if (!message.ok) return;
    if (message.value.kind !== 'done') return answer(message.value.command);
    if (packet.qos === 2 && packet.messageId !== undefined) praiseId = packet.messageId;
    else void end({ ok: true, uuid });
  });

  giveUp = clock.setTimeout(() => {
    const why = uuid === undefined ? 'no UUID came back on ' + topics.loginUuid(clientId) : `the challenge ${uuid} did not finish`;
    void end({ ok: false, reason: `Gave up: ${why}; is the challenge service running?` });
  }, options.giveUpAfterMs ?? GIVE_UP_AFTER_MS);
  if (options.resendEveryMs !== undefined) {
    resend = clock.setInterval(() => {
      for (const [command, word] of replies) client?.publish(topics.challengeReply(uuid!, command), word, QOS2);
    }, options.resendEveryMs);
  }

  await connected.subscribeAsync(topics.loginUuid(clientId), QOS2);
  await connected.publishAsync(topics.login, loginRequest.encode(clientId), QOS2);

  return { clientId, finished, stop: () => end({ ok: false, reason: 'Stopped.' }) };
}
