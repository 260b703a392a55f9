import {
  PACKET_TYPE as T,
  breaches,
  checkSubscribe,
  checkTopicName,
  checkUnsubscribe,
  type Breach,
} from './mqtt-rules.js';
import { breaches5 } from './mqtt5-properties.js';
import {
  checkAck5,
  checkAnyConnect,
  checkDisconnect5,
  checkPublish5,
  checkSubscribe5,
  checkUnsubscribe5,
  publish5Needs,
  type Publish5Fields,
} from './mqtt5-rules.js';

export interface GateLimits {
  /** Largest whole packet (fixed header included) in bytes; bigger ones close the connection. */
  maxPacketSize: number;
  /** Most topic levels ("a/b/c" has 3) in a topic name or filter. */
  maxTopicDepth: number;
  /** Longest client id in UTF-8 bytes; a longer one gets CONNACK 0x02 (MQTT 5: 0x85). */
  maxClientIdLength: number;
  /** Inbound QoS 2 messages of one client awaiting PUBREL; one more closes the connection. 0 = no limit. */
  maxInflight: number;
}

/**
 * 4 MiB holds a 1 MiB payload (camera stills, firmware chunks in lessons) with room to
 * spare, while one connection can make aedes buffer at most that much for a packet.
 * 32 levels is far beyond any topic of the home or of Home Assistant discovery (~5);
 * aedes itself stops at 100. 128 bytes fits UUID-based ids with prefixes. 1000 QoS 2
 * messages awaiting PUBREL is far above what a pipelining client reaches, and bounds what a
 * client that never sends PUBREL makes the broker keep.
 */
export const defaultGateLimits: Readonly<GateLimits> = Object.freeze({
  maxPacketSize: 4 * 1024 * 1024,
  maxTopicDepth: 32,
  maxClientIdLength: 128,
  maxInflight: 1000,
});

/** The highest Topic Alias an MQTT 5 client may use; the broker announces it in CONNACK. */
export const TOPIC_ALIAS_MAXIMUM = 64;

const HEADER = 0;
const BODY = 1;
const SKIP = 2;

/** Reads one connection's bytes frame by frame and stops at the first broken rule. */
export class FrameScanner {
  breach: Breach | null = null;
  clientId: string | undefined;

  private phase = HEADER;
  private headerBytes = 0;
  private first = 0;
  private remaining = 0;
  private multiplier = 1;
  private need = 0;
  private have = 0;
  private skip = 0;
  private scratch: Buffer = Buffer.alloc(0);
  /** True once a CONNECT passed; from then on `version` is the connection's protocol level. */
  connected = false;
  version = 0;
  /** The largest packet an MQTT 5 client accepts (0 = no limit), from its CONNECT. */
  clientMaximumPacketSize = 0;
  private connectExpiry = 0;
  private aliases: Set<number> | undefined;
  private readonly fields: Publish5Fields = { topicStart: 0, topicEnd: 0, packetId: 0, topicAlias: -1 };
  /** Packet ids of this client's QoS 2 PUBLISHes not yet released by a PUBREL. */
  private readonly awaitingRelease = new Set<number>();

  constructor(private readonly limits: GateLimits) {}

  /** How many leading bytes of `chunk` may pass; fewer than all means `breach` is set. */
  scan(chunk: Buffer): number {
    const len = chunk.length;
    let i = 0;
    let frameStart = 0;
    while (i < len) {
      if (this.phase === SKIP) {
        const left = len - i;
        if (this.skip > left) {
          this.skip -= left;
          return len;
        }
        i += this.skip;
        this.skip = 0;
        this.phase = HEADER;
        continue;
      }

      if (this.phase === HEADER) {
        if (this.headerBytes === 0 && len - i >= 2 && chunk[i + 1]! < 0x80) {
          // Common case: a whole one-byte-length header in this chunk.
          frameStart = i;
          this.first = chunk[i]!;
          this.remaining = chunk[i + 1]!;
          this.headerBytes = 2;
          i += 2;
        } else {
          if (this.headerBytes === 0) {
            frameStart = i;
            this.first = chunk[i++]!;
            this.headerBytes = 1;
            this.remaining = 0;
            this.multiplier = 1;
            if (i === len) return len;
          }
          const b = chunk[i++]!;
          this.remaining += (b & 0x7f) * this.multiplier;
          this.multiplier *= 128;
          this.headerBytes++;
          if (b & 0x80) {
            if (this.headerBytes === 5) return this.stop(breaches.badLength, frameStart);
            continue;
          }
        }
        const broken = this.checkHeader(this.headerBytes + this.remaining);
        this.headerBytes = 0;
        if (broken) return this.stop(broken, frameStart);
        if (this.need === 0) {
          this.skip = this.remaining;
          this.phase = this.skip > 0 ? SKIP : HEADER;
        } else {
          this.have = 0;
          this.phase = BODY;
        }
        continue;
      }

      // BODY: the fields to check start at i (fast path) or continue in scratch.
      if (this.have === 0) {
        const avail = Math.min(len - i, this.remaining);
        if (avail >= this.need) {
          const verdict = this.checkBody(chunk, i, avail);
          if (verdict === 0) {
            this.skip = this.remaining;
            this.phase = SKIP;
            continue;
          }
          if (verdict < 0) return frameStart;
          this.need = verdict;
        }
      }
      if (this.scratch.length < this.need) {
        const grown = Buffer.allocUnsafe(Math.max(this.need, 2 * this.scratch.length));
        this.scratch.copy(grown, 0, 0, this.have);
        this.scratch = grown;
      }
      const take = Math.min(this.need - this.have, len - i);
      chunk.copy(this.scratch, this.have, i, i + take);
      this.have += take;
      i += take;
      if (this.have < this.need) return len;
      const verdict = this.checkBody(this.scratch, 0, this.have);
      if (verdict < 0) return frameStart;
      if (verdict === 0) {
        this.skip = this.remaining - this.have;
        this.phase = this.skip > 0 ? SKIP : HEADER;
        // CONNECT bodies can be large; keep the scratch small between packets.
        if (this.scratch.length > 4096) this.scratch = Buffer.alloc(0);
      } else {
        this.need = verdict;
      }
    }
    return len;
  }

  private stop(broken: Breach, frameStart: number): number {
    this.breach = broken;
    return frameStart;
  }

  /** Rules decided by the fixed header alone; sets how many body bytes the checks need. */
  private checkHeader(packetSize: number): Breach | null {
    const type = this.first >> 4;
    const flags = this.first & 0x0f;
    const remaining = this.remaining;
    this.need = 0;
    if (type === T.publish) {
      if (!this.connected) return breaches.firstNotConnect;
      if ((flags & 0x06) === 0x06) return breaches.publishQos3;
      if (packetSize > this.limits.maxPacketSize) return breaches.packetTooBig;
      if (remaining < 2) return breaches.malformed;
      this.need = 2;
      return null;
    }
    if (type === T.connect) {
      if (this.connected) return breaches.secondConnect;
    } else if (!this.connected) {
      return breaches.firstNotConnect;
    }
    const v5 = this.version === 5;
    if (v5 && packetSize > this.limits.maxPacketSize) return breaches.packetTooBig;
    switch (type) {
      case T.connect:
      case T.subscribe:
      case T.unsubscribe:
        if (flags !== (type === T.connect ? 0 : 2)) return breaches.headerFlags;
        if (packetSize > this.limits.maxPacketSize) return breaches.packetTooBig;
        if (remaining === 0) return breaches.malformed;
        this.need = remaining;
        return null;
      case T.puback:
      case T.pubrec:
      case T.pubrel:
      case T.pubcomp:
        if (flags !== (type === T.pubrel ? 2 : 0)) return breaches.headerFlags;
        if (v5 && remaining > 2) {
          this.need = remaining;
          return null;
        }
        if (remaining !== 2) return breaches.malformed;
        if (type === T.pubrel && this.awaitingRelease.size > 0) this.need = 2;
        return null;
      case T.disconnect:
        if (flags !== 0) return breaches.headerFlags;
        if (v5 && remaining > 0) {
          this.need = remaining;
          return null;
        }
        return remaining === 0 ? null : breaches.malformed;
      case T.pingreq:
        if (flags !== 0) return breaches.headerFlags;
        return remaining === 0 ? null : breaches.malformed;
      case T.connack:
      case T.suback:
      case T.unsuback:
      case T.pingresp:
        return breaches.serverOnlyType;
      case T.auth:
        if (v5) return breaches5.authPacket;
        return breaches.reservedType;
      default:
        return breaches.reservedType;
    }
  }

  /**
   * Checks the body fields in buf[start, start+avail). Returns 0 when the packet passes,
   * -1 when it breaks a rule (breach set), or the number of body bytes still needed.
   */
  private checkBody(buf: Buffer, start: number, avail: number): number {
    const type = this.first >> 4;
    if (type === T.publish) return this.version === 5 ? this.checkPublish5(buf, start, avail) : this.checkPublish(buf, start, avail);
    if (avail < this.remaining) return this.remaining;
    const end = start + this.remaining;
    const v5 = this.version === 5;
    let broken: Breach | null;
    switch (type) {
      case T.connect:
        return this.checkConnect(buf, start, end);
      case T.subscribe:
        broken = v5 ? checkSubscribe5(buf, start, end, this.limits.maxTopicDepth) : checkSubscribe(buf, start, end, this.limits.maxTopicDepth);
        break;
      case T.unsubscribe:
        broken = v5 ? checkUnsubscribe5(buf, start, end, this.limits.maxTopicDepth) : checkUnsubscribe(buf, start, end, this.limits.maxTopicDepth);
        break;
      case T.disconnect:
        broken = checkDisconnect5(buf, start, end, this.connectExpiry);
        break;
      default:
        // PUBACK, PUBREC, PUBREL, PUBCOMP.
        broken = v5 ? checkAck5(buf, start, end, type === T.puback || type === T.pubrec) : null;
        if (!broken && type === T.pubrel) this.awaitingRelease.delete((buf[start]! << 8) | buf[start + 1]!);
    }
    return broken ? this.fail(broken) : 0;
  }

  private checkConnect(buf: Buffer, start: number, end: number): number {
    const verdict = checkAnyConnect(buf, start, end, this.limits);
    if (verdict.clientId) this.clientId = verdict.clientId;
    this.version = verdict.version;
    if (verdict.breach) return this.fail(verdict.breach);
    this.clientId = verdict.clientId;
    this.connectExpiry = verdict.sessionExpiry;
    this.clientMaximumPacketSize = verdict.maximumPacketSize;
    this.connected = true;
    return 0;
  }

  private checkPublish(buf: Buffer, start: number, avail: number): number {
    const topicEnd = start + 2 + ((buf[start]! << 8) | buf[start + 1]!);
    const hasId = (this.first & 0x06) !== 0;
    const fieldsEnd = hasId ? topicEnd + 2 : topicEnd;
    if (fieldsEnd - start > this.remaining) return this.fail(breaches.malformed);
    if (fieldsEnd - start > avail) return fieldsEnd - start;
    const broken = checkTopicName(buf, start + 2, topicEnd, this.limits.maxTopicDepth);
    if (broken) return this.fail(broken);
    if (!hasId) return 0;
    const id = (buf[topicEnd]! << 8) | buf[topicEnd + 1]!;
    if (id === 0) return this.fail(breaches.packetIdZero);
    return (this.first & 0x06) === 0x04 ? this.holdForRelease(id) : 0;
  }

  /** Topic, packet id and properties of an MQTT 5 PUBLISH; topic aliases are checked against those set on this connection. */
  private checkPublish5(buf: Buffer, start: number, avail: number): number {
    const hasId = (this.first & 0x06) !== 0;
    const needs = publish5Needs(buf, start, avail, this.remaining, hasId);
    if (needs < 0) return this.fail(breaches.malformed);
    if (needs > avail) return needs;
    const f = this.fields;
    const broken = checkPublish5(buf, start, start + needs, hasId, this.limits.maxTopicDepth, f);
    if (broken) return this.fail(broken);
    if (f.topicAlias >= 0) {
      if (f.topicAlias === 0 || f.topicAlias > TOPIC_ALIAS_MAXIMUM) return this.fail(breaches5.aliasOutOfRange);
      this.aliases ??= new Set();
      if (f.topicEnd > f.topicStart) this.aliases.add(f.topicAlias);
      else if (!this.aliases.has(f.topicAlias)) return this.fail(breaches5.aliasUnknown);
    }
    return (this.first & 0x06) === 0x04 ? this.holdForRelease(f.packetId) : 0;
  }

  /** A QoS 2 message stays in the broker until its PUBREL; a retransmission takes no second place. */
  private holdForRelease(id: number): number {
    const held = this.awaitingRelease;
    if (held.has(id)) return 0;
    const limit = this.limits.maxInflight;
    if (limit > 0 && held.size >= limit) return this.fail(breaches.tooManyInflight);
    held.add(id);
    return 0;
  }

  private fail(broken: Breach): number {
    this.breach = broken;
    return -1;
  }
}

