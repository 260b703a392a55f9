// fleet: N devices at one message a second each, interleaved over the app and two baselines:
//   app          the app headless with --fleet N (broker, home and fleet in one process)
//   app+fleet    the app headless, its fleet code in a process of its own (past one process's file limit)
//   aedes        bare aedes + a plain mqtt.js fleet
//   mosquitto    mosquitto + a plain mqtt.js fleet
// An outside client counts the temperature telemetry; CPU is read per thread from /proc.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import mqtt from 'mqtt';
import { contenders } from './contenders.mjs';
import { freePort, startProgram, stopProgram, waitForLine } from './processes.mjs';
import { rssMb, table } from './app-suites.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const TICKS_PER_S = 100;

/** CPU ticks (user + system) of each thread of a process. */
function threadTicks(pid) {
  const ticks = new Map();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const fields = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks.set(tid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // The thread ended.
    }
  }
  return ticks;
}

/** The busiest threads' CPU over the window, % of one core each, highest first. */
function threadCpu(before, after, seconds) {
  return [...after]
    .map(([tid, t]) => (100 * (t - (before.get(tid) ?? 0))) / TICKS_PER_S / seconds)
    .filter((pct) => pct >= 1)
    .sort((a, b) => b - a)
    .slice(0, 4);
}

/**
 * Counts temperature telemetry. A device reports its temperature only while its switch is ON (the
 * app's controller switches hot ones OFF for a while), so what was expected is summed each second
 * over the devices last heard ON; a device never heard from on its switch topic counts as ON.
 * `allAt` is when every one of `size` devices was first heard.
 */
async function startWatcher(url, size) {
  const client = await mqtt.connectAsync(url, { clientId: `bench-fleet-watch-${process.pid}`, reconnectPeriod: 0 });
  const watcher = { client, heard: new Set(), off: new Set(), counting: false, counted: 0, expected: 0, allAt: undefined, sampler: undefined };
  client.on('message', (topic, payload) => {
    const id = topic.split('/')[1];
    if (topic.endsWith('/switch')) {
      if (payload.includes('"OFF"')) watcher.off.add(id);
      else watcher.off.delete(id);
      return;
    }
    if (!watcher.heard.has(id)) {
      watcher.heard.add(id);
      if (watcher.heard.size === size) watcher.allAt = performance.now();
    }
    if (watcher.counting) watcher.counted++;
  });
  await client.subscribeAsync(['device/+/telemetry/temperature', 'device/+/telemetry/switch'], { qos: 0 });
  watcher.startCounting = () => {
    watcher.counting = true;
    watcher.sampler = setInterval(() => (watcher.expected += size - watcher.off.size), 1000);
  };
  watcher.stopCounting = () => {
    watcher.counting = false;
    clearInterval(watcher.sampler);
  };
  return watcher;
}

const appContender = contenders.find((c) => c.name === 'app');
const brokerOf = (name) => contenders.find((c) => c.name === name);

/** One run: broker, fleet, watcher; the fleet's own start sign or the watcher hearing everyone marks it up. */
async function runOne({ repoRoot, workDir }, kind, size, windowS, via) {
  const dataDir = path.join(workDir, `fleet-${kind}-${size}`);
  await mkdir(dataDir, { recursive: true });
  const programs = [];
  let watcher;
  try {
    const port = await freePort();
    const startedAt = performance.now();
    let broker;
    if (kind === 'app') {
      const program = startProgram(process.execPath, [path.join(repoRoot, 'bin', 'smart-home-tui.js'), '--headless', '--no-ha', '--port', String(port), '--data', path.join(dataDir, 'home.json'), '--fleet', String(size)], { cwd: dataDir });
      programs.push(program);
      // The program says where its broker is once the whole fleet is connected.
      await waitForLine(program, /broker on mqtt:\/\/127\.0\.0\.1:(\d+)/, 300_000).catch((error) => {
        throw new Error(`${error.message}: ${program.stderrTail.filter((line) => line.trim()).slice(-2).join(' / ')}`);
      });
      broker = { pid: program.pid, program };
    } else {
      // The app's broker takes 10,000 connections unless told more; a fleet of its own (--fleet) raises that by itself.
      const args = kind === 'app+fleet' ? ['--max-connections', String((via ? Math.ceil(size / 1000) : size) + 100)] : [];
      broker = await (kind === 'app+fleet' ? appContender : brokerOf(kind)).start({ repoRoot, port, dataDir, args });
      programs.push(broker.program);
    }
    const url = `mqtt://127.0.0.1:${port}`;
    watcher = await startWatcher(url, size);
    let fleet;
    const fleetStart = performance.now();
    if (kind !== 'app') {
      const script = kind === 'app+fleet' ? 'app-fleet.mjs' : 'plain-fleet.mjs';
      fleet = startProgram(process.execPath, [path.join(repoRoot, 'bench', script), '--url', url, '--count', String(size), ...(via ? ['--via', via] : [])]);
      programs.push(fleet);
      await waitForLine(fleet, /connected \d+ in (\d+) ms/, 120_000);
    }
    const from = kind === 'app' ? startedAt : fleetStart;
    const upBy = performance.now() + 120_000;
    while (watcher.allAt === undefined && performance.now() < upBy) await sleep(100);
    if (watcher.allAt === undefined) throw new Error(`only ${watcher.heard.size} of ${size} devices were heard within 120 s`);
    const upS = (watcher.allAt - from) / 1000;
    await sleep(2000);
    const brokerBefore = threadTicks(broker.pid);
    const fleetBefore = fleet ? threadTicks(fleet.pid) : undefined;
    watcher.startCounting();
    const t0 = performance.now();
    await sleep(windowS * 1000);
    watcher.stopCounting();
    const seconds = (performance.now() - t0) / 1000;
    return {
      kind,
      size,
      via,
      upS,
      share: watcher.counted / Math.max(1, watcher.expected),
      onShare: watcher.expected / (size * Math.round(seconds)),
      brokerThreads: threadCpu(brokerBefore, threadTicks(broker.pid), seconds),
      brokerRss: rssMb(broker.pid),
      fleetThreads: fleet ? threadCpu(fleetBefore, threadTicks(fleet.pid), seconds) : [],
      fleetRss: fleet ? rssMb(fleet.pid) : undefined,
    };
  } finally {
    watcher?.stopCounting();
    await watcher?.client.endAsync().catch(() => {});
    for (const program of programs.reverse()) await stopProgram(program);
    await rm(dataDir, { recursive: true, force: true });
  }
}

const ONE_PROCESS_FILES = 2;

export async function fleetSuite({ repoRoot, workDir, sizes = [2000, 5000, 10_000, 20_000], reps = 1, windowS = 30, kinds, gateway }) {
  const fileLimit = Number(/Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'))?.[1] ?? Infinity);
  const chosen = kinds ?? ['app', 'app+fleet', 'aedes', 'mosquitto'];
  const runs = [];
  const plan = [];
  for (const size of sizes) for (let rep = 0; rep < reps; rep++) for (const kind of chosen) plan.push({ kind, size });
  if (gateway) plan.push({ kind: 'app+fleet', size: gateway, via: 'gateway' });
  for (const { kind, size, via } of plan) {
    // One process holds both ends of every connection with the app's own --fleet; other runs hold one end per process.
    const needed = (kind === 'app' ? ONE_PROCESS_FILES : 1) * (via ? Math.ceil(size / 1000) : size) + 50;
    if (needed > fileLimit) {
      runs.push({ kind, size, via, error: `needs ~${needed} open files, the limit is ${fileLimit}` });
      process.stderr.write(`bench: fleet ${kind} ${size}: skipped, it needs about ${needed} open files and ulimit -n allows ${fileLimit}\n`);
      continue;
    }
    try {
      const run = await runOne({ repoRoot, workDir }, kind, size, windowS, via);
      runs.push(run);
      process.stderr.write(
        `bench: fleet ${kind}${via ? ` via ${via}` : ''} ${size}: all heard after ${fmt(run.upS, 1)} s, ${fmt(100 * run.share, 2)}% of telemetry (${fmt(100 * run.onShare)}% ON), broker threads ${run.brokerThreads.map((p) => fmt(p)).join('/')}% ${fmt(run.brokerRss)} MB, fleet ${run.fleetThreads.map((p) => fmt(p)).join('/')}% ${fmt(run.fleetRss)} MB\n`,
      );
    } catch (error) {
      runs.push({ kind, size, via, error: error.message });
      process.stderr.write(`bench: fleet ${kind} ${size}: ${error.message}\n`);
    }
  }
  const largest = Object.fromEntries(
    [...new Set(runs.map((r) => `${r.kind}${r.via ? ` via ${r.via}` : ''}`))].map((name) => [
      name,
      Math.max(0, ...runs.filter((r) => !r.error && `${r.kind}${r.via ? ` via ${r.via}` : ''}` === name && r.share >= 0.999).map((r) => r.size)),
    ]),
  );
  return {
    title: `Fleet: N devices at 1 msg/s each, ${windowS} s window; CPU in % of one core per busy thread (broker process / fleet process)`,
    table:
      table(
        ['N', 'run', 'all heard s', 'telemetry % of ON', 'broker-side threads CPU %', 'broker-side MB', 'fleet threads CPU %', 'fleet MB'],
        runs.map((r) =>
          r.error
            ? [String(r.size), `${r.kind}${r.via ? ` via ${r.via}` : ''}`, r.error, '', '', '', '', '']
            : [String(r.size), `${r.kind}${r.via ? ` via ${r.via}` : ''}`, fmt(r.upS, 1), `${fmt(100 * r.share, 2)} (${fmt(100 * r.onShare)}% ON)`, r.brokerThreads.map((p) => fmt(p)).join(' / '), fmt(r.brokerRss), r.fleetThreads.map((p) => fmt(p)).join(' / ') || '(in the app)', fmt(r.fleetRss)],
        ),
      ) + `\n\nlargest N with >= 99.9% of telemetry: ${Object.entries(largest).map(([name, n]) => `${name} ${n || 'none'}`).join(', ')}`,
    json: { runs, largest },
  };
}
