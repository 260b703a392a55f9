import { defaultGateLimits, type GateLimits } from './gate.js';

/**
 * What one client, or all of them together, may cost the embedded broker. Each has a flag
 * (--max-packet-size, --max-connections, --max-inflight, --max-queued, --drain-timeout,
 * --max-topic-depth, --max-client-id); the README's "Broker limits" says what happens at each.
 */
export interface BrokerLimits extends GateLimits {
  /** Open connections (TCP and WebSocket together); one more is closed at once. */
  maxConnections: number;
  /** Packets one client may send before its CONNECT is accepted (aedes queueLimit). */
  maxQueued: number;
  /** How long a subscriber that reads nothing may hold up delivery before it is disconnected (ms); 0 = forever. */
  drainTimeoutMs: number;
}

/**
 * 10,000 connections: far above a classroom or a home (tens), high enough for a simulated
 * fleet of thousands of devices, and still below where one process runs out of file
 * descriptors on a default Linux (hard limit 524288) or memory (~10 KiB per idle client).
 *
 * 5 s drain timeout: while one subscriber's socket is full, aedes holds every message
 * addressed to it (and, after 100 such messages, delivery to everyone else) until it reads
 * again. A client that has not read for 5 s is frozen, not slow; aedes' own default of
 * 60 s would freeze the home's screen for a minute.
 *
 * 42 packets before CONNACK is aedes' own default: far above what a pipelining client reaches.
 */
export const defaultBrokerLimits: Readonly<BrokerLimits> = Object.freeze({
  ...defaultGateLimits,
  maxConnections: 10_000,
  maxQueued: 42,
  drainTimeoutMs: 5000,
});

/** aedes and the message matcher it ships with stop at 100 topic levels. */
export const MAX_TOPIC_DEPTH = 100;
/** The largest packet MQTT 3.1.1 can express: a 4-byte remaining length plus the fixed header. */
export const MAX_PACKET_SIZE = 268_435_455 + 5;
/** The smallest packet limit that still lets a CONNECT with a short client id through. */
export const MIN_PACKET_SIZE = 64;
