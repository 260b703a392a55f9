import { Box, Text, useInput } from 'ink';
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

/** Every key on one screen. It owns the keyboard while it is open (Ctrl-C still quits, in the App). */
export function HelpOverlay({ width, height, screens = [], onClose }: HelpOverlayProps) {
  useInput((input, key) => {
    if (key.escape || input === '?' || input === 'q') onClose();
  });
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
  // Two columns when one does not fit the screen.
  const inner = height - 2;
  const columns = lines.length > inner ? 2 : 1;
  const perColumn = Math.ceil(lines.length / columns);
  const columnWidth = Math.floor((width - 4) / columns);
  const keyWidth = 16;
  return (
    <Box width={width} height={height} borderStyle="round" borderColor="cyan" paddingX={1} flexShrink={0} overflow="hidden">
      {Array.from({ length: columns }, (_, column) => (
        <Box key={column} flexDirection="column" width={columnWidth}>
          {lines.slice(column * perColumn, (column + 1) * perColumn).map((line, index) =>
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
  );
}
