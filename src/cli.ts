import { existsSync } from 'node:fs';
import type { Config } from './config.js';
import type { HomeDefaults } from './sim/defaults.js';
import type { HomeDefaultsFile } from './sim/defaults-file.js';
import type { Scenario } from './scenario/steps.js';
import { createLogPrinter } from './headless.js';
import { parseArgs } from './options.js';
import type { Runtime, RuntimeHooks } from './runtime.js';
import { Shutdown, StartStopped } from './shutdown.js';
import type { HomeStore } from './store/home-store.js';
import type { HomeActions, HomeViewSource } from './sim/view-types.js';
import type { TopicSource } from './wire/topic-view.js';

/** The program: arguments -> config -> runtime -> UI or headless log. Resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.kind === 'exit') {
    (parsed.toStderr ? process.stderr : process.stdout).write(parsed.output);
    return parsed.code;
  }
  if (parsed.kind === 'users') return (await import('./users-command.js')).runUsersCommand(parsed, process);
  if (parsed.kind === 'replay') return finish((await import('./replay.js')).runReplay(parsed, { stderr: process.stderr, stopped: new Shutdown().requested }));
  if (parsed.kind === 'scenario') {
    const defaults = await readHomeDefaults();
    if (!defaults) return 1;
    const { runScenarioCommand } = await import('./scenario/command.js');
    return finish(runScenarioCommand(parsed, defaults, { stdout: process.stdout, stderr: process.stderr, stopped: new Shutdown().requested }));
  }
  const { config } = parsed;
  // From here on a signal stops the program in order, whatever it is doing.
  const shutdown = new Shutdown({
    // In the UI the screen is busy until it is given back; headless, the log says what happens.
    onFirst: (signal) => {
      if (config.headless) process.stderr.write(`smart-home-tui: ${signal} received, stopping; a second one stops at once.\n`);
    },
  });

  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  if (!config.headless && !interactive) {
    process.stderr.write(
      'smart-home-tui: no terminal to draw the UI in (stdin or stdout is not a TTY); run it with --headless to print the broker log instead.\n',
    );
    return 2;
  }
  // data/home.json, read once here and handed to every part that needs it. In the terminal it is
  // checked once the first frame is drawn: loading the checker took longer than drawing.
  const file = await readDefaultsFile();
  if (!file) return 1;
  // A malformed --scenario file is said before the UI takes the screen.
  let scenario: Scenario | undefined;
  if (config.scenario !== undefined) {
    const read = await (await import('./scenario/command.js')).readScenario(config.scenario, config.brokerUrl);
    if (typeof read === 'string') {
      process.stderr.write(`smart-home-tui: ${read}\n`);
      return 2;
    }
    scenario = read;
  }
  if (!config.headless) return finish(runInTerminal(config, file, shutdown, scenario));
  const defaults = await checkHomeDefaults(file);
  if (typeof defaults === 'string') {
    process.stderr.write(`smart-home-tui: ${defaults}\n`);
    return 1;
  }
  return finish(runHeadless(config, defaults, shutdown));
}

/** Leftover handles (a slow socket) must not keep a stopped program alive. */
async function finish(run: Promise<number>): Promise<number> {
  const code = await run;
  setTimeout(() => process.exit(code), 2000).unref();
  return code;
}

/** The shipped data/home.json, read but not checked, or undefined after one sentence saying why it cannot be. */
async function readDefaultsFile(): Promise<HomeDefaultsFile | undefined> {
  const { readHomeDefaultsFile } = await import('./sim/defaults-file.js');
  const { HomeError } = await import('./sim/errors.js');
  try {
    return readHomeDefaultsFile();
  } catch (error) {
    if (!(error instanceof HomeError)) throw error;
    process.stderr.write(`smart-home-tui: ${error.message}\n`);
    return undefined;
  }
}

/** The file's defaults once checked, or the one sentence that says what is wrong with them. */
async function checkHomeDefaults(file: HomeDefaultsFile): Promise<HomeDefaults | string> {
  const { parseHomeDefaults } = await import('./sim/defaults.js');
  const { HomeError } = await import('./sim/errors.js');
  try {
    return parseHomeDefaults(file.json, file.source);
  } catch (error) {
    if (!(error instanceof HomeError)) throw error;
    return error.message;
  }
}

/** The shipped data/home.json, checked, or undefined after one sentence saying what is wrong with it. */
async function readHomeDefaults(): Promise<HomeDefaults | undefined> {
  const file = await readDefaultsFile();
  if (!file) return undefined;
  const defaults = await checkHomeDefaults(file);
  if (typeof defaults !== 'string') return defaults;
  process.stderr.write(`smart-home-tui: ${defaults}\n`);
  return undefined;
}

/** What a stop at once would leave out of the data file, or undefined when it holds every change. */
function unwrittenOf(store: HomeStore): string | undefined {
  const since = store.unsavedSince;
  if (since === undefined) return undefined;
  return `the changes of the last ${Date.now() - since} ms were not written to ${store.file}`;
}

/** Starts the runtime, or gives the one sentence that says why it cannot, or says that a signal stopped the start. */
async function start(
  config: Config,
  hooks: RuntimeHooks,
  shutdown: Shutdown,
  signal: AbortSignal = shutdown.signal,
): Promise<Runtime | { refused: string } | { stopped: true }> {
  // Loaded on demand so the UI's first frame does not wait for the broker, store and device modules.
  const { startRuntime, describeStartError } = await import('./runtime.js');
  try {
    return await startRuntime(config, { ...hooks, signal, onStore: (store) => shutdown.describeUnwritten(() => unwrittenOf(store)) });
  } catch (error) {
    if (error instanceof StartStopped) return { stopped: true };
    const sentence = describeStartError(error);
    if (sentence === undefined) throw error;
    return { refused: sentence };
  }
}

type UiModule = typeof import('./ui/index.js');

/** The UI as bundled when the build made the bundle (it loads three times faster), else module by module. */
async function loadUi(): Promise<UiModule> {
  const bundle = new URL('./ui-bundle/index.js', import.meta.url);
  if (existsSync(bundle)) return (await import(bundle.href)) as UiModule;
  return import('./ui/index.js');
}

/** Stops in order and gives the exit code: 0, or 1 when something would not stop. */
async function stopAll(...parts: Array<(() => Promise<void>) | undefined>): Promise<number> {
  let code = 0;
  for (const stop of parts) {
    if (!stop) continue;
    try {
      await stop();
    } catch (error) {
      process.stderr.write(`smart-home-tui: could not stop cleanly: ${error instanceof Error ? error.message : String(error)}\n`);
      code = 1;
    }
  }
  return code;
}

async function runHeadless(config: Config, defaults: HomeDefaults, shutdown: Shutdown): Promise<number> {
  const runtime = await start(config, { defaults, onTraffic: createLogPrinter(process.stdout, config.json) }, shutdown);
  if ('stopped' in runtime) return shutdown.exitCode ?? 0;
  if ('refused' in runtime) {
    process.stderr.write(`smart-home-tui: ${runtime.refused}\n`);
    return 1;
  }
  for (const warning of runtime.warnings) process.stderr.write(`smart-home-tui: warning: ${warning}\n`);
  process.stderr.write(
    config.brokerUrl
      ? `smart-home-tui: using broker ${runtime.brokerUrl}, data in ${runtime.dataFile}\n`
      : `smart-home-tui: broker on ${runtime.brokerUrl}${runtime.wsUrl ? ` and ${runtime.wsUrl}` : ''}, data in ${runtime.dataFile}\n`,
  );
  if (runtime.movedAside) process.stderr.write(`smart-home-tui: the old data file was moved to ${runtime.movedAside}\n`);
  await shutdown.requested;
  return (await stopAll(() => runtime.stop())) || (shutdown.exitCode ?? 0);
}

/**
 * The UI is drawn first, with "starting…" in the status bar, and the home is handed to it once
 * the broker and the devices are up: the first frame does not wait for them.
 */
async function runInTerminal(config: Config, file: HomeDefaultsFile, shutdown: Shutdown, scenario: Scenario | undefined): Promise<number> {
  // Ink draws nothing until exit when CI is set; this program has a terminal (checked above), so draw.
  // This must happen before Ink is loaded: it reads the variable once.
  for (const name of ['CI', 'CONTINUOUS_INTEGRATION']) delete process.env[name];
  const ui = await loadUi();
  // The first frame shows the file's default setpoint. A file without a usable one is checked
  // first, so its sentence is said before the UI takes the screen.
  let checked: HomeDefaults | undefined;
  let setpoint = (await import('./sim/defaults-file.js')).setpointInFile(file.json);
  if (setpoint === undefined) {
    const early = await checkHomeDefaults(file);
    if (typeof early === 'string') {
      process.stderr.write(`smart-home-tui: ${early}\n`);
      return 1;
    }
    checked = early;
    setpoint = early.thermostat.defaultSetpoint;
  }
  const starting = ui.startingView({
    url: config.brokerUrl ?? `mqtt://${config.host}:${config.port}`,
    dataFile: config.dataFile,
    defaultSetpoint: setpoint,
  });
  // The UI draws on the terminal's alternate screen; unmount() gives the terminal back, and a
  // sentence is written only after that, so it is all that is left on the screen.
  const screen = ui.runUi({ ...starting, onQuit: () => screen.unmount() });
  const closed = screen.waitUntilExit();
  // q (or Ctrl-C in the UI) and a signal both stop the home, also while it is still starting.
  const quit = new AbortController();
  const stop = Promise.race([closed, shutdown.requested]).then(() => {
    shutdown.stopping();
    quit.abort();
  });
  shutdown.signal.addEventListener('abort', () => quit.abort(), { once: true });
  try {
    const defaults = checked ?? (await checkHomeDefaults(file));
    if (typeof defaults === 'string') {
      screen.unmount();
      process.stderr.write(`smart-home-tui: ${defaults}\n`);
      return 1;
    }
    return await runHome(config, defaults, ui, { screen, waiting: starting.actions }, { stop, shutdown, signal: quit.signal }, scenario);
  } finally {
    screen.unmount();
    await closed.catch(() => undefined);
  }
}

interface Stopping {
  /** Resolves on q in the UI or a signal. */
  stop: Promise<void>;
  shutdown: Shutdown;
  /** Aborted by either of them. */
  signal: AbortSignal;
}

async function runHome(
  config: Config,
  defaults: HomeDefaults,
  ui: UiModule,
  { screen, waiting }: { screen: ReturnType<UiModule['runUi']>; waiting: HomeActions },
  stopping: Stopping,
  scenario: Scenario | undefined,
): Promise<number> {
  const { stop, shutdown } = stopping;
  const inUi = scenario ? await import('./scenario/in-ui.js') : undefined;
  const clock = inUi?.scenarioClock();
  const hooks = scenario && clock ? inUi!.scenarioHooks(scenario, clock) : {};
  // The broker and its traffic show as soon as the view is connected; what is typed meanwhile
  // still waits for the devices, which start after it.
  const onView = (source: HomeViewSource, topics: TopicSource) => screen.update({ source, actions: waiting, topics });
  const runtime = await start(config, { defaults, ...hooks, onView }, shutdown, stopping.signal);
  if ('stopped' in runtime) {
    screen.unmount();
    return shutdown.exitCode ?? 0;
  }
  if ('refused' in runtime) {
    screen.unmount();
    process.stderr.write(`smart-home-tui: ${runtime.refused}\n`);
    return 1;
  }
  // Warnings go to the log now and to the terminal once the UI has given it back.
  for (const warning of runtime.warnings) runtime.note({ kind: 'info', clientId: '', detail: `Warning: ${warning}` });
  let stopScreens: (() => Promise<void>) | undefined;
  try {
    const screens = await ui.startScreens({ url: runtime.brokerUrl, login: runtime.login, defaults, topics: runtime.topics });
    stopScreens = screens.stop;
    screen.update({ source: runtime.view, actions: runtime.actions, screens: screens.screens, topics: runtime.topics });
    if (scenario && clock) inUi!.runInUi(scenario, runtime, clock);
  } catch (error) {
    screen.unmount();
    await runtime.stop();
    // The screens come from the UI bundle, with their own copy of HomeError: recognise it by name.
    if (!(error instanceof Error && error.name === 'HomeError')) throw error;
    process.stderr.write(`smart-home-tui: ${error.message}\n`);
    return 1;
  }
  await stop;
  screen.unmount();
  const code = (await stopAll(stopScreens, () => runtime.stop())) || (shutdown.exitCode ?? 0);
  for (const warning of runtime.warnings) process.stderr.write(`smart-home-tui: warning: ${warning}\n`);
  if (runtime.movedAside) process.stderr.write(`smart-home-tui: the old data file was moved to ${runtime.movedAside}\n`);
  return code;
}
