// The machine's load during a whole-program suite. "busy" is a second process that burns one
// core for as long as the suite runs, so the numbers of a machine that is never idle (a
// person's laptop) can be reproduced; "idle" adds nothing. The load average before each run is
// recorded beside the numbers either way, since other programs may be running too.
import os from 'node:os';
import { startProgram, stopProgram } from './processes.mjs';

export const LOADS = ['idle', 'busy'];

/** `--load idle,busy` -> ['idle', 'busy']; undefined -> ['idle']. */
export function parseLoads(text) {
  const loads = text === undefined ? ['idle'] : text.split(',').map((load) => load.trim());
  const unknown = loads.find((load) => !LOADS.includes(load));
  if (unknown !== undefined) throw new Error(`Unknown load "${unknown}"; choose from ${LOADS.join(', ')}.`);
  return loads;
}

/** The sentence for a table's title: what ran beside the program. */
export function describeLoad(load, loadAverage) {
  const average = `load average ${loadAverage.toFixed(2)} on ${os.cpus().length} cores before the run`;
  return load === 'busy' ? `busy: a second process burning one core; ${average}` : `idle: nothing added; ${average}`;
}

/** Runs `measure` under the load: for "busy", with a process spinning on one core until it ends. */
export async function underLoad(load, measure) {
  const loadAverage = os.loadavg()[0];
  if (load !== 'busy') return { loadAverage, result: await measure() };
  // A tight loop in its own process: one core's worth of work that never sleeps.
  const burner = startProgram(process.execPath, ['-e', 'for (;;) {}']);
  try {
    return { loadAverage, result: await measure() };
  } finally {
    await stopProgram(burner, 1000);
  }
}
