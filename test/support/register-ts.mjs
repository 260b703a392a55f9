// Lets threads started from the sources (the broker thread, the fleet) run src/*.ts as the
// tests do: vitest passes this to its test processes, and worker threads inherit it.
import { register } from 'node:module';

register('./ts-hooks.mjs', import.meta.url);
