// MQTT's byte layouts, for the benchmarks that write packets by hand (the load generator for
// MQTT 5 and the fuzzer): the same layout the tests' raw client uses.

/** A two-byte big-endian integer. */
export const u16 = (n) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);

/** A string (or bytes) prefixed with its length in bytes. */
export const str = (s) => {
  const b = Buffer.isBuffer(s) ? s : Buffer.from(s);
  return Buffer.concat([u16(b.length), b]);
};

/** A variable byte integer (remaining length, property lengths). */
export function varint(n) {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}

/** A whole packet: first byte, remaining length, body. */
export const frame = (first, ...parts) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([first]), varint(body.length), body]);
};
