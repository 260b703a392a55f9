import {
  breaches,
  checkConnect,
  checkText,
  checkTopicFilter,
  checkTopicName,
  type Breach,
  type ConnectCheck,
  type ConnectLimits,
} from './mqtt-rules.js';
import { ALLOWED, breaches5, checkProperties, PropertyValues, readVarint } from './mqtt5-properties.js';

/**
 * MQTT 5 packets from a client, checked on raw bytes like the 3.1.1 ones in mqtt-rules.ts:
 * the same field rules, plus properties, reason codes, shared subscriptions and the
 * subscription options v5 adds. A CONNECT of any version comes in through checkAnyConnect.
 */

export interface Connect5Check extends ConnectCheck {
  /** 5, 4 (3.1.1) or 3 (3.1); 0 when the CONNECT was refused before its level was read. */
  version: number;
  /** The session expiry interval the CONNECT asked for (0 when absent). */
  sessionExpiry: number;
  /** The largest packet the client accepts; 0 = no limit. */
  maximumPacketSize: number;
}

const values = new PropertyValues();

/** Reads a property length and checks the properties after it; returns their end, or the breach. */
function properties(buf: Uint8Array, at: number, end: number, allowed: ReadonlySet<number>): number | Breach {
  const read = readVarint(buf, at, end);
  if (!Array.isArray(read)) return read;
  const [length, start] = read;
  if (start + length > end) return breaches5.propertyLength;
  return checkProperties(buf, start, start + length, allowed, values) ?? start + length;
}

function fieldEnd(buf: Uint8Array, at: number, end: number): number {
  if (end - at < 2) return -1;
  const e = at + 2 + ((buf[at]! << 8) | buf[at + 1]!);
  return e > end ? -1 : e;
}

/** Checks a CONNECT body of any protocol version. */
export function checkAnyConnect(buf: Uint8Array, start: number, end: number, limits: ConnectLimits): Connect5Check {
  // "MQTT" then level 5: the only layout that is MQTT 5; everything else keeps the 3.1.1 rules.
  const isV5 = end - start >= 7 && buf[start] === 0 && buf[start + 1] === 4 && buf[start + 6] === 5 &&
    buf[start + 2] === 0x4d && buf[start + 3] === 0x51 && buf[start + 4] === 0x54 && buf[start + 5] === 0x54;
  if (!isV5) {
    const check = checkConnect(buf, start, end, limits);
    const level = end - start >= 7 ? buf[start + 2 + ((buf[start]! << 8) | buf[start + 1]!)]! & 0x7f : 0;
    return { ...check, version: level, sessionExpiry: 0, maximumPacketSize: 0 };
  }
  return checkConnect5(buf, start + 7, end, limits);
}

function checkConnect5(buf: Uint8Array, at: number, end: number, limits: ConnectLimits): Connect5Check {
  let clientId = '';
  let sessionExpiry = 0;
  let maximumPacketSize = 0;
  const fail = (b: Breach): Connect5Check => ({ breach: b, clientId, version: 5, sessionExpiry, maximumPacketSize });
  if (end - at < 3) return fail(breaches.malformed);
  const flags = buf[at]!;
  at += 3; // flags, keep alive
  if (flags & 0x01) return fail(breaches.connectReserved);
  const will = (flags & 0x04) !== 0;
  const willQos = (flags >> 3) & 0x03;
  if (!will && (willQos !== 0 || (flags & 0x20) !== 0)) return fail(breaches.willFlags);
  if (willQos === 3) return fail(breaches.willQos3);

  const propsEnd = properties(buf, at, end, ALLOWED.connect);
  if (typeof propsEnd !== 'number') return fail(propsEnd);
  if (values.sessionExpiry > 0) sessionExpiry = values.sessionExpiry;
  if (values.maximumPacketSize > 0) maximumPacketSize = values.maximumPacketSize;
  const authMethod = values.authMethod;
  at = propsEnd;

  const idEnd = fieldEnd(buf, at, end);
  if (idEnd < 0) return fail(breaches.malformed);
  const idBreach = checkText(buf, at + 2, idEnd);
  if (idBreach) return fail(idBreach);
  clientId = Buffer.from(buf.buffer, buf.byteOffset + at + 2, idEnd - at - 2).toString('utf8');
  const idLength = idEnd - at - 2;
  at = idEnd;

  if (will) {
    const willPropsEnd = properties(buf, at, end, ALLOWED.will);
    if (typeof willPropsEnd !== 'number') return fail(willPropsEnd);
    at = willPropsEnd;
    const topicEnd = fieldEnd(buf, at, end);
    if (topicEnd < 0) return fail(breaches.malformed);
    const topicBreach = checkTopicName(buf, at + 2, topicEnd, limits.maxTopicDepth);
    if (topicBreach) return fail(topicBreach);
    at = fieldEnd(buf, topicEnd, end);
    if (at < 0) return fail(breaches.malformed);
  }
  if (flags & 0x80) {
    const userEnd = fieldEnd(buf, at, end);
    if (userEnd < 0) return fail(breaches.malformed);
    const userBreach = checkText(buf, at + 2, userEnd);
    if (userBreach) return fail(userBreach);
    at = userEnd;
  }
  // MQTT 5 allows a password without a user name (3.1.2.9).
  if (flags & 0x40) {
    at = fieldEnd(buf, at, end);
    if (at < 0) return fail(breaches.malformed);
  }
  if (at !== end) return fail(breaches.connectTrailing);
  if (authMethod) return fail(breaches5.authMethod);
  // An empty client id is fine in MQTT 5 whatever Clean Start says: the broker assigns one (3.1.3.1).
  if (idLength > limits.maxClientIdLength) return fail(breaches.clientIdTooLong);
  return { breach: null, clientId, version: 5, sessionExpiry, maximumPacketSize };
}

/** Where a v5 PUBLISH's checked fields end: topic, packet id, properties. */
export interface Publish5Fields {
  topicStart: number;
  topicEnd: number;
  /** 0 for QoS 0. */
  packetId: number;
  /** -1 when absent. */
  topicAlias: number;
}

/**
 * How many body bytes a v5 PUBLISH needs before its fields can be checked (all of them are
 * in buf[start, start+avail) when the answer is <= avail); -1 when they run past `remaining`.
 */
export function publish5Needs(buf: Uint8Array, start: number, avail: number, remaining: number, hasId: boolean): number {
  let need = 2 + ((buf[start]! << 8) | buf[start + 1]!) + (hasId ? 2 : 0) + 1;
  if (need > remaining) return -1;
  if (need > avail) return need;
  // The property length: up to 4 bytes, then the properties themselves.
  let length = 0;
  let multiplier = 1;
  for (let i = 0; i < 4; i++) {
    if (need > remaining) return -1;
    if (need > avail) return need;
    const b = buf[start + need - 1]!;
    length += (b & 0x7f) * multiplier;
    if ((b & 0x80) === 0) {
      need += length;
      return need > remaining ? -1 : need;
    }
    multiplier *= 128;
    need++;
  }
  return -1;
}

/** Checks the fields of a v5 PUBLISH whose first `publish5Needs` bytes are in buf from `start`. */
export function checkPublish5(buf: Uint8Array, start: number, end: number, hasId: boolean, maxDepth: number, out: Publish5Fields): Breach | null {
  const topicEnd = start + 2 + ((buf[start]! << 8) | buf[start + 1]!);
  out.topicStart = start + 2;
  out.topicEnd = topicEnd;
  let at = topicEnd;
  out.packetId = 0;
  if (hasId) {
    out.packetId = (buf[at]! << 8) | buf[at + 1]!;
    if (out.packetId === 0) return breaches.packetIdZero;
    at += 2;
  }
  const propsEnd = properties(buf, at, end, ALLOWED.publish);
  if (typeof propsEnd !== 'number') return propsEnd;
  out.topicAlias = values.topicAlias;
  if (topicEnd === start + 2) return out.topicAlias < 0 ? breaches5.emptyTopicNoAlias : null;
  return checkTopicName(buf, start + 2, topicEnd, maxDepth);
}

const ACK_CODES = new Set([0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99]);
const RELEASE_CODES = new Set([0x00, 0x92]);
const DISCONNECT_CODES = new Set([0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99]);

/** PUBACK, PUBREC (first = true for these two), PUBREL, PUBCOMP: packet id, then an optional reason code and properties. */
export function checkAck5(buf: Uint8Array, start: number, end: number, ackOrRec: boolean): Breach | null {
  if (end - start < 2) return breaches.malformed;
  if (end - start === 2) return null;
  if (!(ackOrRec ? ACK_CODES : RELEASE_CODES).has(buf[start + 2]!)) return breaches5.reasonCode;
  if (end - start === 3) return null;
  const propsEnd = properties(buf, start + 3, end, ALLOWED.ack);
  if (typeof propsEnd !== 'number') return propsEnd;
  return propsEnd === end ? null : breaches.malformed;
}

/** DISCONNECT: an optional reason code and properties; `connectExpiry` is the CONNECT's session expiry interval. */
export function checkDisconnect5(buf: Uint8Array, start: number, end: number, connectExpiry: number): Breach | null {
  if (end === start) return null;
  if (!DISCONNECT_CODES.has(buf[start]!)) return breaches5.reasonCode;
  if (end - start === 1) return null;
  const propsEnd = properties(buf, start + 1, end, ALLOWED.disconnect);
  if (typeof propsEnd !== 'number') return propsEnd;
  if (propsEnd !== end) return breaches.malformed;
  return connectExpiry === 0 && values.sessionExpiry > 0 ? breaches5.disconnectExpiry : null;
}

const SHARE = '$share/';

/** A filter, or a shared subscription `$share/{name}/{filter}` with a name free of wildcards and slashes. */
function checkFilter5(buf: Uint8Array, start: number, end: number, maxDepth: number, options: number): Breach | null {
  if (end - start > SHARE.length && Buffer.from(buf.buffer, buf.byteOffset + start, SHARE.length).toString('latin1') === SHARE) {
    const nameStart = start + SHARE.length;
    let slash = nameStart;
    while (slash < end && buf[slash] !== 0x2f) {
      if (buf[slash] === 0x2b || buf[slash] === 0x23) return breaches5.sharedName;
      slash++;
    }
    if (slash === nameStart || slash + 1 >= end) return breaches5.sharedName;
    if (options & 0x04) return breaches5.sharedNoLocal;
    return checkText(buf, nameStart, slash) ?? checkTopicFilter(buf, slash + 1, end, maxDepth);
  }
  return checkTopicFilter(buf, start, end, maxDepth);
}

/** SUBSCRIBE: packet id, properties, then (filter, options) pairs. */
export function checkSubscribe5(buf: Uint8Array, start: number, end: number, maxDepth: number): Breach | null {
  if (end - start < 2) return breaches.malformed;
  if (buf[start] === 0 && buf[start + 1] === 0) return breaches.packetIdZero;
  const propsEnd = properties(buf, start + 2, end, ALLOWED.subscribe);
  if (typeof propsEnd !== 'number') return propsEnd;
  let at = propsEnd;
  if (at === end) return breaches.noFilters;
  while (at < end) {
    const filterEnd = fieldEnd(buf, at, end);
    if (filterEnd < 0 || filterEnd >= end) return breaches.malformed;
    const options = buf[filterEnd]!;
    if (options & 0xc0) return breaches5.subscribeReserved;
    if ((options & 0x03) === 3 || (options & 0x30) === 0x30) return breaches5.subscribeQos3;
    const broken = checkFilter5(buf, at + 2, filterEnd, maxDepth, options);
    if (broken) return broken;
    at = filterEnd + 1;
  }
  return null;
}

/** UNSUBSCRIBE: packet id, properties, then filters. */
export function checkUnsubscribe5(buf: Uint8Array, start: number, end: number, maxDepth: number): Breach | null {
  if (end - start < 2) return breaches.malformed;
  if (buf[start] === 0 && buf[start + 1] === 0) return breaches.packetIdZero;
  const propsEnd = properties(buf, start + 2, end, ALLOWED.unsubscribe);
  if (typeof propsEnd !== 'number') return propsEnd;
  let at = propsEnd;
  if (at === end) return breaches.noUnsubscribeFilters;
  while (at < end) {
    const filterEnd = fieldEnd(buf, at, end);
    if (filterEnd < 0) return breaches.malformed;
    const broken = checkFilter5(buf, at + 2, filterEnd, maxDepth, 0);
    if (broken) return broken;
    at = filterEnd;
  }
  return null;
}
