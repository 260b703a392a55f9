import { Box, Text, useInput } from 'ink';
import { useState } from 'react';
import { FIELD_KEYS, GLOBAL_KEYS, PANE_KEYS, PANE_ORDER, PANE_TITLES, type KeyHelp } from '../key-map.js';
import { fit } from '../printable.js';
import type { Screen } from '../screens.js';

export interface HelpOverlayProps {
  width: number;
  height: number;
  /** Screens beside the home; their keys get a section each. */
  screens?: readonly Screen[];
  onClose: () => void;
}

const MIN_COLUMN_WIDTH = 38;

/** Every key on one screen. It owns the keyboard while it is open (Ctrl-C still quits, in the App). */
export function HelpOverlay({ width, height, screens = [], onClose }: HelpOverlayProps) {
  const [offset, setOffset] = useState(0);
  const sections: Array<[string, readonly KeyHelp[]]> = [
    ['Everywhere', GLOBAL_KEYS],
    ['In a text field', FIELD_KEYS],
    ...PANE_ORDER.filter((pane) => PANE_KEYS[pane].length > 0).map(
      (pane): [string, readonly KeyHelp[]] => [`${PANE_ORDER.indexOf(pane) + 1} ${PANE_TITLES[pane]}`, PANE_KEYS[pane]],
    ),
    ...screens.filter((screen) => screen.keys.length > 0).map((screen): [string, readonly KeyHelp[]] => [`${screen.title} screen`, screen.keys]),
  ];
  const lines: Array<{ heading?: string; key?: KeyHelp }> = [];
  for (const [heading, keys] of sections) {
    lines.push({ heading });
    for (const key of keys) lines.push({ key });
  }
  // As many columns as fit at a readable width; what still does not fit scrolls.
  const maxColumns = Math.max(1, Math.floor((width - 4) / MIN_COLUMN_WIDTH));
  const scrolls = lines.length > (height - 2) * maxColumns;
  // When it scrolls, the last line says so.
  const inner = Math.max(1, height - 2 - (scrolls ? 1 : 0));
  const columns = Math.max(1, Math.min(Math.ceil(lines.length / inner), maxColumns));
  const page = inner * columns;
  const maxOffset = Math.max(0, lines.length - page);
  const start = Math.min(offset, maxOffset);
  const shown = lines.slice(start, start + page);
  const columnWidth = Math.floor((width - 4) / columns);
  const keyWidth = 16;

  useInput((input, key) => {
    if (key.escape || input === '?' || input === 'q') onClose();
    else if (key.downArrow) setOffset(Math.min(maxOffset, start + 1));
    else if (key.upArrow) setOffset(Math.max(0, start - 1));
    else if (key.pageDown || input === ' ') setOffset(Math.min(maxOffset, start + page));
    else if (key.pageUp) setOffset(Math.max(0, start - page));
  });

  return (
    <Box width={width} height={height} borderStyle="round" borderColor="cyan" paddingX={1} flexShrink={0} overflow="hidden" flexDirection="column">
      <Box height={inner}>
      {Array.from({ length: columns }, (_, column) => (
        <Box key={column} flexDirection="column" width={columnWidth}>
          {shown.slice(column * inner, (column + 1) * inner).map((line, index) =>
            line.heading ? (
              <Text key={index} bold wrap="truncate-end">
                {line.heading}
              </Text>
            ) : (
              <Text key={index} wrap="truncate-end">
                <Text color="cyan">{fit(`  ${line.key!.keys}`, keyWidth)}</Text> {line.key!.does}
              </Text>
            ),
          )}
        </Box>
      ))}
      </Box>
      {scrolls ? (
        <Text dimColor wrap="truncate-end">
          ↑↓ PgUp PgDn more keys ({start + 1}–{Math.min(lines.length, start + page)} of {lines.length}) · Esc close
        </Text>
      ) : null}
    </Box>
  );
}
