// Measurements of the whole program beyond broker throughput: the UI under a flood, store
// writes, memory over a long flood, start-up time and the fleet. Each suite returns
// { title, table, json } and asserts nothing.
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import mqtt from 'mqtt';
import { runLoad } from './mqtt-load.mjs';
import { freePort, startProgram, stopProgram, waitForLine } from './processes.mjs';
import { fleetSuite } from './fleet-suite.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Environment for the program: nothing of the caller's SMART_HOME_TUI_* settings, plus `extra`. */
function programEnv(extra = {}) {
  return {
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('SMART_HOME_TUI_') && !key.startsWith('TMUX'))),
    ...extra,
  };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export const fmt = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
export const spread = (values, digits = 0) =>
  values.length === 0 ? '-' : `${fmt(median(values), digits)} [${fmt(Math.min(...values), digits)}-${fmt(Math.max(...values), digits)}]`;

export function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => String(row[i]).length)));
  const line = (cells) => cells.map((cell, i) => String(cell).padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Resident set size of a process in MB (the whole process: main thread, broker thread, buffers). */
export function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** The program headless on a free port with a fresh data file; resolves once the broker listens. */
export async function startHeadless(repoRoot, dataDir, extraArgs = [], env = {}) {
  const port = await freePort();
  const program = startProgram(
    process.execPath,
    [path.join(repoRoot, 'bin', 'smart-home-tui.js'), '--headless', '--port', String(port), '--data', path.join(dataDir, 'home.json'), ...extraArgs],
    { cwd: dataDir, env: programEnv(env) },
  );
  await waitForLine(program, /broker on mqtt:\/\/127\.0\.0\.1:(\d+)/, 60_000);
  return { program, port, pid: program.pid };
}

// ---------------------------------------------------------------------------------------------
// The program in a terminal: a private tmux server per run.
// ---------------------------------------------------------------------------------------------

const shellQuote = (text) => `'${String(text).replace(/'/g, `'\\''`)}'`;

export class TerminalRun {
  constructor({ repoRoot, dataDir, port, traceFile, columns = 120, rows = 40, extraArgs = [] }) {
    this.socket = `shb-${process.pid}-${Math.random().toString(16).slice(2, 8)}`;
    this.traceFile = traceFile;
    const env = programEnv({ SMART_HOME_TUI_TRACE_FRAMES: traceFile, TERM: 'xterm-256color' });
    const envText = Object.entries(env)
      .map(([key, value]) => `${key}=${shellQuote(value ?? '')}`)
      .join(' ');
    const args = [path.join(repoRoot, 'bin', 'smart-home-tui.js'), '--port', String(port), '--data', path.join(dataDir, 'home.json'), ...extraArgs];
    // exec keeps the pane's pid the program's own, so it can be stopped by pid.
    const command = `ulimit -n 65536 2>/dev/null; exec env -i ${envText} ${shellQuote(process.execPath)} ${args.map(shellQuote).join(' ')}`;
    this.spawnedAtLocal = performance.now();
    this.spawnedAt = performance.timeOrigin + this.spawnedAtLocal;
    execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', 'new-session', '-d', '-s', 'app', '-c', dataDir, '-x', String(columns), '-y', String(rows), command]);
    this.pid = Number(execFileSync('tmux', ['-L', this.socket, 'list-panes', '-t', 'app', '-F', '#{pane_pid}'], { encoding: 'utf8' }).trim());
    // A control-mode client of the same server: tmux tells it of each piece of output the
    // program writes (%output), so the screen is looked at when it may have changed instead
    // of by a tmux process every millisecond (on two cores, that polling took a large share).
    this.lastOutputAt = -Infinity;
    this.outputWaiters = new Set();
    this.control = spawn('tmux', ['-L', this.socket, '-C', 'attach', '-t', 'app'], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.control.stdin.on('error', () => {});
    let pending = '';
    this.control.stdout.setEncoding('utf8').on('data', (chunk) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop();
      if (!lines.some((line) => line.startsWith('%output '))) return;
      this.lastOutputAt = performance.now();
      for (const wake of this.outputWaiters) wake();
      this.outputWaiters.clear();
    });
  }

  get #captureArgs() {
    return ['-L', this.socket, 'capture-pane', '-p', '-t', 'app'];
  }

  screen() {
    return execFileSync('tmux', this.#captureArgs, { encoding: 'utf8' });
  }

  screenAsync() {
    return new Promise((resolve, reject) => {
      execFile('tmux', this.#captureArgs, { encoding: 'utf8' }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
    });
  }

  /** Keys as tmux send-keys names them; through the control client, so no process is started per key. */
  keys(...keys) {
    const quoted = keys.map((key) => `"${key.replace(/["\\$]/g, '\\$&')}"`).join(' ');
    this.control.stdin.write(`send-keys -t app ${quoted}\n`);
  }

  /** Resolves at the program's next output, or after `ms` at the latest. */
  nextOutput(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.outputWaiters.delete(wake);
        resolve();
      }, ms);
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      this.outputWaiters.add(wake);
    });
  }

  /**
   * Waits until the screen satisfies `condition`. Returns the screen and `at`: when the screen
   * took that form, as performance.now(). That is the time of the last output tmux was given
   * before the screen was looked at, if it came after `since`; else (the output came before the
   * control client was attached) the time the screen was seen. Either is never early.
   */
  async waitForScreen(condition, what, timeoutMs = 20_000, since = -Infinity) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = this.lastOutputAt;
      const screen = await this.screenAsync();
      if (condition(screen)) return { screen, at: this.lastOutputAt > since ? this.lastOutputAt : performance.now() };
      if (Date.now() > deadline) throw new Error(`the screen never showed ${what}; it showed:\n${screen}`);
      if (this.lastOutputAt === seen) await this.nextOutput(250);
    }
  }

  async waitFor(condition, what, timeoutMs = 20_000) {
    return (await this.waitForScreen(condition, what, timeoutMs)).screen;
  }

  /** Sends `key` and returns the ms until the screen satisfies `condition` (Infinity if it never does). */
  async timeKey(key, condition, what, timeoutMs = 10_000) {
    const before = performance.now();
    this.keys(key);
    try {
      const { at } = await this.waitForScreen(condition, what, timeoutMs, before);
      return at - before;
    } catch {
      return Infinity;
    }
  }

  /**
   * Presses the two steps' keys in turn, `presses` times, each timed until the screen shows its
   * change. An unresponsive UI is a result, not a crash of the bench: it is counted as Infinity
   * and the pressing stops. Steps are { key, shows(screen), what }.
   */
  async timeKeysInTurn(presses, first, second) {
    const latencies = [];
    for (let i = 0; i < presses; i++) {
      const step = i % 2 === 0 ? first : second;
      const ms = await this.timeKey(step.key, step.shows, step.what);
      latencies.push(ms);
      if (ms === Infinity) break;
      // A pause between keys, as a person would make (and so Escape is not read as Alt+key).
      await sleep(150);
    }
    return latencies;
  }

  /** Lines of the frame trace: { kind, time, value }. */
  trace() {
    if (!existsSync(this.traceFile)) return [];
    return readFileSync(this.traceFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [kind, time, value] = line.split(' ');
        return { kind, time: Number(time), value: Number(value) };
      });
  }

  async stop() {
    try {
      process.kill(this.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      try {
        process.kill(this.pid, 0);
      } catch {
        break;
      }
      await sleep(50);
    }
    try {
      process.kill(this.pid, 'SIGKILL');
    } catch {
      // Exited.
    }
    this.control.kill();
    spawnSync('tmux', ['-L', this.socket, 'kill-server']);
  }
}

export const STATUS_BAR = /mqtt:\/\/127\.0\.0\.1:\d+ +● connected/;

// ---------------------------------------------------------------------------------------------
// start: spawn to the first frame with the status bar.
// ---------------------------------------------------------------------------------------------

export async function startSuite({ repoRoot, workDir, reps = 10 }) {
  const runs = [];
  for (let rep = 1; rep <= reps; rep++) {
    const dataDir = path.join(workDir, `start-${rep}`);
    await mkdir(dataDir);
    const port = await freePort();
    const traceFile = path.join(dataDir, 'frames.trace');
    const terminal = new TerminalRun({ repoRoot, dataDir, port, traceFile });
    try {
      // The status bar is drawn in the first frame; the trace times that frame, the screen confirms it.
      const seen = await terminal.waitForScreen((screen) => /mqtt:\/\/127\.0\.0\.1:\d+/.test(screen), 'the status bar', 20_000, terminal.spawnedAtLocal);
      const screenAt = performance.timeOrigin + seen.at;
      const frames = terminal.trace().filter((entry) => entry.kind === 'frame');
      const firstFrameMs = frames.length > 0 ? frames[0].time - terminal.spawnedAt : NaN;
      const connected = await terminal.waitForScreen((screen) => STATUS_BAR.test(screen), 'the connected status bar', 20_000, terminal.spawnedAtLocal);
      const connectedAt = performance.timeOrigin + connected.at;
      runs.push({ rep, firstFrameMs, screenMs: screenAt - terminal.spawnedAt, connectedMs: connectedAt - terminal.spawnedAt });
      process.stderr.write(`bench: start ${rep}/${reps}: first frame ${fmt(firstFrameMs)} ms, on screen ${fmt(screenAt - terminal.spawnedAt)} ms\n`);
    } finally {
      await terminal.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  const first = runs.map((r) => r.firstFrameMs).filter(Number.isFinite);
  const screen = runs.map((r) => r.screenMs);
  const connected = runs.map((r) => r.connectedMs);
  return {
    title: `Start to first frame in a terminal (tmux 120x40), ${reps} starts, ms: median [min-max]`,
    table: table(
      ['measure', 'ms'],
      [
        ['spawn -> first frame drawn (trace)', spread(first)],
        ['spawn -> status bar seen on screen', spread(screen)],
        ['spawn -> "● connected" on screen', spread(connected)],
      ],
    ),
    json: { runs },
  };
}

// ---------------------------------------------------------------------------------------------
// ui: the UI in a terminal under a flood: keys to frames, renders per second, broker throughput.
// ---------------------------------------------------------------------------------------------

/**
 * The program's own part of each key in [from, to]: from its read of the key to the end of the
 * next frame it wrote, from the frame trace. The screen timer above adds the terminal's part and
 * its own polling (one tmux process a millisecond), which on a busy 2-core machine are large.
 */
function keyToFrameMs(trace, from, to) {
  const frames = trace.filter((e) => e.kind === 'frame' && e.time >= from);
  const latencies = [];
  let next = 0;
  for (const key of trace.filter((e) => e.kind === 'key' && e.time >= from && e.time <= to)) {
    while (next < frames.length && frames[next].time < key.time) next++;
    if (next < frames.length) latencies.push(frames[next].time - key.time);
  }
  return latencies;
}

/** Presses ? (help) and Escape in turn and times each until the screen shows the change. */
function timeKeys(terminal, presses) {
  return terminal.timeKeysInTurn(
    presses,
    { key: '?', shows: (screen) => screen.includes('Everywhere'), what: 'the help overlay' },
    { key: 'Escape', shows: (screen) => !screen.includes('Everywhere'), what: 'the panes' },
  );
}

export async function uiSuite({ repoRoot, workDir, loadBinary, reps = 3, rate = 10_000, presses = 40 }) {
  const runs = [];
  for (let rep = 1; rep <= reps; rep++) {
    for (const mode of ['headless', 'ui']) {
      const dataDir = path.join(workDir, `ui-${rep}-${mode}`);
      await mkdir(dataDir);
      const traceFile = path.join(dataDir, 'frames.trace');
      let stop;
      let pid;
      let port;
      let terminal;
      if (mode === 'ui') {
        port = await freePort();
        terminal = new TerminalRun({ repoRoot, dataDir, port, traceFile });
        await terminal.waitFor((screen) => STATUS_BAR.test(screen), 'the connected status bar');
        pid = terminal.pid;
        stop = () => terminal.stop();
      } else {
        const app = await startHeadless(repoRoot, dataDir);
        ({ pid, port } = app);
        stop = () => stopProgram(app.program);
      }
      try {
        // Max-rate fan-in (S1) first: how much the drawing UI costs the broker.
        const s1 = ['--pubs', '4', '--subs', '1', '--qos', '0', '--size', '64', '--port', String(port)];
        await runLoad(loadBinary, [...s1, '--count', '10000'], 120);
        const full = await runLoad(loadBinary, [...s1, '--count', '100000', '--broker-pid', String(pid)], 120);
        // Then a steady flood at `rate`, long enough for the key presses.
        const seconds = Math.ceil((presses * 0.25 + 6) * 1.5);
        const framesBefore = terminal ? terminal.trace().filter((e) => e.kind === 'frame').length : 0;
        const flood = runLoad(
          loadBinary,
          ['--pubs', '1', '--subs', '1', '--qos', '0', '--size', '64', '--rate', String(rate), '--count', String(rate * seconds), '--port', String(port), '--broker-pid', String(pid)],
          seconds + 60,
        );
        let keyMs = [];
        let rendersPerSecond = NaN;
        let renderMs = [];
        let traceKeyMs = [];
        if (terminal) {
          await sleep(2000);
          const from = performance.timeOrigin + performance.now();
          keyMs = await timeKeys(terminal, presses);
          const to = performance.timeOrigin + performance.now();
          const frames = terminal.trace().filter((e) => e.kind === 'frame');
          const during = frames.filter((e) => e.time >= from && e.time <= to);
          rendersPerSecond = during.length / ((to - from) / 1000);
          // The busiest single second of rendering.
          let busiest = 0;
          for (let i = 0, j = 0; i < during.length; i++) {
            while (during[j].time < during[i].time - 1000) j++;
            busiest = Math.max(busiest, i - j + 1);
          }
          renderMs = during.map((e) => e.value);
          traceKeyMs = keyToFrameMs(terminal.trace(), from, to);
          runs.push({ rep, mode, busiestSecondRenders: busiest, framesBefore });
        }
        const steady = await flood;
        runs.push({
          rep,
          mode,
          maxRate: full.result,
          flood: steady.result,
          keyMs,
          traceKeyMs,
          rendersPerSecond,
          renderMsP95: percentile(renderMs, 95),
        });
        process.stderr.write(
          `bench: ui ${rep}/${reps} ${mode}: S1 ${fmt(full.result?.throughput_msgs_s)} msgs/s; flood ${fmt(steady.result?.throughput_msgs_s)} msgs/s lost ${steady.result?.lost} p99 ${fmt(steady.result?.lat_p99_us)} µs` +
            (terminal ? `; key->frame p95 ${fmt(percentile(keyMs, 95), 1)} ms (in the program ${fmt(percentile(traceKeyMs, 95), 1)} ms); ${fmt(rendersPerSecond, 1)} renders/s` : '') +
            '\n',
        );
      } finally {
        await stop();
        await rm(dataDir, { recursive: true, force: true });
      }
    }
  }
  const of = (mode) => runs.filter((r) => r.mode === mode && r.maxRate !== undefined);
  const headless = of('headless');
  const ui = of('ui');
  const s1 = (list) => list.map((r) => r.maxRate?.throughput_msgs_s ?? NaN);
  const ratio = median(s1(ui)) / median(s1(headless));
  const allKeys = ui.flatMap((r) => r.keyMs);
  const busiest = runs.filter((r) => r.busiestSecondRenders !== undefined).map((r) => r.busiestSecondRenders);
  const rows = [];
  for (const [name, list] of [['headless', headless], ['ui in tmux', ui]]) {
    rows.push([
      name,
      spread(s1(list)),
      spread(list.map((r) => r.flood?.throughput_msgs_s ?? NaN)),
      spread(list.map((r) => r.flood?.lost ?? NaN)),
      spread(list.map((r) => r.flood?.lat_p99_us ?? NaN)),
      spread(list.map((r) => r.flood?.broker_cpu_pct ?? NaN)),
    ]);
  }
  const uiRows = [
    ['key -> screen changed, p50 ms', spread(ui.map((r) => percentile(r.keyMs, 50)), 1)],
    ['key -> screen changed, p95 ms', spread(ui.map((r) => percentile(r.keyMs, 95)), 1)],
    [`key -> screen changed, p95 ms over all ${allKeys.length} presses`, fmt(percentile(allKeys, 95), 1)],
    ['key read -> frame written (the frame trace), p50 ms', spread(ui.map((r) => percentile(r.traceKeyMs, 50)), 1)],
    ['key read -> frame written (the frame trace), p95 ms', spread(ui.map((r) => percentile(r.traceKeyMs, 95)), 1)],
    ['renders/s while keys are pressed', spread(ui.map((r) => r.rendersPerSecond), 1)],
    ['renders in the busiest second', spread(busiest)],
    ['render time p95 ms (Ink onRender)', spread(ui.map((r) => r.renderMsP95), 2)],
  ];
  return {
    title: `UI under a flood (${reps} reps; S1 max-rate fan-in, then ${rate} msgs/s 1 pub -> 1 sub while keys are pressed)`,
    table:
      table(['mode', 'S1 msgs/s', `flood msgs/s`, 'flood lost', 'flood p99 µs', 'CPU % (whole process)'], rows) +
      `\n\nS1 ui/headless: ${fmt(ratio, 2)}x\n\n` +
      table(['measure', 'median [min-max] over reps'], uiRows),
    json: { runs, ratio },
  };
}

// ---------------------------------------------------------------------------------------------
// store: file writes per second at 1,000 state changes per second.
// ---------------------------------------------------------------------------------------------

/** Counts renames of the data file (each atomic write ends in one) by watching its folder. */
async function countFileWrites(dataDir, file, during) {
  const { watch } = await import('node:fs');
  let writes = 0;
  let lastIno = statSync(file).ino;
  const watcher = watch(dataDir, (_event, name) => {
    if (name !== path.basename(file)) return;
    try {
      const ino = statSync(file).ino;
      if (ino !== lastIno) {
        writes++;
        lastIno = ino;
      }
    } catch {
      // Between unlink and rename.
    }
  });
  try {
    await during();
  } finally {
    watcher.close();
  }
  return writes;
}

export async function storeSuite({ repoRoot, workDir, reps = 3, changesPerSecond = 1000, seconds = 10 }) {
  const runs = [];
  for (let rep = 1; rep <= reps; rep++) {
    const dataDir = path.join(workDir, `store-${rep}`);
    await mkdir(dataDir);
    const app = await startHeadless(repoRoot, dataDir);
    const file = path.join(dataDir, 'home.json');
    try {
      const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${app.port}`, { clientId: `bench-store-${process.pid}-${rep}`, reconnectPeriod: 0 });
      // Wait for the first write (the home's initial state), so only the flood is counted.
      await sleep(1500);
      const users = 50;
      let sent = 0;
      const writes = await countFileWrites(dataDir, file, async () => {
        const start = performance.now();
        const total = changesPerSecond * seconds;
        while (sent < total) {
          const due = Math.floor(((performance.now() - start) / 1000) * changesPerSecond);
          for (; sent < Math.min(due, total); sent++) {
            // A registration app changing a user's preferred temperature: one state change each.
            const payload = JSON.stringify({ app_info: '1', is_home: '0', temperature: (15 + (sent % 100) / 10).toFixed(1), user_name: `user${sent % users}` });
            client.publish('smart_home/user_data', payload, { qos: 0 });
          }
          await sleep(2);
        }
        // Let the last coalesced write land.
        await sleep(500);
      });
      await client.endAsync();
      const saved = JSON.parse(readFileSync(file, 'utf8'));
      const usersSaved = Object.keys(saved.doorLocker?.users ?? {}).length;
      runs.push({ rep, changes: sent, seconds, writes, writesPerSecond: writes / seconds, usersSaved });
      process.stderr.write(`bench: store ${rep}/${reps}: ${sent} changes in ${seconds} s -> ${writes} file writes (${fmt(writes / seconds, 1)}/s), ${usersSaved} users saved\n`);
    } finally {
      await stopProgram(app.program);
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  return {
    title: `Store writes at ${changesPerSecond} state changes/s (user_data changes for 50 users, ${seconds} s, ${reps} reps)`,
    table: table(
      ['measure', 'median [min-max]'],
      [
        ['file writes/s', spread(runs.map((r) => r.writesPerSecond), 1)],
        ['users in the file after the flood (of 50)', spread(runs.map((r) => r.usersSaved))],
      ],
    ),
    json: { runs },
  };
}

// ---------------------------------------------------------------------------------------------
// memory: resident memory over a long flood.
// ---------------------------------------------------------------------------------------------

export async function memorySuite({ repoRoot, workDir, loadBinary, minutes = 10, rate = 10_000 }) {
  const dataDir = path.join(workDir, 'memory');
  await mkdir(dataDir);
  const app = await startHeadless(repoRoot, dataDir);
  const samples = [];
  try {
    const seconds = minutes * 60;
    const startedAt = Date.now();
    samples.push({ atS: 0, rssMb: rssMb(app.pid) });
    const flood = runLoad(
      loadBinary,
      ['--pubs', '1', '--subs', '1', '--qos', '0', '--size', '64', '--rate', String(rate), '--count', String(rate * seconds), '--port', String(app.port), '--broker-pid', String(app.pid)],
      seconds + 120,
    );
    let done = false;
    void flood.then(() => (done = true));
    while (!done) {
      await sleep(5000);
      const atS = Math.round((Date.now() - startedAt) / 1000);
      try {
        samples.push({ atS, rssMb: rssMb(app.pid) });
      } catch {
        break;
      }
      if (atS % 60 < 5) process.stderr.write(`bench: memory at ${atS} s: ${fmt(samples.at(-1).rssMb, 1)} MB\n`);
    }
    const result = (await flood).result;
    const at = (minute) => samples.reduce((best, s) => (Math.abs(s.atS - minute * 60) < Math.abs(best.atS - minute * 60) ? s : best), samples[0]);
    const marks = [1, Math.min(5, minutes), minutes].filter((m, i, all) => all.indexOf(m) === i);
    return {
      title: `Resident memory of the whole program (headless) over a ${minutes}-minute flood at ${rate} msgs/s`,
      table:
        table(['minute', 'RSS MB'], [['0 (before)', fmt(samples[0].rssMb, 1)], ...marks.map((m) => [String(m), fmt(at(m).rssMb, 1)])]) +
        `\nmax ${fmt(Math.max(...samples.map((s) => s.rssMb)), 1)} MB; flood delivered ${fmt(result?.throughput_msgs_s)} msgs/s, lost ${result?.lost}, p99 ${fmt(result?.lat_p99_us)} µs`,
      json: { samples, flood: result },
    };
  } finally {
    await stopProgram(app.program);
    await rm(dataDir, { recursive: true, force: true });
  }
}


// ---------------------------------------------------------------------------------------------
// fleet: N smart objects at 1 Hz with the UI in a terminal; telemetry counted by an outside client.
// ---------------------------------------------------------------------------------------------

export async function fleetUiSuite({ repoRoot, workDir, sizes = [100, 1000, 2500, 5000, 10_000], windowS = 20, presses = 10 }) {
  const runs = [];
  for (const size of sizes) {
    const dataDir = path.join(workDir, `fleet-${size}`);
    await mkdir(dataDir);
    const port = await freePort();
    const terminal = new TerminalRun({ repoRoot, dataDir, port, traceFile: path.join(dataDir, 'frames.trace'), extraArgs: ['--fleet', String(size)] });
    let client;
    try {
      const startedAt = performance.now();
      await terminal.waitFor((screen) => STATUS_BAR.test(screen), 'the connected status bar', 60_000);
      client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: `bench-fleet-${process.pid}-${size}`, reconnectPeriod: 0 });
      const perDevice = new Map();
      let counting = false;
      let counted = 0;
      client.on('message', (topic) => {
        const id = topic.split('/')[1];
        if (!id.startsWith('fleet')) return;
        if (!perDevice.has(id)) perDevice.set(id, 0);
        if (counting) {
          counted++;
          perDevice.set(id, perDevice.get(id) + 1);
        }
      });
      await client.subscribeAsync('device/+/telemetry/temperature', { qos: 0 });
      // The fleet is up once every object has reported.
      const upBy = Date.now() + 60_000 + size * 20;
      while (perDevice.size < size && Date.now() < upBy) await sleep(200);
      const upMs = performance.now() - startedAt;
      await sleep(2000);
      counting = true;
      const from = performance.timeOrigin + performance.now();
      const keyMs = await timeKeys(terminal, presses);
      const left = windowS * 1000 - (performance.timeOrigin + performance.now() - from);
      if (left > 0) await sleep(left);
      counting = false;
      const to = performance.timeOrigin + performance.now();
      const seconds = (to - from) / 1000;
      const frames = terminal.trace().filter((e) => e.kind === 'frame' && e.time >= from && e.time <= to);
      const counts = [...perDevice.values()];
      const run = {
        size,
        reported: perDevice.size,
        upMs,
        seconds,
        received: counted,
        expected: size * seconds,
        receivedShare: counted / (size * seconds),
        slowestDevice: counts.length ? Math.min(...counts) : 0,
        keyP95: percentile(keyMs, 95),
        keyMs,
        traceKeyP95: percentile(keyToFrameMs(terminal.trace(), from, to), 95),
        rendersPerSecond: frames.length / seconds,
        rssMb: rssMb(terminal.pid),
      };
      runs.push(run);
      process.stderr.write(
        `bench: fleet ${size}: up in ${fmt(upMs / 1000, 1)} s (${perDevice.size} reported); ${fmt(counted / seconds)} telemetry/s of ${size} (${fmt(100 * run.receivedShare, 1)}%), key->frame p95 ${fmt(run.keyP95, 1)} ms (in the program ${fmt(run.traceKeyP95, 1)} ms), ${fmt(run.rendersPerSecond, 1)} renders/s, ${fmt(run.rssMb)} MB\n`,
      );
    } catch (error) {
      runs.push({ size, error: error.message });
      process.stderr.write(`bench: fleet ${size}: ${error.message}\n`);
    } finally {
      await client?.endAsync().catch(() => {});
      await terminal.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  return {
    title: `Fleet: N smart objects at 1 Hz, the UI in tmux; telemetry counted by an outside client over ${windowS} s`,
    table: table(
      ['N', 'up after s', 'telemetry/s', 'received %', 'fewest from one object', 'key->screen p95 ms', 'key->frame in the program p95 ms', 'renders/s', 'RSS MB'],
      runs.map((r) =>
        r.error
          ? [String(r.size), r.error, '', '', '', '', '', '', '']
          : [String(r.size), fmt(r.upMs / 1000, 1), fmt(r.received / r.seconds), fmt(100 * r.receivedShare, 1), String(r.slowestDevice), fmt(r.keyP95, 1), fmt(r.traceKeyP95, 1), fmt(r.rendersPerSecond, 1), fmt(r.rssMb)],
      ),
    ),
    json: { runs },
  };
}

export const suites = { start: startSuite, ui: uiSuite, store: storeSuite, memory: memorySuite, fleet: fleetSuite, 'fleet-ui': fleetUiSuite };
