import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bigDigits } from '../src/ui/big-digits.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
const anchorOf = (heading: string) => heading.trim().toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');

describe('the README', () => {
  it('links only to files that exist and to headings it has', () => {
    const anchors = new Set([...readme.matchAll(/^#+ (.*)$/gm)].map((match) => anchorOf(match[1]!)));
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!).filter((link) => !/^https?:/.test(link));
    expect(links.length).toBeGreaterThan(3);
    for (const link of links) {
      if (link.startsWith('#')) expect(anchors, link).toContain(link.slice(1));
      else expect(existsSync(new URL(`../${link.split('#')[0]}`, import.meta.url)), link).toBe(true);
    }
  });

  it('draws the Thermostat pane with the big digits the pane really uses', () => {
    for (const row of bigDigits('21.5')) expect(readme).toContain(`│ ${row}`);
  });

  it('says how flags and the users command pass through npm start', () => {
    expect(readme).toContain('npm start -- --port');
    expect(readme).toContain('npm start -- users add');
  });
});
