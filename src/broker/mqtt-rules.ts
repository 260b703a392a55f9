import { isUtf8 } from 'node:buffer';

/**
 * MQTT 3.1.1 rules checked on raw bytes, field by field, without decoding packets.
 * Every check takes a buffer and a byte range so the gate can run them in place on
 * the chunks it receives; the hot ones return shared constant objects, never allocate.
 */

/** One broken rule: the spec number and a sentence for the broker log. */
export interface Breach {
  rule: string;
  reason: string;
  /** CONNACK return code the broker answers an MQTT 3.1.1 client with before it closes (only for CONNECT). */
  connackCode?: number;
  /** MQTT 5 reason code for a v5 client: in a CONNACK while it connects, in a DISCONNECT after. */
  v5Code?: number;
}

export function breach(rule: string, reason: string, connackCode?: number, v5Code?: number): Breach {
  const b: Breach = { rule, reason };
  if (connackCode !== undefined) b.connackCode = connackCode;
  if (v5Code !== undefined) b.v5Code = v5Code;
  return b;
}

// MQTT 5 reason codes for the rules both versions share (spec 2.4).
const MALFORMED = 0x81;
const PROTOCOL_ERROR = 0x82;

export const PACKET_TYPE = {
  connect: 1,
  connack: 2,
  publish: 3,
  puback: 4,
  pubrec: 5,
  pubrel: 6,
  pubcomp: 7,
  subscribe: 8,
  suback: 9,
  unsubscribe: 10,
  unsuback: 11,
  pingreq: 12,
  pingresp: 13,
  disconnect: 14,
  /** MQTT 5 only; reserved in 3.1.1. */
  auth: 15,
} as const;

export const breaches = {
  firstNotConnect: breach('MQTT-3.1.0-1', 'The first packet on the connection was not a CONNECT.', undefined, PROTOCOL_ERROR),
  secondConnect: breach('MQTT-3.1.0-2', 'The client sent a second CONNECT on the same connection.', undefined, PROTOCOL_ERROR),
  reservedType: breach('MQTT-2.2.1', 'The packet type is reserved (0 or 15).', undefined, MALFORMED),
  serverOnlyType: breach('MQTT-4.8.0-1', 'The client sent a packet type only a server may send.', undefined, PROTOCOL_ERROR),
  headerFlags: breach('MQTT-2.2.2-2', 'The fixed header flags are not the ones this packet type requires.', undefined, MALFORMED),
  publishQos3: breach('MQTT-3.3.1-4', 'A PUBLISH had both QoS bits set (QoS 3).', undefined, MALFORMED),
  badLength: breach('MQTT-2.2.3', 'The remaining length field is longer than 4 bytes.', undefined, MALFORMED),
  malformed: breach('MQTT-4.8.0-1', 'A field runs past the end of its packet or the packet has the wrong length.', undefined, MALFORMED),
  packetIdZero: breach('MQTT-2.3.1-1', 'A packet that needs a packet identifier carried 0.', undefined, PROTOCOL_ERROR),
  emptyTopic: breach('MQTT-4.7.3-1', 'A topic name or filter was empty.', undefined, PROTOCOL_ERROR),
  wildcardInTopic: breach('MQTT-3.3.2-2', 'A topic name contained a wildcard (+ or #).', undefined, MALFORMED),
  badWildcard: breach('MQTT-4.7.1-2', 'A topic filter has + or # somewhere other than a whole level (# only last).', undefined, MALFORMED),
  nulInText: breach('MQTT-1.5.3-2', 'A string contained the character U+0000.', undefined, MALFORMED),
  badUtf8: breach('MQTT-1.5.3-1', 'A string was not well-formed UTF-8 (or encoded a surrogate U+D800..U+DFFF).', undefined, MALFORMED),
  noFilters: breach('MQTT-3.8.3-3', 'A SUBSCRIBE carried no topic filters.', undefined, PROTOCOL_ERROR),
  subscribeOptions: breach('MQTT-3-8.3-4', 'A SUBSCRIBE requested QoS 3 or set reserved option bits.', undefined, PROTOCOL_ERROR),
  noUnsubscribeFilters: breach('MQTT-3.10.3-2', 'An UNSUBSCRIBE carried no topic filters.', undefined, PROTOCOL_ERROR),
  protocolName: breach('MQTT-3.1.2-1', 'The CONNECT protocol name is neither "MQTT" nor "MQIsdp".'),
  protocolLevel: breach('MQTT-3.1.2-2', 'The CONNECT protocol level is not one this broker speaks (MQTT 5, 3.1.1 or 3.1).', 1),
  connectReserved: breach('MQTT-3.1.2-3', 'The reserved bit of the CONNECT flags was set.', undefined, MALFORMED),
  willFlags: breach('MQTT-3.1.2-11', 'Will QoS or Will Retain was set without the Will flag.', undefined, MALFORMED),
  willQos3: breach('MQTT-3.1.2-14', 'The Will QoS was 3.', undefined, MALFORMED),
  passwordWithoutUser: breach('MQTT-3.1.2-22', 'The password flag was set without the user name flag.'),
  connectTrailing: breach('MQTT-4.8.0-1', 'A CONNECT had bytes after its last field.', undefined, MALFORMED),
  emptyIdKeepSession: breach('MQTT-3.1.3-8', 'An empty client id asked to keep its session (CleanSession=0).', 2),
  packetTooBig: breach('limit-packet-size', 'The packet is larger than the broker accepts.', undefined, 0x95),
  topicTooDeep: breach('limit-topic-depth', 'A topic has more levels than the broker accepts.', undefined, 0x90),
  tooManyInflight: breach('limit-inflight', 'More of its QoS 2 messages were waiting for PUBREL than the broker accepts.', undefined, 0x93),
  clientIdTooLong: breach('limit-client-id-length', 'The client id is longer than the broker accepts.', 2, 0x85),
  filterTooDeep: breach('limit-topic-depth', 'A topic has more levels than the broker accepts.', undefined, 0x8f),
} as const;

const SLASH = 0x2f;
const PLUS = 0x2b;
const HASH = 0x23;

/** Checks a string's bytes: well-formed UTF-8 (no surrogates) and no U+0000 [MQTT-1.5.3-1/2]. */
export function checkText(buf: Uint8Array, start: number, end: number): Breach | null {
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (b === 0) return breaches.nulInText;
    if (b >= 0x80) return checkTextTail(buf, i, end);
  }
  return null;
}

/** The slow path, only once a byte >= 0x80 is seen; isUtf8 rejects overlongs and surrogates. */
function checkTextTail(buf: Uint8Array, from: number, end: number): Breach | null {
  const tail = buf.subarray(from, end);
  if (!isUtf8(tail)) return breaches.badUtf8;
  // A 0x00 byte can only be the character U+0000 in well-formed UTF-8.
  return tail.indexOf(0) === -1 ? null : breaches.nulInText;
}

/** A PUBLISH (or will) topic name: not empty, no wildcards, bounded depth, valid text. */
export function checkTopicName(buf: Uint8Array, start: number, end: number, maxDepth: number): Breach | null {
  if (start === end) return breaches.emptyTopic;
  let levels = 1;
  let nonAscii = -1;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    // Every byte that needs a look is below '0' or non-ASCII; letters and digits fall straight through.
    if (b < 0x30) {
      if (b === SLASH) levels++;
      else if (b === PLUS || b === HASH) return breaches.wildcardInTopic;
      else if (b === 0) return breaches.nulInText;
    } else if (b >= 0x80 && nonAscii < 0) {
      nonAscii = i;
    }
  }
  if (levels > maxDepth) return breaches.topicTooDeep;
  return nonAscii < 0 ? null : checkTextTail(buf, nonAscii, end);
}

/** A SUBSCRIBE/UNSUBSCRIBE filter: + and # only as whole levels, # only last [MQTT-4.7.1-2/3]. */
export function checkTopicFilter(buf: Uint8Array, start: number, end: number, maxDepth: number): Breach | null {
  if (start === end) return breaches.emptyTopic;
  let levels = 1;
  let levelStart = start;
  let nonAscii = -1;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (b < 0x30) {
      if (b === SLASH) {
        levels++;
        levelStart = i + 1;
      } else if (b === PLUS) {
        if (i !== levelStart || (i + 1 !== end && buf[i + 1] !== SLASH)) return breaches.badWildcard;
      } else if (b === HASH) {
        if (i !== levelStart || i + 1 !== end) return breaches.badWildcard;
      } else if (b === 0) {
        return breaches.nulInText;
      }
    } else if (b >= 0x80 && nonAscii < 0) {
      nonAscii = i;
    }
  }
  if (levels > maxDepth) return breaches.filterTooDeep;
  return nonAscii < 0 ? null : checkTextTail(buf, nonAscii, end);
}

export interface ConnectLimits {
  maxTopicDepth: number;
  maxClientIdLength: number;
}

export interface ConnectCheck {
  breach: Breach | null;
  /** The client id as sent (empty when the broker will assign one). */
  clientId: string;
}

/**
 * Checks a whole CONNECT body (the bytes after the fixed header).
 * Order: protocol name and level first (nothing after them can be trusted otherwise),
 * then everything that makes the packet malformed, then the client id rules that get a CONNACK.
 */
export function checkConnect(buf: Uint8Array, start: number, end: number, limits: ConnectLimits): ConnectCheck {
  const fail = (b: Breach, clientId = ''): ConnectCheck => ({ breach: b, clientId });
  let at = start;
  const field = (): number => {
    // Returns the end of the length-prefixed field at `at`, or -1 when it runs past the packet.
    if (end - at < 2) return -1;
    const fieldEnd = at + 2 + ((buf[at]! << 8) | buf[at + 1]!);
    return fieldEnd > end ? -1 : fieldEnd;
  };

  const nameEnd = field();
  if (nameEnd < 0) return fail(breaches.malformed);
  const name = Buffer.from(buf.buffer, buf.byteOffset + at + 2, nameEnd - at - 2).toString('latin1');
  if (name !== 'MQTT' && name !== 'MQIsdp') return fail(breaches.protocolName);
  at = nameEnd;
  if (end - at < 4) return fail(breaches.malformed);
  // Bit 7 of the level marks a bridge (mosquitto's try_private); aedes understands it.
  const level = buf[at]! & 0x7f;
  if (level !== (name === 'MQTT' ? 4 : 3)) return fail(breaches.protocolLevel);
  const flags = buf[at + 1]!;
  at += 4; // level, flags, keep alive

  if (flags & 0x01) return fail(breaches.connectReserved);
  const will = (flags & 0x04) !== 0;
  const willQos = (flags >> 3) & 0x03;
  const willRetain = (flags & 0x20) !== 0;
  const hasPassword = (flags & 0x40) !== 0;
  const hasUser = (flags & 0x80) !== 0;
  const cleanSession = (flags & 0x02) !== 0;
  if (!will && (willQos !== 0 || willRetain)) return fail(breaches.willFlags);
  if (willQos === 3) return fail(breaches.willQos3);
  if (hasPassword && !hasUser) return fail(breaches.passwordWithoutUser);

  const idEnd = field();
  if (idEnd < 0) return fail(breaches.malformed);
  const idStart = at + 2;
  const idBreach = checkText(buf, idStart, idEnd);
  if (idBreach) return fail(idBreach);
  const clientId = Buffer.from(buf.buffer, buf.byteOffset + idStart, idEnd - idStart).toString('utf8');
  at = idEnd;

  if (will) {
    const topicEnd = field();
    if (topicEnd < 0) return fail(breaches.malformed, clientId);
    const topicBreach = checkTopicName(buf, at + 2, topicEnd, limits.maxTopicDepth);
    if (topicBreach) return fail(topicBreach, clientId);
    at = topicEnd;
    const payloadEnd = field();
    if (payloadEnd < 0) return fail(breaches.malformed, clientId);
    at = payloadEnd;
  }
  if (hasUser) {
    const userEnd = field();
    if (userEnd < 0) return fail(breaches.malformed, clientId);
    const userBreach = checkText(buf, at + 2, userEnd);
    if (userBreach) return fail(userBreach, clientId);
    at = userEnd;
  }
  if (hasPassword) {
    const passwordEnd = field();
    if (passwordEnd < 0) return fail(breaches.malformed, clientId);
    at = passwordEnd;
  }
  if (at !== end) return fail(breaches.connectTrailing, clientId);

  if (idEnd - idStart === 0 && !cleanSession) return fail(breaches.emptyIdKeepSession);
  if (idEnd - idStart > limits.maxClientIdLength) return fail(breaches.clientIdTooLong, clientId);
  return { breach: null, clientId };
}

/** Checks a SUBSCRIBE body: packet id, then at least one (filter, options) pair. */
export function checkSubscribe(buf: Uint8Array, start: number, end: number, maxDepth: number): Breach | null {
  if (end - start < 2) return breaches.malformed;
  if (buf[start] === 0 && buf[start + 1] === 0) return breaches.packetIdZero;
  let at = start + 2;
  if (at === end) return breaches.noFilters;
  while (at < end) {
    if (end - at < 2) return breaches.malformed;
    const filterEnd = at + 2 + ((buf[at]! << 8) | buf[at + 1]!);
    // The options byte must follow the filter inside the packet.
    if (filterEnd >= end) return breaches.malformed;
    const filterBreach = checkTopicFilter(buf, at + 2, filterEnd, maxDepth);
    if (filterBreach) return filterBreach;
    if (buf[filterEnd]! > 2) return breaches.subscribeOptions;
    at = filterEnd + 1;
  }
  return null;
}

/** Checks an UNSUBSCRIBE body: packet id, then at least one filter. */
export function checkUnsubscribe(buf: Uint8Array, start: number, end: number, maxDepth: number): Breach | null {
  if (end - start < 2) return breaches.malformed;
  if (buf[start] === 0 && buf[start + 1] === 0) return breaches.packetIdZero;
  let at = start + 2;
  if (at === end) return breaches.noUnsubscribeFilters;
  while (at < end) {
    if (end - at < 2) return breaches.malformed;
    const filterEnd = at + 2 + ((buf[at]! << 8) | buf[at + 1]!);
    if (filterEnd > end) return breaches.malformed;
    const filterBreach = checkTopicFilter(buf, at + 2, filterEnd, maxDepth);
    if (filterBreach) return filterBreach;
    at = filterEnd;
  }
  return null;
}
