import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { tempDir } from '../fixtures/binary.js';

export function hasMosquitto(): boolean {
  return spawnSync('mosquitto', ['-h']).error === undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A mosquitto on a free loopback port, ready once a client gets in; `stop` ends it by its pid. */
export async function startMosquitto(extraConfig = ''): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const dir = tempDir();
  writeFileSync(join(dir, 'mosquitto.conf'), `listener ${port} 127.0.0.1\nallow_anonymous true\n${extraConfig}`);
  const mosquitto = spawn('mosquitto', ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  const exited = once(mosquitto, 'exit');
  const url = `mqtt://127.0.0.1:${port}`;
  const stop = async () => {
    mosquitto.kill('SIGTERM');
    await exited;
  };
  const reachable = () =>
    connectAsync(url, { reconnectPeriod: 0, connectTimeout: 1000 }).then(
      (client) => client.endAsync().then(() => true),
      () => false,
    );
  const until = Date.now() + 5_000;
  while (!(await reachable())) {
    if (Date.now() > until) {
      await stop();
      throw new Error(`mosquitto did not accept connections on port ${port}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url, stop };
}
