// Turns the runs into medians with min and max, the tables people read, and notes on odd spreads.

/** @param {number[]} values */
function spread(values) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], n: sorted.length };
}

/** The figures the tables show, by the generator's JSON field. */
const FIGURES = {
  throughput: 'throughput_msgs_s',
  lost: 'lost',
  p50: 'lat_p50_us',
  p99: 'lat_p99_us',
  p999: 'lat_p999_us',
  latMax: 'lat_max_us',
  brokerCpu: 'broker_cpu_pct',
  genReads: 'gen_reads',
};

/**
 * Groups runs by scenario and contender.
 * @param {Array<{ scenario: string, contender: string, startError?: string, result?: Record<string, any> }>} runs
 * @param {string[]} scenarioIds
 * @param {string[]} contenderNames
 */
export function summarize(runs, scenarioIds, contenderNames) {
  const groups = [];
  for (const scenario of scenarioIds) {
    for (const contender of contenderNames) {
      // A broker that never started has no figures; the run log says why.
      const mine = runs.filter((run) => run.scenario === scenario && run.contender === contender && run.startError === undefined);
      if (mine.length === 0) continue;
      const measured = mine.filter((run) => run.result !== undefined && typeof run.result.received === 'number');
      /** @type {Record<string, ReturnType<typeof spread>>} */
      const figures = {};
      for (const [key, field] of Object.entries(FIGURES)) {
        figures[key] = spread(measured.map((run) => run.result?.[field]).filter((value) => typeof value === 'number'));
      }
      groups.push({
        scenario,
        contender,
        runs: mine.length,
        ok: mine.filter((run) => run.result?.status === 'ok').length,
        figures,
      });
    }
  }
  return groups;
}

/** 1234567 -> "1.23M", 45678 -> "45.7k", 12.3 -> "12". */
function compact(value) {
  if (value === undefined) return '-';
  const size = Math.abs(value);
  if (size >= 1e6) return `${(value / 1e6).toFixed(size >= 1e7 ? 1 : 2)}M`;
  if (size >= 1e4) return `${(value / 1e3).toFixed(size >= 1e5 ? 0 : 1)}k`;
  return String(Math.round(value));
}

/** "median [min-max]", or just the median when the runs agree or there is one. */
function cell(figure) {
  if (!figure) return '-';
  const median = compact(figure.median);
  const min = compact(figure.min);
  const max = compact(figure.max);
  return figure.n === 1 || min === max ? median : `${median} [${min}-${max}]`;
}

/** @param {string[][]} rows first row is the header */
function table(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row) => row.map((text, column) => (column < 2 ? text.padEnd(widths[column]) : text.padStart(widths[column]))).join('  ');
  return [line(rows[0]), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

function ratio(a, b) {
  return a && b && b.median > 0 ? `${(a.median / b.median).toFixed(2)}x` : '-';
}

/**
 * The printed report: a main table, a latency table for latency scenarios, ratios to the baseline,
 * and notes where gen_reads says a setup flipped between two modes.
 * @param {ReturnType<typeof summarize>} groups
 * @param {{ id: string, latency?: boolean }[]} scenarios
 * @param {string} baseline
 */
export function formatReport(groups, scenarios, baseline) {
  const out = [];
  out.push(
    table([
      ['scenario', 'contender', 'msgs/s', 'lost', 'p99 µs', 'broker CPU %', 'gen_reads', 'ok'],
      ...groups.map((group) => [
        group.scenario,
        group.contender,
        cell(group.figures.throughput),
        cell(group.figures.lost),
        cell(group.figures.p99),
        cell(group.figures.brokerCpu),
        cell(group.figures.genReads),
        `${group.ok}/${group.runs}`,
      ]),
    ]),
  );

  const latencyIds = new Set(scenarios.filter((scenario) => scenario.latency).map((scenario) => scenario.id));
  const latencyGroups = groups.filter((group) => latencyIds.has(group.scenario));
  if (latencyGroups.length > 0) {
    out.push('', 'Latency at a fixed rate (µs, publish write to subscriber read):');
    out.push(
      table([
        ['scenario', 'contender', 'p50', 'p99', 'p99.9', 'max'],
        ...latencyGroups.map((group) => [
          group.scenario,
          group.contender,
          cell(group.figures.p50),
          cell(group.figures.p99),
          cell(group.figures.p999),
          cell(group.figures.latMax),
        ]),
      ]),
    );
  }

  const others = groups.filter((group) => group.contender !== baseline);
  const base = (scenario) => groups.find((group) => group.scenario === scenario && group.contender === baseline);
  const ratioRows = others.filter((group) => base(group.scenario));
  if (ratioRows.length > 0) {
    out.push('', `Ratio to ${baseline} (medians; throughput higher is better, p99 and CPU lower is better):`);
    out.push(
      table([
        ['scenario', 'contender', 'msgs/s', 'p99', 'broker CPU'],
        ...ratioRows.map((group) => {
          const b = /** @type {NonNullable<ReturnType<typeof base>>} */ (base(group.scenario));
          return [
            group.scenario,
            `${group.contender}/${baseline}`,
            ratio(group.figures.throughput, b.figures.throughput),
            ratio(group.figures.p99, b.figures.p99),
            ratio(group.figures.brokerCpu, b.figures.brokerCpu),
          ];
        }),
      ]),
    );
  }

  const notes = [];
  for (const group of groups) {
    const reads = group.figures.genReads;
    if (reads && reads.n > 1 && reads.max > 4 * Math.max(1, reads.min)) {
      notes.push(
        `${group.scenario} ${group.contender}: gen_reads went from ${compact(reads.min)} to ${compact(reads.max)}, so the runs were in two modes (large vs one-message reads); compare runs with like gen_reads or add reps.`,
      );
    }
    if (group.ok < group.runs) notes.push(`${group.scenario} ${group.contender}: ${group.runs - group.ok} of ${group.runs} runs did not finish cleanly (see .bench/results.json).`);
  }
  if (notes.length > 0) out.push('', 'Notes:', ...notes.map((note) => `- ${note}`));
  return out.join('\n');
}
