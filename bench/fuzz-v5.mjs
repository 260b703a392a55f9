// MQTT 5 frames for the fuzz run: CONNECTs with random properties, PUBLISH with user
// properties, expiry, content type, response topic, correlation data and topic aliases,
// SUBSCRIBE with options and subscription identifiers, acks and DISCONNECT with reason codes,
// and packets that repeat, misplace or truncate properties.

/** Builders over the fuzz run's seeded generator and byte helpers. */
export function mqtt5Frames({ random, int, pick, u16, str, varint, frame, topics, filters, payloads, nextId }) {
  const u32 = (n) => Buffer.from([(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
  const props = (...parts) => {
    const body = Buffer.concat(parts);
    return Buffer.concat([varint(body.length), body]);
  };
  const prop = (id, value) => Buffer.concat([Buffer.from([id]), value]);
  const user = () => prop(0x26, Buffer.concat([str(pick(['room', 'unit', 'why'])), str(pick(['kitchen', '°C', '']))]));
  const some = (choices, most = 3) => {
    const out = [];
    for (let i = int(most + 1); i > 0; i--) out.push(pick(choices)());
    return out;
  };
  // Every property but User Property at most once.
  const once = (list) => list.filter((p, i, all) => p[0] === 0x26 || all.findIndex((q) => q[0] === p[0]) === i);
  // Each connection's aliases: 1..8 are set before they are used.
  let aliasesSet = new Set();

  const connectProps = [
    () => prop(0x11, u32(pick([0, 1, 2, 3]))),
    () => prop(0x21, u16(1 + int(100))),
    () => prop(0x27, u32(1024 + int(1 << 20))),
    () => prop(0x22, u16(int(20))),
    () => prop(0x17, Buffer.from([int(2)])),
    () => prop(0x19, Buffer.from([int(2)])),
    user,
  ];
  const publishProps = [
    () => prop(0x01, Buffer.from([int(2)])),
    () => prop(0x02, u32(1 + int(5))),
    () => prop(0x03, str('application/json')),
    () => prop(0x08, str('reply/to/me')),
    () => prop(0x09, Buffer.from([0, 4, 1, 2, 3, 4])),
    user,
  ];

  function connect(id) {
    aliasesSet = new Set();
    const will = random() < 0.3;
    const flags = 0x02 | (will ? 0x04 | (int(3) << 3) : 0);
    const parts = [str('MQTT'), Buffer.from([5, flags]), u16(60), props(...once(some(connectProps, 4))), str(id)];
    if (will) parts.push(props(prop(0x18, u32(int(3))), ...once(some([user, () => prop(0x02, u32(5))], 2))), str(`will/${id}`), str('gone'));
    return frame(0x10, ...parts);
  }

  function publish(qos) {
    const list = once(some(publishProps));
    let topic = pick(topics);
    if (random() < 0.3) {
      const alias = 1 + int(8);
      list.push(prop(0x23, u16(alias)));
      if (aliasesSet.has(alias) && random() < 0.7) topic = '';
      aliasesSet.add(alias);
    }
    return frame(0x30 | (qos << 1), str(topic), qos ? u16(nextId()) : Buffer.alloc(0), props(...list), pick(payloads));
  }

  function valid() {
    const r = random();
    if (r < 0.55) return publish(0);
    if (r < 0.8) return publish(1 + int(2));
    if (r < 0.87) {
      const options = int(3) | (int(2) << 2) | (int(2) << 3) | (int(3) << 4);
      const list = random() < 0.5 ? [prop(0x0b, varint(1 + int(1000)))] : [];
      return frame(0x82, u16(nextId()), props(...list, ...some([user], 1)), str(pick(filters)), Buffer.from([options]));
    }
    if (r < 0.92) return frame(0xa2, u16(nextId()), props(...some([user], 1)), str(pick(filters)));
    if (r < 0.96) {
      // An ack for a message the broker sent, with or without a reason code and properties.
      return frame(pick([0x40, 0x50, 0x62, 0x70]), u16(nextId()), ...(random() < 0.5 ? [Buffer.from([0x00]), props(...some([user], 1))] : []));
    }
    return Buffer.from([0xc0, 0x00]);
  }

  function bad() {
    return pick([
      () => connect('again'),
      () => frame(0x30, str('home/a'), props(prop(0x02, u32(1)), prop(0x02, u32(1)))),
      () => frame(0x30, str('home/a'), props(prop(0x0b, varint(1)))),
      () => frame(0x30, str(''), props(prop(0x23, u16(60 + int(10))))),
      () => frame(0x30, str('home/a'), props(prop(0x23, u16(0)))),
      () => frame(0x30, str('home/a'), Buffer.from([0x05, 0x26, 0x00, 0x09])),
      () => frame(0x30, str('home/a'), props(Buffer.from([int(256), int(256), int(256)]))),
      () => frame(0x82, u16(nextId()), props(prop(0x0b, varint(0))), str('a'), Buffer.from([0])),
      () => frame(0x82, u16(nextId()), props(), str('$share/g/a'), Buffer.from([0x04])),
      () => frame(0x82, u16(nextId()), props(), str('a'), Buffer.from([0xc0 | int(64)])),
      () => frame(0xa2, u16(nextId()), props(prop(0x11, u32(1))), str('a')),
      () => frame(0x40, u16(1), Buffer.from([int(256)]), props(prop(0x1f, str('x')), prop(0x1f, str('y')))),
      () => frame(0xe0, Buffer.from([int(256)]), props(prop(0x11, u32(10)), prop(0x11, u32(10)))),
      () => frame(0xf0, Buffer.from([0x18]), props(prop(0x15, str('x')))),
    ])();
  }

  /** CONNECT with a session expiry interval repeated (the property aedes read as a list). */
  const repeatedExpiry = (id) => frame(0x10, str('MQTT'), Buffer.from([5, 0x02]), u16(60), props(prop(0x11, u32(60)), prop(0x11, u32(60))), str(id));

  return { connect, valid, bad, repeatedExpiry };
}
