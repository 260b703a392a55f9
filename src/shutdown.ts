/**
 * SIGINT, SIGTERM and SIGHUP at any moment of the program's life, start-up included. The first
 * signal asks for a stop in order (whatever has started is stopped, the data file is written);
 * a second one ends the program at once, with one line saying what was not written.
 */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

const STOP_SIGNALS: readonly StopSignal[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The shell's convention: 128 + the signal's number. */
export const SIGNAL_EXIT_CODES: Readonly<Record<StopSignal, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/** Thrown by a start-up that a signal cut short; whatever had started is stopped by then. */
export class StartStopped extends Error {
  constructor() {
    super('The start was stopped by a signal.');
    this.name = 'StartStopped';
  }
}

interface SignalTarget {
  on(event: StopSignal, listener: () => void): unknown;
  off(event: StopSignal, listener: () => void): unknown;
}

export interface ShutdownOptions {
  /** The process whose signals are handled; `process` unless a test gives its own. */
  target?: SignalTarget;
  /** A second signal: writes its line and ends the program. */
  exitAtOnce?: (line: string, code: number) => void;
  /** The first signal, before the stop begins (headless: a line saying a second one stops at once). */
  onFirst?: (signal: StopSignal) => void;
}

export class Shutdown {
  readonly #controller = new AbortController();
  readonly #target: SignalTarget;
  readonly #exitAtOnce: (line: string, code: number) => void;
  readonly #listeners = new Map<StopSignal, () => void>();
  #received: StopSignal | undefined;
  #stopping = false;
  #unwritten: () => string | undefined = () => undefined;
  /** Resolves at the first signal. */
  readonly requested: Promise<void>;

  constructor(options: ShutdownOptions = {}) {
    this.#target = options.target ?? process;
    this.#exitAtOnce =
      options.exitAtOnce ??
      ((line, code) => {
        process.stderr.write(`${line}\n`);
        process.exit(code);
      });
    let resolve: () => void = () => {};
    this.requested = new Promise((done) => (resolve = done));
    // The listeners stay (`on`, not `once`): the lock library's exit hook re-raises a signal
    // that no other listener is left to handle.
    for (const signal of STOP_SIGNALS) {
      const listener = () => {
        if (!this.#stopping) {
          this.#stopping = true;
          this.#received = signal;
          options.onFirst?.(signal);
          this.#controller.abort();
          resolve();
          return;
        }
        this.#exitAtOnce(this.#atOnceLine(), SIGNAL_EXIT_CODES[signal]);
      };
      this.#listeners.set(signal, listener);
      this.#target.on(signal, listener);
    }
  }

  /** Aborted at the first signal: the start-up checks it between its steps. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The first signal, or undefined while none came. */
  get received(): StopSignal | undefined {
    return this.#received;
  }

  /** The exit code a signal asks for, or undefined while none came. */
  get exitCode(): number | undefined {
    return this.#received === undefined ? undefined : SIGNAL_EXIT_CODES[this.#received];
  }

  /** The program stops (a signal, or `q` in the UI): from now on a signal ends it at once. */
  stopping(): void {
    this.#stopping = true;
  }

  /** Tells what a stop at once would leave unwritten, or undefined when everything is written. */
  describeUnwritten(describe: () => string | undefined): void {
    this.#unwritten = describe;
  }

  /** Gives the signals back (tests). */
  dispose(): void {
    for (const [signal, listener] of this.#listeners) this.#target.off(signal, listener);
    this.#listeners.clear();
  }

  #atOnceLine(): string {
    const unwritten = this.#unwritten();
    return `smart-home-tui: stopped at once; ${unwritten ?? 'every change was already in the data file'}.`;
  }
}
