import { Box, Text } from 'ink';
import { useSyncExternalStore } from 'react';
import type { Notice } from '../app-state.js';
import { footerLine, type KeyScope } from '../keys/key-table.js';
import type { KeyRouter } from '../keys/router.js';

export interface FooterProps {
  width: number;
  /** Whose keys: the focused pane, the shown screen, or the help overlay. */
  scope: KeyScope;
  /** Says whether a text field takes the keys now. */
  router: KeyRouter;
  notice: Notice | null;
  /** True on the home screen, where Tab and the digits move between panes. */
  home: boolean;
}

const NOTICE = { error: { color: 'red', sign: '✗ ' }, info: { color: 'green', sign: '✓ ' }, waiting: { color: 'yellow', sign: '… ' } } as const;

/** The keys of the focused scope, from the key table. */
export function footerKeys(scope: KeyScope, editing: boolean, home: boolean): string {
  if (scope === 'help') return footerLine(['help']);
  // The console's line has its own keys; every other field shares the generic ones.
  if (editing) return footerLine([scope === 'console' ? 'console-line' : scope === 'topics' ? 'topics-form' : 'field']);
  return footerLine(home ? [scope, 'global', 'home', 'screens'] : [scope, 'global', 'screens']);
}

/** Two lines: what the keys do right now, and what the last action did (or why it failed). */
export function Footer({ width, scope, router, notice, home }: FooterProps) {
  const editing = useSyncExternalStore(router.subscribe, router.editing, router.editing);
  return (
    <Box width={width} height={2} flexDirection="column" flexShrink={0}>
      <Text wrap="truncate-end" color={editing ? 'cyan' : 'gray'}>
        {footerKeys(scope, editing, home)}
      </Text>
      {notice ? (
        <Text wrap="truncate-end" color={NOTICE[notice.kind].color}>
          {NOTICE[notice.kind].sign}
          {notice.text}
        </Text>
      ) : (
        <Text> </Text>
      )}
    </Box>
  );
}
