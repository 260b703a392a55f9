import { breach, checkText, checkTopicName, type Breach } from './mqtt-rules.js';

/**
 * MQTT 5 properties (spec 2.2.2) checked on raw bytes: which identifiers each packet a
 * client sends may carry, their types and lengths, duplicates, UTF-8, and the values the
 * spec bounds. The values the gate needs later are left in a reused PropertyValues.
 */

/** MQTT 5 reason codes the gate answers with (spec 2.4). */
export const RC = {
  malformed: 0x81,
  protocolError: 0x82,
  clientIdNotValid: 0x85,
  badAuthMethod: 0x8c,
  topicFilterInvalid: 0x8f,
  topicNameInvalid: 0x90,
  receiveMaximumExceeded: 0x93,
  topicAliasInvalid: 0x94,
  packetTooLarge: 0x95,
} as const;

const V5 = (section: string, reason: string, code: number): Breach => breach(`MQTT5-${section}`, reason, undefined, code);

export const breaches5 = {
  unknownProperty: V5('2.2.2.2', 'A property identifier is not one this packet type may carry.', RC.malformed),
  propertyLength: V5('2.2.2.1', 'The properties run past their length or past the packet.', RC.malformed),
  duplicateProperty: V5('2.2.2.2', 'A property that may appear once appeared twice.', RC.protocolError),
  propertyValue: V5('2.2.2.2', 'A property has a value the spec does not allow (e.g. a flag other than 0 or 1, or 0 where 0 is forbidden).', RC.protocolError),
  serverOnlyProperty: V5('3.3.4', 'A client sent a property only a server may send (Subscription Identifier in PUBLISH, Server Reference).', RC.protocolError),
  responseTopic: V5('3.3.2.3.5', 'The Response Topic is not a valid topic name (wildcards or bad UTF-8).', RC.protocolError),
  badVarint: V5('1.5.5', 'A variable byte integer is longer than 4 bytes.', RC.malformed),
  authMethod: V5('4.12', 'The CONNECT asked for an authentication method this broker does not support.', RC.badAuthMethod),
  authPacket: V5('4.12', 'The client sent AUTH, but no authentication method was agreed in CONNECT.', RC.protocolError),
  reasonCode: V5('2.4', 'A reason code is not one this packet type may carry from a client.', RC.protocolError),
  aliasOutOfRange: V5('3.3.2.3.4', 'A Topic Alias was 0 or above the Topic Alias Maximum the broker announced.', RC.topicAliasInvalid),
  aliasUnknown: V5('3.3.2.3.4', 'A PUBLISH with an empty topic used a Topic Alias not set on this connection.', RC.protocolError),
  emptyTopicNoAlias: V5('3.3.2.1', 'A PUBLISH had an empty topic name and no Topic Alias.', RC.protocolError),
  subscriptionId: V5('3.8.2.1.2', 'A Subscription Identifier was 0.', RC.protocolError),
  subscribeReserved: V5('3.8.3.1', 'A SUBSCRIBE set the reserved option bits 6 and 7.', RC.malformed),
  subscribeQos3: V5('3.8.3.1', 'A SUBSCRIBE asked for QoS 3 or Retain Handling 3.', RC.protocolError),
  sharedName: V5('4.8.2', 'A shared subscription has an empty share name, a wildcard or no filter after it.', RC.protocolError),
  sharedNoLocal: V5('3.8.3.1', 'A shared subscription set No Local.', RC.protocolError),
  disconnectExpiry: V5('3.14.2.2.2', 'A DISCONNECT set a session expiry interval although the CONNECT set none.', RC.protocolError),
} as const;

const BYTE = 1;
const U16 = 2;
const U32 = 4;
const VARINT = 5;
const TEXT = 6;
const BINARY = 7;
const PAIR = 8;

/** Property identifier -> its data type (spec 2.2.2.2, table 2-4). */
const TYPE: Record<number, number> = {
  0x01: BYTE, 0x02: U32, 0x03: TEXT, 0x08: TEXT, 0x09: BINARY, 0x0b: VARINT, 0x11: U32, 0x12: TEXT,
  0x13: U16, 0x15: TEXT, 0x16: BINARY, 0x17: BYTE, 0x18: U32, 0x19: BYTE, 0x1a: TEXT, 0x1c: TEXT,
  0x1f: TEXT, 0x21: U16, 0x22: U16, 0x23: U16, 0x24: BYTE, 0x25: BYTE, 0x26: PAIR, 0x27: U32,
  0x28: BYTE, 0x29: BYTE, 0x2a: BYTE,
};

/** Which properties a client may send in each place. */
export const ALLOWED = {
  connect: new Set([0x11, 0x21, 0x27, 0x22, 0x19, 0x17, 0x26, 0x15, 0x16]),
  will: new Set([0x18, 0x01, 0x02, 0x03, 0x08, 0x09, 0x26]),
  // 0x0b is a valid PUBLISH property, but only from a server (checked as such below).
  publish: new Set([0x01, 0x02, 0x23, 0x08, 0x09, 0x26, 0x03, 0x0b]),
  ack: new Set([0x1f, 0x26]),
  subscribe: new Set([0x0b, 0x26]),
  unsubscribe: new Set([0x26]),
  disconnect: new Set([0x11, 0x1f, 0x26, 0x1c]),
} as const;

const USER_PROPERTY = 0x26;

/** What the gate keeps from the properties it read; reset by every checkProperties call. */
export class PropertyValues {
  topicAlias = -1;
  sessionExpiry = -1;
  maximumPacketSize = -1;
  authMethod = false;

  reset(): void {
    this.topicAlias = -1;
    this.sessionExpiry = -1;
    this.maximumPacketSize = -1;
    this.authMethod = false;
  }
}

/** Reads a variable byte integer at `at`; returns [value, end] or null when it runs past `end` or is too long. */
export function readVarint(buf: Uint8Array, at: number, end: number): [number, number] | Breach {
  let value = 0;
  let multiplier = 1;
  for (let i = 0; i < 4; i++) {
    if (at + i >= end) return breaches5.propertyLength;
    const b = buf[at + i]!;
    value += (b & 0x7f) * multiplier;
    if ((b & 0x80) === 0) return [value, at + i + 1];
    multiplier *= 128;
  }
  return breaches5.badVarint;
}

/** How many bytes a variable byte integer starting at `at` takes, if its bytes are there; 0 when more are needed. */
export function varintSize(buf: Uint8Array, at: number, avail: number): number {
  for (let i = 0; i < 4 && at + i < avail; i++) if ((buf[at + i]! & 0x80) === 0) return i + 1;
  return avail - at >= 4 ? 5 : 0;
}

function fieldEnd(buf: Uint8Array, at: number, end: number): number {
  if (end - at < 2) return -1;
  const e = at + 2 + ((buf[at]! << 8) | buf[at + 1]!);
  return e > end ? -1 : e;
}

/**
 * Checks the property list in buf[start, end) (the length field already read) against the
 * identifiers `allowed` in this place; fills `out`. Returns null when every property is fine.
 */
export function checkProperties(buf: Uint8Array, start: number, end: number, allowed: ReadonlySet<number>, out: PropertyValues): Breach | null {
  out.reset();
  let seenLow = 0;
  let seenHigh = 0;
  let at = start;
  while (at < end) {
    const id = buf[at++]!;
    const type = TYPE[id];
    if (type === undefined || !allowed.has(id)) return breaches5.unknownProperty;
    if (id !== USER_PROPERTY && !(id === 0x0b && allowed === ALLOWED.publish)) {
      const bit = 1 << (id & 31);
      if (id < 32 ? seenLow & bit : seenHigh & bit) return breaches5.duplicateProperty;
      if (id < 32) seenLow |= bit;
      else seenHigh |= bit;
    }
    let value = 0;
    switch (type) {
      case BYTE:
        if (at + 1 > end) return breaches5.propertyLength;
        value = buf[at]!;
        at += 1;
        if (value > 1) return breaches5.propertyValue;
        break;
      case U16:
        if (at + 2 > end) return breaches5.propertyLength;
        value = (buf[at]! << 8) | buf[at + 1]!;
        at += 2;
        break;
      case U32:
        if (at + 4 > end) return breaches5.propertyLength;
        value = buf[at]! * 0x1000000 + ((buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!);
        at += 4;
        break;
      case VARINT: {
        const read = readVarint(buf, at, end);
        if (!Array.isArray(read)) return read;
        [value, at] = read;
        break;
      }
      case TEXT:
      case BINARY:
      case PAIR: {
        const textEnd = fieldEnd(buf, at, end);
        if (textEnd < 0) return breaches5.propertyLength;
        if (type !== BINARY) {
          const broken = id === 0x08 ? checkTopicName(buf, at + 2, textEnd, Number.MAX_SAFE_INTEGER) : checkText(buf, at + 2, textEnd);
          if (broken) return id === 0x08 ? breaches5.responseTopic : broken;
        }
        at = textEnd;
        if (type === PAIR) {
          const valueEnd = fieldEnd(buf, at, end);
          if (valueEnd < 0) return breaches5.propertyLength;
          const broken = checkText(buf, at + 2, valueEnd);
          if (broken) return broken;
          at = valueEnd;
        }
        break;
      }
    }
    const broken = noteValue(id, value, allowed, out);
    if (broken) return broken;
  }
  return null;
}

/** The bounds on single values, and the values the gate keeps. */
function noteValue(id: number, value: number, allowed: ReadonlySet<number>, out: PropertyValues): Breach | null {
  switch (id) {
    case 0x0b:
      if (allowed === ALLOWED.publish) return breaches5.serverOnlyProperty;
      return value === 0 ? breaches5.subscriptionId : null;
    case 0x1c:
      return breaches5.serverOnlyProperty;
    case 0x21:
    case 0x27:
      if (value === 0) return breaches5.propertyValue;
      if (id === 0x27) out.maximumPacketSize = value;
      return null;
    case 0x23:
      out.topicAlias = value;
      return null;
    case 0x11:
      out.sessionExpiry = value;
      return null;
    case 0x15:
      out.authMethod = true;
      return null;
    default:
      return null;
  }
}
