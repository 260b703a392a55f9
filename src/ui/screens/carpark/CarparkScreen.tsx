import { Box, Text } from 'ink';
import { PaneFrame } from '../../components/PaneFrame.js';
import { innerHeight, innerWidth } from '../../pane-props.js';
import { fit, printable } from '../../printable.js';
import type { ScreenProps } from '../../screens.js';
import { useFeed, useOwnFeed } from '../../feed.js';
import { initialSelection, selectedRow, selectionReducer } from '../../list-selection.js';
import type { CarparkLink } from './carpark-link.js';
import { logText, signTemperature, type LotView } from './carpark-state.js';
import { signRows } from './sign.js';
import { useCarparkKeys } from './use-carpark-keys.js';

/** The sign needs room for four block digits and the time beside the lot's name. */
const SIGN_WIDTH = 34;
/** Lot line, a blank, three rows of digits, "free of", temperature. */
const SIGN_HEIGHT = 7 + 2;

/** "87/130", "FULL", or "?/130" before the sign has spoken. */
function lotCount(lot: LotView): string {
  if (!lot.display) return `?/${lot.capacity}`;
  return lot.display.full ? 'FULL' : `${lot.display.spaces}/${lot.capacity}`;
}

const TONE = { info: undefined, refused: 'yellow', error: 'red' } as const;

function Sign({ lot, width }: { lot: LotView; width: number }) {
  const display = lot.display;
  if (!display) {
    return (
      <>
        <Text bold>{printable(lot.id)}</Text>
        <Text dimColor>waiting for the controller's sign…</Text>
      </>
    );
  }
  const { rows, full } = signRows(display.spaces);
  const name = printable(lot.id);
  return (
    <>
      <Text wrap="truncate-end">
        <Text bold>{fit(name, Math.max(1, width - 6))}</Text>
        {display.time}
      </Text>
      <Text> </Text>
      {rows.map((row, i) => (
        <Text key={i} color={full ? 'red' : 'green'} bold wrap="truncate-end">
          {row}
        </Text>
      ))}
      <Text wrap="truncate-end">
        <Text color={full ? 'red' : undefined}>{full ? 'no spaces free' : 'spaces free'}</Text>
        <Text dimColor> of {lot.capacity}</Text>
      </Text>
      <Text wrap="truncate-end">{signTemperature(display)}</Text>
    </>
  );
}

export interface CarparkScreenProps extends ScreenProps {
  link: CarparkLink;
}

/** The car park: the selected lot's sign as drivers see it, every lot's count, and what happened at the gates. */
export function CarparkScreen({ link, width, height, focused }: CarparkScreenProps) {
  const state = useFeed(link.feed);
  const [selection, selectionFeed] = useOwnFeed(selectionReducer, initialSelection);
  const index = selectedRow(selection.selected, state.lots.length);
  const lot = state.lots[index];
  useCarparkKeys({
    focused,
    lot: () => {
      const lots = link.feed.getSnapshot().lots;
      return lots[selectedRow(selectionFeed.getSnapshot().selected, lots.length)]?.id;
    },
    select: (by) => selectionFeed.dispatch({ type: 'select', by, count: link.feed.getSnapshot().lots.length }),
    send: (id, passage) => void link.send(id, passage),
  });

  const signWidth = Math.min(SIGN_WIDTH, width);
  const lotsHeight = Math.max(3, height - SIGN_HEIGHT);
  const logWidth = width - signWidth;
  const logRows = innerHeight(height);
  const lines = state.log.slice(-logRows);
  return (
    <Box width={width} height={height}>
      <Box flexDirection="column" width={signWidth}>
        <PaneFrame number={1} title="Sign" width={signWidth} height={SIGN_HEIGHT} focused={focused}>
          {lot ? <Sign lot={lot} width={innerWidth(signWidth)} /> : <Text dimColor>no lots</Text>}
        </PaneFrame>
        <PaneFrame number={2} title="Lots" width={signWidth} height={lotsHeight} focused={false}>
          {state.lots.slice(0, innerHeight(lotsHeight)).map((each, i) => (
            <Text key={each.id} wrap="truncate-end" inverse={i === index && focused}>
              {i === index ? '▸ ' : '  '}
              {fit(printable(each.id), Math.max(1, innerWidth(signWidth) - 14))}
              <Text color={each.display?.full ? 'red' : undefined} dimColor={!each.display}>
                {lotCount(each).padStart(12)}
              </Text>
            </Text>
          ))}
        </PaneFrame>
      </Box>
      <PaneFrame number={3} title="Gates" note={state.log.length > 0 ? undefined : 'i / o send a car'} width={logWidth} height={height} focused={false}>
        {lines.length === 0 ? <Text dimColor>no cars yet: press i to let one in, o to let one out</Text> : null}
        {lines.map((line, i) => (
          <Text key={`${line.time}-${i}`} wrap="truncate-end" color={TONE[line.tone]}>
            {logText(line)}
          </Text>
        ))}
      </PaneFrame>
    </Box>
  );
}
