import { Box, Text } from 'ink';
import { PANE_ORDER, PANE_TITLES } from '../app-state.js';
import { useOwnFeed } from '../feed.js';
import { bindingsOf, commandOf, CONSOLE_SYNTAX, type KeyScope } from '../keys/key-table.js';
import { useKeys } from '../keys/use-keys.js';
import type { Screen } from '../screens.js';

export interface HelpOverlayProps {
  width: number;
  height: number;
  /** Screens beside the home; their keys get a section each. */
  screens?: readonly Screen[];
  onClose: () => void;
}

const MIN_COLUMN_WIDTH = 38;

interface HelpLine {
  heading?: string;
  key?: { keys: string; does: string };
}

/** The sections of the help, in order, straight from the key table. */
export function helpLines(screens: readonly Screen[]): HelpLine[] {
  const sections: Array<[string, Array<{ keys: string; does: string }>]> = [
    ['Everywhere', [...bindingsOf('screens'), ...bindingsOf('global'), ...bindingsOf('always')]],
    ['On the home', bindingsOf('home')],
    ['In a text field', bindingsOf('field')],
    ...PANE_ORDER.map((pane): [string, Array<{ keys: string; does: string }>] => [`${PANE_ORDER.indexOf(pane) + 1} ${PANE_TITLES[pane]}`, bindingsOf(pane)]),
    ...screens.map((screen): [string, Array<{ keys: string; does: string }>] => [
      `${screen.title} screen`,
      screen.id === 'console'
        ? [...bindingsOf('console'), ...bindingsOf('console-line'), ...CONSOLE_SYNTAX]
        : screen.id === 'topics'
          ? [...bindingsOf('topics'), ...bindingsOf('topics-form')]
          : bindingsOf(screen.id as KeyScope),
    ]),
  ];
  const lines: HelpLine[] = [];
  for (const [heading, keys] of sections) {
    if (keys.length === 0) continue;
    lines.push({ heading });
    for (const key of keys) lines.push({ key: { keys: key.keys, does: key.does } });
  }
  return lines;
}

type Scroll = { offset: number };
const scrollTo = (_: Scroll, offset: number): Scroll => ({ offset });

/** Every key on one screen. It owns the keyboard while it is open (Ctrl-C still quits). */
export function HelpOverlay({ width, height, screens = [], onClose }: HelpOverlayProps) {
  const [{ offset }, scroll] = useOwnFeed(scrollTo, { offset: 0 });
  const lines = helpLines(screens);
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
  // One key column as wide as the widest key, so every description starts at the same place.
  const widest = Math.max(...lines.map((line) => (line.key ? [...line.key.keys].length : 0)));
  const keyWidth = Math.min(2 + widest + 1, Math.floor(columnWidth / 2));

  useKeys(
    'help',
    {
      editing: () => true,
      handle: (press) => {
        const command = commandOf('help', press);
        const at = Math.min(scroll.getSnapshot().offset, maxOffset);
        if (command === 'close') onClose();
        else if (command === 'line-down') scroll.dispatch(Math.min(maxOffset, at + 1));
        else if (command === 'line-up') scroll.dispatch(Math.max(0, at - 1));
        else if (command === 'page-down') scroll.dispatch(Math.min(maxOffset, at + page));
        else if (command === 'page-up') scroll.dispatch(Math.max(0, at - page));
        return true;
      },
    },
    true,
  );

  return (
    <Box width={width} height={height} borderStyle="round" borderColor="cyan" paddingX={1} flexShrink={0} overflow="hidden" flexDirection="column">
      <Box height={inner}>
        {Array.from({ length: columns }, (_, column) => (
          <Box key={column} flexDirection="column" width={columnWidth} flexShrink={0}>
            {shown.slice(column * inner, (column + 1) * inner).map((line, index) =>
              line.heading ? (
                <Text key={index} bold wrap="truncate-end">
                  {line.heading}
                </Text>
              ) : (
                <Box key={index} width={columnWidth - 1}>
                  <Box width={keyWidth} flexShrink={0}>
                    <Text color="cyan" wrap="truncate-end">
                      {`  ${line.key!.keys}`}
                    </Text>
                  </Box>
                  <Text wrap="truncate-end">{line.key!.does}</Text>
                </Box>
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
