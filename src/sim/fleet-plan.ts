/**
 * Which fleet objects a process runs and how they reach the broker: the ids, the split over
 * machines (`--fleet-part i/k`), over the fleet's threads, and over gateways. Pure arithmetic, so
 * every process of a fleet spread over machines agrees on it without talking to the others.
 */

/** How the fleet's objects reach the broker: each its own connection, or a few gateways for many. */
export type FleetVia = 'connections' | 'gateway';

/** Part `index` (1-based) of `of` parts of a fleet. */
export interface FleetPart {
  index: number;
  of: number;
}

/** Ids from `first` to `last`, both included (1-based); empty when last < first. */
export interface IdRange {
  first: number;
  last: number;
}

/** Devices behind one gateway connection, as a Zigbee coordinator holds a few hundred to a thousand. */
export const DEVICES_PER_GATEWAY = 1000;

/** The id of the i-th object of the fleet (1-based): fleet00001 ... fleet100000. */
export function fleetDeviceId(i: number): string {
  return `fleet${String(i).padStart(5, '0')}`;
}

/** The gateway of the i-th object (gateway001 holds objects 1-1000, gateway002 the next...). */
export function fleetGatewayId(i: number): string {
  return `gateway${String(Math.ceil(i / DEVICES_PER_GATEWAY)).padStart(3, '0')}`;
}

/** How many consecutive ids go together: a gateway's devices never span two machines or threads. */
export function idsPerUnit(via: FleetVia): number {
  return via === 'gateway' ? DEVICES_PER_GATEWAY : 1;
}

/**
 * The ids of one part: consecutive and as even as whole units allow. Parts of the same N and k
 * never overlap and together cover 1..N.
 */
export function partRange(count: number, part: FleetPart, unit = 1): IdRange {
  return splitRange({ first: 1, last: count }, part.of, unit)[part.index - 1] ?? { first: count + 1, last: count };
}

/** A range cut into at most `pieces` consecutive ranges of whole units (the last may be short), none empty. */
export function splitRange(range: IdRange, pieces: number, unit = 1): IdRange[] {
  const size = Math.max(0, range.last - range.first + 1);
  const units = Math.ceil(size / unit);
  const n = Math.max(1, Math.min(pieces, units));
  return Array.from({ length: n }, (_, k) => ({
    first: range.first + Math.floor((k * units) / n) * unit,
    last: Math.min(range.first + Math.floor(((k + 1) * units) / n) * unit - 1, range.last),
  }));
}
