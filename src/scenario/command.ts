export async function runScenarioCommand(): Promise<number> {
  return 2;
}
