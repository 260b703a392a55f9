import { parseArgs } from './options.js';
import { startRuntime, describeStartError, type Runtime } from './runtime.js';
import { createLogPrinter } from './headless.js';
import { runUsersCommand } from './users-command.js';

/** The program: arguments -> config -> runtime -> UI or headless log. Resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.kind === 'exit') {
    (parsed.toStderr ? process.stderr : process.stdout).write(parsed.output);
    return parsed.code;
  }
  if (parsed.kind === 'users') return runUsersCommand(parsed, process);
  const { config } = parsed;

  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  if (!config.headless && !interactive) {
    process.stderr.write(
      'smart-home-tui: no terminal to draw the UI in (stdin or stdout is not a TTY); run it with --headless to print the broker log instead.\n',
    );
    return 2;
  }

  // The UI's modules (Ink, React, the panes) load while the broker thread and the devices start.
  const uiModule = config.headless ? undefined : import('./ui/index.js');
  uiModule?.catch(() => undefined);

  let runtime: Runtime;
  try {
    runtime = await startRuntime(config, {
      onTraffic: config.headless ? createLogPrinter(process.stdout, config.json) : undefined,
    });
  } catch (error) {
    const sentence = describeStartError(error);
    if (sentence === undefined) throw error;
    process.stderr.write(`smart-home-tui: ${sentence}\n`);
    return 1;
  }
  for (const warning of runtime.warnings) process.stderr.write(`smart-home-tui: warning: ${warning}\n`);

  const stopped = new Promise<number>((resolve) => {
    let stopping = false;
    // The UI's screens own clients of their own; they leave before the broker closes.
    let stopScreens: () => Promise<void> = async () => {};
    const stop = (code: number) => {
      if (stopping) return;
      stopping = true;
      stopScreens()
        .catch(() => undefined)
        .then(() => runtime.stop())
        .then(
        () => resolve(code),
        (error: unknown) => {
          process.stderr.write(`smart-home-tui: could not stop cleanly: ${error instanceof Error ? error.message : String(error)}\n`);
          resolve(1);
        },
      );
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => stop(0));
    if (config.headless) {
      process.stderr.write(
        config.brokerUrl
          ? `smart-home-tui: using broker ${runtime.brokerUrl}, data in ${runtime.dataFile}\n`
          : `smart-home-tui: broker on ${runtime.brokerUrl}${runtime.wsUrl ? ` and ${runtime.wsUrl}` : ''}, data in ${runtime.dataFile}\n`,
      );
      if (runtime.movedAside) process.stderr.write(`smart-home-tui: the old data file was moved to ${runtime.movedAside}\n`);
    } else {
      // Ink draws nothing until exit when CI is set; this program has a terminal (checked above), so draw.
      for (const name of ['CI', 'CONTINUOUS_INTEGRATION']) delete process.env[name];
      void uiModule!.then(async ({ runUi, startScreens }) => {
        const screens = await startScreens({ url: runtime.brokerUrl, login: runtime.login });
        stopScreens = screens.stop;
        const ui = runUi({ source: runtime.view, actions: runtime.actions, screens: screens.screens, onQuit: () => ui.unmount() });
        ui.waitUntilExit().then(
          () => stop(0),
          () => stop(0),
        );
      });
    }
  });

  const code = await stopped;
  // Leftover handles (a slow socket) must not keep a stopped program alive.
  setTimeout(() => process.exit(code), 2000).unref();
  return code;
}
