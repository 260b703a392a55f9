#!/usr/bin/env node
import module from 'node:module';
// Node 22.1 and later keep the compiled program between runs (in the system's temporary folder),
// so a start after the first compiles nothing: the UI bundle alone took 70 ms to compile.
module.enableCompileCache?.();
// React's development checks cost more than the rendering itself; a user runs the production build.
process.env.NODE_ENV ??= 'production';
const { main } = await import('../dist/cli.js');

main(process.argv).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (error) => {
    // Only a defect in the program itself reaches here; user mistakes are handled in main().
    console.error(`smart-home-tui: internal error: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 70;
  },
);
