// npm run bench: MQTT brokers on loopback under the mqtt-load generator, side by side.
// Usage: node bench/run.mjs [--scenarios S1,S4] [--reps N] [--contenders aedes,app] [--quick]
import { mkdirSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BASELINE, contenders } from './contenders.mjs';
import { describeLoad, parseLoads, underLoad } from './machine-load.mjs';
import { SetupError, buildLoadTool, findLoadTool, runLoad } from './mqtt-load.mjs';
import { freePort, killAllStarted, stopProgram } from './processes.mjs';
import { formatReport, summarize } from './report.mjs';
import { countsFor, scenarios } from './scenarios.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LOAD_TIMEOUT_S = 120;
const MQTT5_LOAD = path.join(repoRoot, 'bench/mqtt5-load.mjs');

const USAGE = `Usage: node bench/run.mjs [options]
  --scenarios LIST   comma-separated, from ${scenarios.map((s) => s.id).join(',')} (all)
  --contenders LIST  comma-separated, from ${contenders.map((c) => c.name).join(',')} (all that are available)
  --reps N           repetitions, contenders interleaved (BENCH_REPS, else 3)
  --quick            a tenth of the messages, for a fast check
  --suite NAME       broker (this table, the default), or a whole-program measurement:
                     start, ui, store, memory, fleet, fleet-ui, topics, or all of those (--reps, --minutes, --rate, --sizes;
                     fleet: --window S, --runs app,app+fleet,aedes,mosquitto, --gateway N;
                     ui, fleet-ui: --presses N)
  --load LIST        with --suite: idle (default), busy (a second process burning one core), or idle,busy
Environment: MQTT_LOAD_DIR = folder of the mqtt-load tool (default: shared/tools/mqtt-load beside the checkout)
`;

/** Reads the command line into a plan, or throws a SetupError sentence. */
function readPlan(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        scenarios: { type: 'string' },
        contenders: { type: 'string' },
        reps: { type: 'string' },
        quick: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new SetupError(`${/** @type {Error} */ (error).message}\n${USAGE}`, 2);
  }
  if (values.help) return undefined;

  const pick = (list, all, key, what) => {
    if (list === undefined) return all;
    return list.split(',').map((raw) => {
      const found = all.find((item) => item[key].toLowerCase() === raw.trim().toLowerCase());
      if (!found) throw new SetupError(`Unknown ${what} "${raw.trim()}"; choose from ${all.map((item) => item[key]).join(', ')}.`, 2);
      return found;
    });
  };
  const repsText = values.reps ?? process.env.BENCH_REPS ?? '3';
  const reps = Number(repsText);
  if (!Number.isInteger(reps) || reps < 1) throw new SetupError(`The number of repetitions must be a whole number of at least 1, not "${repsText}".`, 2);
  return {
    scenarios: pick(values.scenarios, scenarios, 'id', 'scenario'),
    contenders: pick(values.contenders, contenders, 'name', 'contender'),
    reps,
    quick: values.quick,
  };
}

function describeRun(result, code) {
  if (!result) return `no result (exit ${code})`;
  const parts = [`${Math.round(result.throughput_msgs_s)} msgs/s`, `lost ${result.lost}`, `p99 ${Math.round(result.lat_p99_us)} µs`];
  parts.push(`cpu ${result.broker_cpu_pct}%`, `gen_reads ${result.gen_reads}`);
  if (result.status !== 'ok') parts.push(`${result.status}${result.error ? `: ${result.error}` : ''}`);
  return parts.join(', ');
}

/** `--suite NAME [--reps N] [--minutes M]`: one of the whole-program measurements in app-suites.mjs. */
async function runSuite(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      suite: { type: 'string' },
      reps: { type: 'string' },
      minutes: { type: 'string' },
      rate: { type: 'string' },
      sizes: { type: 'string' },
      window: { type: 'string' },
      runs: { type: 'string' },
      gateway: { type: 'string' },
      presses: { type: 'string' },
      load: { type: 'string' },
    },
  });
  let loads;
  try {
    loads = parseLoads(values.load);
  } catch (error) {
    throw new SetupError(/** @type {Error} */ (error).message, 2);
  }
  const { suites: programSuites } = await import('./app-suites.mjs');
  const { topicsSuite } = await import('./topics-suite.mjs');
  const suites = { ...programSuites, topics: topicsSuite };
  const names = values.suite === 'all' ? Object.keys(suites) : values.suite.split(',');
  for (const name of names) {
    if (!suites[name]) throw new SetupError(`Unknown suite "${name}"; choose from broker, ${Object.keys(suites).join(', ')}, all.`, 2);
  }
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'smart-home-bench-'));
  // Ctrl-C stops the programs a suite started (brokers, fleets) too, not only the bench.
  process.once('SIGINT', () => {
    void killAllStarted().then(() => {
      rmSync(workDir, { recursive: true, force: true });
      process.exit(130);
    });
  });
  try {
    const loadBinary = await buildLoadTool(findLoadTool(repoRoot), workDir);
    const options = { repoRoot, workDir, loadBinary };
    if (values.reps) options.reps = Number(values.reps);
    if (values.minutes) options.minutes = Number(values.minutes);
    if (values.rate) options.rate = Number(values.rate);
    if (values.sizes) options.sizes = values.sizes.split(',').map(Number);
    if (values.window) options.windowS = Number(values.window);
    if (values.runs) options.kinds = values.runs.split(',');
    if (values.gateway) options.gateway = Number(values.gateway);
    if (values.presses) options.presses = Number(values.presses);
    const results = {};
    for (const name of names) {
      for (const load of loads) {
        const { loadAverage, result } = await underLoad(load, () => suites[name](options));
        results[loads.length > 1 ? `${name}-${load}` : name] = { load, loadAverage, ...result.json };
        process.stdout.write(`\n${result.title}\nMachine: ${describeLoad(load, loadAverage)}\n\n${result.table}\n`);
      }
    }
    const outDir = path.join(repoRoot, '.bench');
    mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `suite-${names.join('-')}${loads.includes('busy') ? `-${loads.join('-')}` : ''}.json`);
    await writeFile(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, results }, null, 2) + '\n');
    process.stdout.write(`\nAll runs are in .bench/${path.basename(file)}\n`);
    return 0;
  } finally {
    await killAllStarted();
    rmSync(workDir, { recursive: true, force: true });
  }
}

async function main() {
  // --suite broker (or no --suite) is the broker table below; any other suite is a whole-program measurement.
  const suiteAt = process.argv.findIndex((arg) => arg === '--suite' || arg.startsWith('--suite='));
  if (suiteAt >= 0) {
    const name = process.argv[suiteAt] === '--suite' ? process.argv[suiteAt + 1] : process.argv[suiteAt].slice('--suite='.length);
    if (name !== 'broker') return runSuite(process.argv.slice(2));
    process.argv.splice(suiteAt, process.argv[suiteAt] === '--suite' ? 2 : 1);
  }
  const plan = readPlan(process.argv.slice(2));
  if (!plan) {
    process.stdout.write(USAGE);
    return 0;
  }
  const toolDir = findLoadTool(repoRoot);

  const active = [];
  for (const contender of plan.contenders) {
    const reason = contender.unavailable({ repoRoot });
    if (reason) process.stderr.write(`bench: ${reason}\n`);
    else active.push(contender);
  }
  if (active.length === 0) throw new SetupError('None of the chosen contenders can run here.');

  const workDir = await mkdtemp(path.join(os.tmpdir(), 'smart-home-bench-'));
  const removeWorkDir = () => rmSync(workDir, { recursive: true, force: true });
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    void killAllStarted().then(() => {
      removeWorkDir();
      process.exit(130);
    });
  });

  try {
    const binary = await buildLoadTool(toolDir, workDir);
    process.stderr.write(
      `bench: ${plan.scenarios.map((s) => s.id).join(',')} x ${active.map((c) => c.name).join(',')} x ${plan.reps} reps${plan.quick ? ' (quick)' : ''}\n`,
    );

    const runs = [];
    const dropped = new Set();
    let runNumber = 0;
    // Interleaved (A B C A B C ...) so slow drift of the machine spreads over all contenders.
    for (let rep = 1; rep <= plan.reps; rep++) {
      for (const scenario of plan.scenarios) {
        const { count, warmup } = countsFor(scenario, plan.quick);
        for (const contender of active) {
          if (interrupted) return 130;
          if (dropped.has(contender.name)) continue;
          const dataDir = path.join(workDir, `run-${++runNumber}`);
          await mkdir(dataDir);
          const label = `rep ${rep}/${plan.reps} ${scenario.id} ${contender.name}`;
          let broker;
          try {
            broker = await contender.start({ repoRoot, dataDir, port: await freePort() });
          } catch (error) {
            process.stderr.write(`bench: ${/** @type {Error} */ (error).message} It is left out of the remaining runs.\n`);
            dropped.add(contender.name);
            runs.push({ scenario: scenario.id, contender: contender.name, rep, startError: /** @type {Error} */ (error).message });
            continue;
          }
          try {
            // The v5 rows use the MQTT 5 generator, a Node script with the same options and JSON line.
            const [load, ...script] = scenario.protocol === 5 ? [process.execPath, MQTT5_LOAD] : [binary];
            const base = [...script, ...scenario.args, '--port', String(broker.port)];
            const warm = await runLoad(load, [...base, '--count', String(warmup)], LOAD_TIMEOUT_S);
            if (interrupted) return 130;
            const measured = await runLoad(load, [...base, '--count', String(count), '--broker-pid', String(broker.pid)], LOAD_TIMEOUT_S);
            if (interrupted) return 130;
            const alive = broker.program.child.exitCode === null && broker.program.child.signalCode === null;
            process.stderr.write(`bench: ${label}: ${describeRun(measured.result, measured.code)}${alive ? '' : ' (the broker died)'}\n`);
            runs.push({
              scenario: scenario.id,
              contender: contender.name,
              rep,
              count,
              warmup: { count: warmup, code: warm.code, status: warm.result?.status, error: warm.result?.error },
              code: measured.code,
              result: measured.result,
              brokerDied: !alive || undefined,
              brokerSaid: alive ? undefined : broker.program.stderrTail.slice(-5),
            });
          } finally {
            await stopProgram(broker.program);
            await rm(dataDir, { recursive: true, force: true });
          }
        }
      }
    }

    const names = active.map((c) => c.name);
    const groups = summarize(runs, plan.scenarios.map((s) => s.id), names);
    let report = formatReport(groups, plan.scenarios, BASELINE);
    if (dropped.size > 0) report += `\n\nLeft out after failing to start: ${[...dropped].join(', ')} (the reason is above and in .bench/results.json).`;
    process.stdout.write(`\n${plan.scenarios.map((s) => `${s.id}: ${s.title}`).join('\n')}\n\n${report}\n`);

    const outDir = path.join(repoRoot, '.bench');
    mkdirSync(outDir, { recursive: true });
    await writeFile(
      path.join(outDir, 'results.json'),
      JSON.stringify(
        {
          date: new Date().toISOString(),
          node: process.version,
          cpus: os.cpus().length,
          cpuModel: os.cpus()[0]?.model,
          reps: plan.reps,
          quick: plan.quick,
          scenarios: plan.scenarios.map((s) => ({ ...s, ...countsFor(s, plan.quick) })),
          contenders: active.map((c) => ({ name: c.name, title: c.title })),
          baseline: BASELINE,
          summary: groups,
          runs,
        },
        null,
        2,
      ) + '\n',
    );
    process.stdout.write(`\nAll runs are in .bench/results.json\n`);
    return 0;
  } finally {
    await killAllStarted();
    removeWorkDir();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    if (error instanceof SetupError) {
      process.stderr.write(`bench: ${error.message}\n`);
      process.exitCode = error.exitCode;
    } else {
      process.stderr.write(`bench: internal error: ${error instanceof Error ? error.stack : String(error)}\n`);
      process.exitCode = 70;
    }
  },
);
