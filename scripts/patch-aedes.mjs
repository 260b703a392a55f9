// Small fixes to aedes 2.0.0-beta.1, applied when the package is installed (postinstall).
// Each edit is found by its exact text, so running this twice changes nothing, and an aedes
// other than the one pinned in package.json stops the install with one sentence instead of
// running unpatched.
//
// - Maps keyed by strings from the wire (client ids, topic filters, broker ids) are created
//   without a prototype: a client named "constructor" or a subscription to "toString" would
//   otherwise read back an inherited function and throw out of the process.
// - A session expiry interval that is not a finite number (a CONNECT that repeats the
//   property, which mqtt-packet reads as a list) counts as 0 instead of reaching a timer that
//   throws out of the process when the client disconnects.
// - A PUBLISH larger than the Maximum Packet Size an MQTT 5 client announced is not sent to
//   it [MQTT-3.1.2-24]; the client would have to close the connection.
// - A clean session's QoS 2 messages still awaiting PUBREL are dropped when the connection
//   ends, so clients that never send PUBREL and never come back cannot grow the store.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyEdits, runWhenMain } from './patch-package.mjs';

export const AEDES_VERSION = '2.0.0-beta.1';

export const EDITS = [
  {
    file: 'aedes.js',
    from: '    this.clients = {}\n    this.brokers = {}\n',
    to: '    this.clients = Object.create(null)\n    this.brokers = Object.create(null)\n',
  },
  {
    file: 'aedes.js',
    from: '  clampSessionExpiry (interval) {\n',
    to: '  clampSessionExpiry (interval) {\n    if (!Number.isFinite(interval) || interval < 0) interval = 0\n',
  },
  {
    file: 'lib/client.js',
    from: '    this.subscriptions = {}\n    this.duplicates = {}\n',
    to: '    this.subscriptions = Object.create(null)\n    this.duplicates = Object.create(null)\n',
  },
  {
    file: 'lib/client.js',
    from: '        that.broker.scheduleSessionExpiry(that)\n      }\n',
    to:
      '        that.broker.scheduleSessionExpiry(that)\n' +
      "        if (that.clean && typeof that.broker.persistence.cleanIncoming === 'function') {\n" +
      '          that.broker.persistence.cleanIncoming(that).catch(() => {})\n' +
      '        }\n' +
      '      }\n',
  },
  {
    file: 'lib/write.js',
    from: '      const result = mqtt.writeToStream(packet, client.conn, WRITE_OPTS[version])\n',
    to:
      "      if (version === 5 && client.maximumPacketSize > 0 && packet.cmd === 'publish' &&\n" +
      '          mqtt.generate(packet, WRITE_OPTS[5]).length > client.maximumPacketSize) {\n' +
      '        setImmediate(done, null, client)\n' +
      '        return\n' +
      '      }\n' +
      '      const result = mqtt.writeToStream(packet, client.conn, WRITE_OPTS[version])\n',
  },
  {
    file: 'lib/handlers/subscribe.js',
    from: '  const dedupeSubs = {}\n',
    to: '  const dedupeSubs = Object.create(null)\n',
  },
];

/** The folder of the aedes this project imports. */
export function aedesDir() {
  return dirname(fileURLToPath(import.meta.resolve('aedes')));
}

/** Applies every edit not yet applied under `dir`; returns how many it applied. Throws one sentence when it cannot. */
export function patchAedes(dir = aedesDir()) {
  return applyEdits({ name: 'aedes', version: AEDES_VERSION, script: 'scripts/patch-aedes.mjs', dir, edits: EDITS });
}

runWhenMain(import.meta.url, 'patch-aedes', (dir) => ({ applied: patchAedes(dir ?? aedesDir()), what: `aedes ${AEDES_VERSION}` }));
