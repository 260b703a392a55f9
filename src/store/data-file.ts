import path from 'node:path';
import envPaths from 'env-paths';

/** Where the home lives when no --data FILE is given. */
export function defaultDataFile(): string {
  return path.join(envPaths('smart-home-tui', { suffix: '' }).data, 'home.json');
}
