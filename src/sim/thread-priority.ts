import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** How much nicer than the rest of the program the fleet's threads run. */
export const FLEET_NICENESS = 10;

/**
 * Lowers the priority of the calling thread only, so simulated devices give way to the UI and
 * the broker when the cores are busy (a key is drawn before a reading is sent), and still use
 * every idle cycle. Linux keeps a niceness per thread, named by the thread's id; elsewhere, or
 * when the system refuses, the thread keeps the process's priority. Returns the thread's id
 * when it was lowered.
 */
export function lowerThisThread(by = FLEET_NICENESS): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    // "<pid>/task/<tid>"
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isInteger(tid) || tid <= 0) return undefined;
    setPriority(tid, Math.min(19, getPriority(tid) + by));
    return tid;
  } catch {
    return undefined;
  }
}
