import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Each test file owns its ports and data files, so files run in parallel.
    pool: 'forks',
    // The broker thread and the fleet are worker threads: from the sources they run src/*.ts too.
    execArgv: ['--import', fileURLToPath(new URL('./test/support/register-ts.mjs', import.meta.url))],
    // Ink skips resize handling and live frames when it thinks it runs in CI; the UI tests check both.
    env: { CI: '0', CONTINUOUS_INTEGRATION: '0' },
  },
});
