/**
 * `smart-home-tui scenario FILE.yaml`: exit 0 when every expectation holds, 1 with one sentence
 * per failed step, 2 for a file that cannot be read or is malformed (line and reason).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScenarioCommand } from '../record-options.js';
import { describeStartError } from '../runtime.js';
import type { HomeDefaults } from '../sim/defaults.js';
import { parseScenario } from './parse.js';
import { runScenario, type ScenarioResult } from './run.js';
import { ScenarioFileError, secondsText, type Scenario } from './steps.js';

export interface ScenarioIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Resolves when the person asks to stop (Ctrl-C). */
  stopped: Promise<void>;
}

/** The file read and checked, or the sentence saying where it is wrong. */
export async function readScenario(file: string, brokerUrl: string | undefined): Promise<Scenario | string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return `cannot read the scenario ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`;
  }
  try {
    const scenario = parseScenario(text);
    const restart = scenario.steps.find((step) => step.verb === 'restart');
    if (restart && brokerUrl) return `${file} line ${restart.line}: restart needs the embedded broker; run it without --broker.`;
    return scenario;
  } catch (error) {
    if (error instanceof ScenarioFileError) return `${file} line ${error.line}: ${error.reason}.`;
    throw error;
  }
}

export async function runScenarioCommand(command: ScenarioCommand, defaults: HomeDefaults, io: ScenarioIo): Promise<number> {
  const scenario = await readScenario(command.file, command.brokerUrl);
  if (typeof scenario === 'string') {
    io.stderr.write(`smart-home-tui: ${scenario}\n`);
    return 2;
  }
  const dir = command.dataFile ? undefined : await mkdtemp(join(tmpdir(), 'smart-home-scenario-'));
  let result: ScenarioResult;
  try {
    const run = runScenario(scenario, {
      speed: command.speed,
      ...(command.brokerUrl ? { brokerUrl: command.brokerUrl } : {}),
      dataFile: command.dataFile ?? join(dir!, 'home.json'),
      defaults,
    });
    const stopped = io.stopped.then(() => 'stopped' as const);
    const outcome = await Promise.race([run, stopped]);
    if (outcome === 'stopped') {
      io.stderr.write(`smart-home-tui: the scenario ${scenario.name} was stopped before its end.\n`);
      await run.catch(() => undefined);
      return 1;
    }
    result = outcome;
  } catch (error) {
    const sentence = describeStartError(error);
    if (sentence === undefined) throw error;
    io.stderr.write(`smart-home-tui: the scenario could not run: ${sentence}\n`);
    return 1;
  } finally {
    if (dir) await rm(dir, { recursive: true, force: true });
  }
  if (command.json) io.stdout.write(`${JSON.stringify({ file: command.file, ...result })}\n`);
  else io.stdout.write(summary(result));
  return result.passed ? 0 : 1;
}

function summary(result: ScenarioResult): string {
  const expectations = result.steps.filter((step) => step.verb === 'expect');
  const held = expectations.filter((step) => step.ok).length;
  const timing = `${secondsText(result.homeMs)} of home time in ${secondsText(result.wallMs)}${result.speed === 1 ? '' : ` at x${result.speed}`}`;
  const lines = result.failures.map((failure) => `${failure}\n`);
  lines.push(
    result.passed
      ? `${result.name}: passed, ${held} of ${expectations.length} expectations held (${timing}).\n`
      : `${result.name}: FAILED, ${result.failures.length} of ${result.steps.length} steps went wrong, ${held} of ${expectations.length} expectations held (${timing}).\n`,
  );
  return lines.join('');
}
