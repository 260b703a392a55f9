/**
 * How long the store waits after a change before it writes the file. A home of a few hundred
 * kilobytes is written within coalesceMs. A larger one (a fleet of thousands of objects:
 * megabytes of JSON, tens of milliseconds of the main thread to turn into text) waits nine times
 * as long as turning the last write into text took, so writing holds that thread a tenth of the
 * time at most, and never longer than a second.
 */
const SLOW_TEXT_MS = 10;
const WAIT_PER_WRITE = 9;
const LONGEST_WAIT_MS = 1000;

/** The wait before the next write, given how long the last one took to turn the home into text. */
export function writeWait(lastTextMs: number, coalesceMs: number): number {
  if (lastTextMs <= SLOW_TEXT_MS) return coalesceMs;
  return Math.max(coalesceMs, Math.min(LONGEST_WAIT_MS, Math.round(lastTextMs * WAIT_PER_WRITE)));
}
