import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../src/broker/accounts.js';
import { AclError } from '../src/broker/acl.js';
import { prepareBrokerAuth } from '../src/broker/auth-setup.js';
import { startBroker, type BrokerHandle } from '../src/broker/embedded.js';
import { openStore, type HomeStore } from '../src/store/index.js';
import { tempDir } from './fixtures/binary.js';
import { Clients } from './support/mqtt.js';

describe('setting up logins at start', () => {
  const clients = new Clients();
  let store: HomeStore | undefined;
  let broker: BrokerHandle | undefined;
  afterEach(async () => {
    await clients.closeAll();
    await broker?.close();
    await store?.close();
    broker = store = undefined;
  });

  async function storeWith(accounts: Array<{ username: string; password: string; admin: boolean }> = []): Promise<HomeStore> {
    store = await openStore({ file: join(tempDir(), 'home.json') });
    const hashed = await Promise.all(accounts.map(async (a) => ({ username: a.username, hash: await hashPassword(a.password), admin: a.admin })));
    store.update((data) => data.broker.accounts.push(...hashed));
    return store;
  }

  it('needs nothing without --auth, --acl or --student', async () => {
    const prepared = await prepareBrokerAuth({ auth: false, student: false }, await storeWith());
    expect(prepared).toEqual({ warnings: [] });
    expect(store!.data.broker.accounts).toEqual([]);
  });

  it('with --auth lets stored accounts and the devices login in, and nobody else', async () => {
    const s = await storeWith([{ username: 'alice', password: 'alice-pw', admin: false }]);
    const prepared = await prepareBrokerAuth({ auth: true, student: false }, s);
    expect(prepared.login?.username).toBe('home-devices');
    broker = await startBroker({ port: 0, host: '127.0.0.1', auth: prepared.auth });
    await clients.connect(broker.url, 'alice', { username: 'alice', password: 'alice-pw' });
    const devices = await clients.connect(broker.url, 'devices', { ...prepared.login });
    // The devices' account is an admin: it drives topics outside any user's space.
    const granted = await devices.subscribeAsync('device/+/info', { qos: 1 });
    expect(granted[0]!.qos).toBe(1);
    await expect(clients.connect(broker.url, 'student', { username: 'student', password: 'student' })).rejects.toMatchObject({ code: 4 });
    await store!.close();
    expect(readFileSync(store!.file, 'utf8')).not.toContain(prepared.login!.password);
  });

  it('with --student accepts student / student for this run only, limited to its own space', async () => {
    const s = await storeWith();
    const prepared = await prepareBrokerAuth({ auth: false, student: true }, s);
    expect(prepared.auth?.required).toBe(true);
    broker = await startBroker({ port: 0, host: '127.0.0.1', auth: prepared.auth });
    const student = await clients.connect(broker.url, 'student', { username: 'student', password: 'student' });
    expect((await student.subscribeAsync('/iot/user/student/#'))[0]!.qos).toBe(0);
    expect(s.data.broker.accounts.map((a) => a.username)).toEqual(['home-devices']);
  });

  it('with --student holds an MQTT 5 client to the same rules, with the reason codes MQTT 5 gives', async () => {
    const prepared = await prepareBrokerAuth({ auth: false, student: true }, await storeWith());
    broker = await startBroker({ port: 0, host: '127.0.0.1', auth: prepared.auth });
    const student = await clients.connect(broker.url, 'student-v5', { username: 'student', password: 'student', protocolVersion: 5 });
    expect((await student.subscribeAsync('/iot/user/student/#'))[0]!.qos).toBe(0);
    // Outside its own space: SUBACK 0x87 (not authorized), and the connection stays.
    await expect(student.subscribeAsync('/iot/user/alice/#')).rejects.toThrow('Not authorized');
    expect(student.connected).toBe(true);
    await expect(clients.connect(broker.url, 'student-v5-wrong', { username: 'student', password: 'nope', protocolVersion: 5 })).rejects.toMatchObject({ code: 0x86 });
  });

  it('keeps a stored student account as it is, and says so', async () => {
    const s = await storeWith([{ username: 'student', password: 'better-one', admin: false }]);
    const prepared = await prepareBrokerAuth({ auth: true, student: true }, s);
    expect(prepared.warnings).toEqual(['an account named student is already stored, so --student keeps its password.']);
    broker = await startBroker({ port: 0, host: '127.0.0.1', auth: prepared.auth });
    await expect(clients.connect(broker.url, 'student', { username: 'student', password: 'student' })).rejects.toMatchObject({ code: 4 });
    await clients.connect(broker.url, 'student', { username: 'student', password: 'better-one' });
  });

  it('stops with the line of a bad ACL file', async () => {
    const acl = join(tempDir(), 'home.acl');
    writeFileSync(acl, 'user alice\ntopic read /iot/user/alice/#\ntopic sometimes x\n');
    const failure = await prepareBrokerAuth({ auth: true, student: false, aclFile: acl }, await storeWith()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AclError);
    expect((failure as AclError).message).toBe(
      `The ACL file ${acl} line 3: "sometimes" is not an access word (read, write, readwrite or deny).`,
    );
  });
});
