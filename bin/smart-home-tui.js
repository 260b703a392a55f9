#!/usr/bin/env node
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
