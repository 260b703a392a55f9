import { Box, Text } from 'ink';
import { FOOTER_GLOBAL_KEYS, FOOTER_SCREEN_KEYS, FIELD_KEYS, keyLine, type KeyHelp } from '../key-map.js';

export interface Notice {
  text: string;
  /** 'error': an action failed; 'info': an action was sent. */
  kind: 'error' | 'info';
}

export interface FooterProps {
  width: number;
  /** Keys of the focused pane. */
  keys: readonly KeyHelp[];
  editing: boolean;
  notice: Notice | null;
  /** True on the home screen, where Tab and the digits move between panes. */
  home?: boolean;
}

/** Two lines: what the keys do right now, and what the last action did (or why it failed). */
export function Footer({ width, keys, editing, notice, home = true }: FooterProps) {
  // A screen's own line (the console) lists its own keys; the home's fields share the generic ones.
  const fieldKeys = home ? FIELD_KEYS : keys;
  const line = editing ? keyLine(fieldKeys) : keyLine([...keys, ...(home ? FOOTER_GLOBAL_KEYS : FOOTER_SCREEN_KEYS)]);
  return (
    <Box width={width} height={2} flexDirection="column" flexShrink={0}>
      <Text wrap="truncate-end" color={editing ? 'cyan' : 'gray'}>
        {line}
      </Text>
      {notice ? (
        <Text wrap="truncate-end" color={notice.kind === 'error' ? 'red' : 'green'}>
          {notice.kind === 'error' ? '✗ ' : '✓ '}
          {notice.text}
        </Text>
      ) : (
        <Text> </Text>
      )}
    </Box>
  );
}
