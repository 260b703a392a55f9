/** `--scenario FILE`: the scenario runs on the UI's own home, its progress in the status bar, its failures in the log. */
import type { Runtime } from '../runtime.js';
import { FastClock } from '../sim/clock.js';
import { runScenarioOn, scenarioHooks } from './run.js';
import { secondsText, type Scenario } from './steps.js';

export { scenarioHooks };

/** In the UI the home keeps the wall's pace, held still until the scenario starts. */
export function scenarioClock(): FastClock {
  return new FastClock(1);
}

export function runInUi(scenario: Scenario, runtime: Runtime, clock: FastClock): void {
  const say = (detail: string) => runtime.note({ kind: 'info', clientId: '(scenario)', detail });
  say(`Scenario ${scenario.name}: ${scenario.steps.length} steps.`);
  runScenarioOn(scenario, runtime, clock, {
    onStep: (step, _done, total) => runtime.showScenario(`scenario ${scenario.name}: step ${step.index}/${total} ${step.verb} at ${secondsText(step.atMs)}`),
  }).then(
    (result) => {
      for (const failure of result.failures) say(failure);
      const expectations = result.steps.filter((step) => step.verb === 'expect');
      const held = expectations.filter((step) => step.ok).length;
      runtime.showScenario(
        result.passed
          ? `scenario ${scenario.name}: passed (${held}/${expectations.length})`
          : `scenario ${scenario.name}: FAILED ${result.failures.length} (see the log)`,
      );
      say(`Scenario ${scenario.name} ${result.passed ? 'passed' : 'failed'}: ${held} of ${expectations.length} expectations held.`);
    },
    (error: unknown) => {
      runtime.showScenario(`scenario ${scenario.name}: FAILED to run`);
      say(`Scenario ${scenario.name} could not run: ${error instanceof Error ? error.message : String(error)}`);
    },
  );
}
