// topics: the Topics screen with 100,000 topics and 10,000 msgs/s: key -> frame on the screen,
// and broker throughput with the screen open against the program headless. Asserts nothing.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import mqtt from 'mqtt';
import { fmt, median, percentile, rssMb, spread, startHeadless, STATUS_BAR, table, TerminalRun } from './app-suites.mjs';
import { runLoad } from './mqtt-load.mjs';
import { freePort, stopProgram } from './processes.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const GROUPS = 100;
const topicOf = (i) => `bench/topics/${i % GROUPS}/${i}`;

/** Publishes one message on each of `count` distinct topics, as fast as the broker takes them. */
async function seedTopics(url, count) {
  const client = await mqtt.connectAsync(url, { clientId: `bench-seed-${process.pid}`, reconnectPeriod: 0 });
  for (let i = 0; i < count; i++) {
    client.publish(topicOf(i), JSON.stringify({ value: i % 50 }), { qos: 0 });
    if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
  }
  await client.publishAsync('bench-seeded', 'done', { qos: 1 });
  await client.endAsync();
}

/** Down and Up in turn on the folded groups; each timed until the Message pane names the new group. */
function timeKeys(terminal, presses) {
  return terminal.timeKeysInTurn(
    presses,
    { key: 'Down', shows: (screen) => screen.includes('bench/topics/1:'), what: 'bench/topics/1:' },
    { key: 'Up', shows: (screen) => screen.includes('bench/topics/0:'), what: 'bench/topics/0:' },
  );
}

export async function topicsSuite({ repoRoot, workDir, loadBinary, reps = 3, rate = 10_000, topics = 100_000, presses = 40 }) {
  const runs = [];
  for (let rep = 1; rep <= reps; rep++) {
    for (const mode of ['headless', 'topics screen']) {
      const dataDir = path.join(workDir, `topics-${rep}-${mode === 'headless' ? 'headless' : 'ui'}`);
      await mkdir(dataDir);
      let terminal;
      let port;
      let pid;
      let stop;
      if (mode === 'headless') {
        const app = await startHeadless(repoRoot, dataDir);
        ({ port, pid } = app);
        stop = () => stopProgram(app.program);
      } else {
        port = await freePort();
        terminal = new TerminalRun({ repoRoot, dataDir, port, traceFile: path.join(dataDir, 'frames.trace') });
        await terminal.waitFor((screen) => STATUS_BAR.test(screen), 'the connected status bar', 60_000);
        pid = terminal.pid;
        stop = () => terminal.stop();
      }
      const url = `mqtt://127.0.0.1:${port}`;
      try {
        await seedTopics(url, topics);
        if (terminal) {
          for (let i = 0; i < 5; i++) terminal.keys(']');
          await terminal.waitFor((screen) => screen.includes('1 Topics') && screen.includes('bench ('), 'the Topics screen', 60_000);
          // bench is the first root by name; unfold it and its one child, then stand on group 0.
          terminal.keys('Enter');
          await terminal.waitFor((screen) => screen.includes('▾ bench'), 'bench unfolded');
          await terminal.waitFor((screen) => screen.includes(`▸ topics (${topics})`), 'bench unfolded', 60_000);
          // A topic of the home's can arrive and take a row above while the keys travel, so step
          // down until the header names bench/topics rather than counting rows.
          await stepDownTo(terminal, `bench/topics: ${topics} topics`, 'topics selected');
          terminal.keys('Enter');
          await terminal.waitFor((screen) => screen.includes('▾ topics'), 'topics unfolded');
          await stepDownTo(terminal, 'bench/topics/0:', 'group 0 selected');
        }
        // The flood from the C load tool (a Node publisher cannot hold 10,000 msgs/s on a busy machine), on ten topics of its own.
        const seconds = Math.ceil((presses * 0.25 + 6) * 1.5);
        const floodArgs = ['--pubs', '10', '--subs', '1', '--qos', '0', '--size', '64', '--prefix', 'flood', '--rate', String(rate)];
        const load = runLoad(loadBinary, [...floodArgs, '--count', String(Math.ceil((rate * seconds) / 10)), '--port', String(port), '--broker-pid', String(pid)], seconds + 60);
        await sleep(2000);
        const keyMs = terminal ? await timeKeys(terminal, presses) : [];
        const rss = rssMb(pid);
        const sent = (await load).result;
        // Then max-rate fan-in (S1) with the index full: what the open screen costs the broker.
        const s1 = ['--pubs', '4', '--subs', '1', '--qos', '0', '--size', '64', '--port', String(port)];
        await runLoad(loadBinary, [...s1, '--count', '10000'], 120);
        const full = await runLoad(loadBinary, [...s1, '--count', '100000', '--broker-pid', String(pid)], 120);
        runs.push({ rep, mode, keyMs, flood: sent, maxRate: full.result, rssMb: rss });
        process.stderr.write(
          `bench: topics ${rep}/${reps} ${mode}: flood ${fmt(sent?.throughput_msgs_s)} msgs/s lost ${sent?.lost} p99 ${fmt(sent?.lat_p99_us)} µs; S1 ${fmt(full.result?.throughput_msgs_s)} msgs/s; rss ${fmt(rss)} MB` +
            (terminal ? `; key->frame p95 ${fmt(percentile(keyMs, 95), 1)} ms` : '') +
            '\n',
        );
      } finally {
        await stop();
        await rm(dataDir, { recursive: true, force: true });
      }
    }
  }
  const of = (mode) => runs.filter((r) => r.mode === mode);
  const s1 = (list) => list.map((r) => r.maxRate?.throughput_msgs_s ?? NaN);
  const ratio = median(s1(of('topics screen'))) / median(s1(of('headless')));
  const allKeys = of('topics screen').flatMap((r) => r.keyMs);
  const rows = ['headless', 'topics screen'].map((mode) => [
    mode,
    spread(s1(of(mode))),
    spread(of(mode).map((r) => r.flood?.throughput_msgs_s ?? NaN)),
    spread(of(mode).map((r) => r.flood?.lost ?? NaN)),
    spread(of(mode).map((r) => r.flood?.lat_p99_us ?? NaN)),
    spread(of(mode).map((r) => r.rssMb)),
  ]);
  return {
    title: `Topics screen (${reps} reps; ${topics} topics seeded, ${rate} msgs/s over them while keys are pressed, then S1 max-rate fan-in)`,
    table:
      table(['mode', 'S1 msgs/s', 'flood msgs/s', 'flood lost', 'flood p99 µs', 'RSS MB'], rows) +
      `\n\nS1 topics screen/headless: ${fmt(ratio, 2)}x\n` +
      `key -> frame on the Topics screen, p50 ${fmt(percentile(allKeys, 50), 1)} ms, p95 ${fmt(percentile(allKeys, 95), 1)} ms over ${allKeys.length} presses\n`,
    json: { runs, ratio },
  };
}

/** Press Down, one frame at a time, until the screen shows `text` (at most ten presses). */
async function stepDownTo(terminal, text, what) {
  for (let i = 0; i < 10; i++) {
    const before = terminal.screen();
    if (before.includes(text)) return;
    terminal.keys('Down');
    // The counts change all the time; the Message pane's first line changes only with the cursor.
    await terminal.waitFor((screen) => screen.includes(text) || messageHead(screen) !== messageHead(before), what);
  }
  await terminal.waitFor((screen) => screen.includes(text), what);
}

/** The first line of the Message pane, which names what the cursor stands on. */
function messageHead(screen) {
  const lines = screen.split('\n');
  const top = lines.findIndex((line) => line.includes('2 Message'));
  return top < 0 ? '' : (lines[top + 1] ?? '').split('││')[1] ?? '';
}
