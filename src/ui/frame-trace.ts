import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Opt-in timing of the UI for the benchmark: with SMART_HOME_TUI_TRACE_FRAMES=FILE the
 * program appends one line per drawn frame and per chunk of keys read from the terminal:
 *
 *     frame <epoch ms> <render ms>
 *     key <epoch ms> <bytes>
 *
 * Epoch times come from the high-resolution clock, so a reader can pair keys with frames
 * and count frames per second. Without the variable nothing is traced and nothing is opened.
 */
export interface FrameTrace {
  frame(renderMs: number): void;
  key(bytes: number): void;
  close(): void;
}

export const TRACE_FRAMES_ENV = 'SMART_HOME_TUI_TRACE_FRAMES';

const now = () => performance.timeOrigin + performance.now();

export function openFrameTrace(env: NodeJS.ProcessEnv = process.env): FrameTrace | undefined {
  const file = env[TRACE_FRAMES_ENV];
  if (!file) return undefined;
  let fd: number | undefined;
  try {
    fd = openSync(file, 'a');
  } catch {
    // A trace that cannot be written must not keep the program from starting.
    return undefined;
  }
  const line = (text: string) => {
    if (fd === undefined) return;
    try {
      writeSync(fd, text);
    } catch {
      fd = undefined;
    }
  };
  line(`start ${performance.timeOrigin.toFixed(3)}\n`);
  return {
    frame: (renderMs) => line(`frame ${now().toFixed(3)} ${renderMs.toFixed(3)}\n`),
    key: (bytes) => line(`key ${now().toFixed(3)} ${bytes}\n`),
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}
