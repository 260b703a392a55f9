#!/usr/bin/env node
import { main } from '../dist/cli.js';

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
