import { Box, Text, useInput } from 'ink';
import { memo, useCallback, useMemo, useRef, useState } from 'react';
import type { HomeActions, HomeViewSource } from '../sim/view-types.js';
import { ClockContext } from './clock.js';
import { Footer, type Notice } from './components/Footer.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { StatusBar } from './components/StatusBar.js';
import { TabBar } from './components/TabBar.js';
import { PANE_KEYS, PANE_ORDER } from './key-map.js';
import { layoutFor, type PaneId } from './layout.js';
import type { Act } from './pane-props.js';
import { BrokerLogPane } from './panes/broker-log/Pane.js';
import { PresencePane } from './panes/presence/Pane.js';
import { RegisterPane } from './panes/register/Pane.js';
import { SmartObjectPane } from './panes/smart-object/Pane.js';
import { ThermostatPane } from './panes/thermostat/Pane.js';
import { printable } from './printable.js';
import { useHomeView } from './use-home-view.js';
import type { Screen } from './screens.js';
import { useTerminalSize } from './use-terminal-size.js';

export type Overlay = 'none' | 'help';

export interface AppProps {
  source: HomeViewSource;
  actions: HomeActions;
  /** Called for q and Ctrl-C; the caller unmounts, restores the terminal and stops the home. */
  onQuit: () => void;
  /** Terminal size; read from stdout (and its resize events) when not given. */
  columns?: number;
  rows?: number;
  /** The time panes show ages and countdowns against (tests pin it). */
  now?: () => number;
  /** Screens after the home, reached with `[` and `]`. */
  screens?: readonly Screen[];
}

const NO_SCREENS: readonly Screen[] = [];

function reason(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return String(error);
}

function paneAfter(current: PaneId, step: number): PaneId {
  const index = PANE_ORDER.indexOf(current);
  return PANE_ORDER[(index + step + PANE_ORDER.length) % PANE_ORDER.length]!;
}

export function App({ source, actions, onQuit, columns, rows, now, screens = NO_SCREENS }: AppProps) {
  const terminal = useTerminalSize();
  const layout = layoutFor(columns ?? terminal.columns, rows ?? terminal.rows);
  const view = useHomeView(source);
  const [focus, setFocus] = useState<PaneId>('log');
  // 0 is the home; 1.. are the extra screens.
  const [screenIndex, setScreenIndex] = useState(0);
  const screen = screenIndex === 0 ? undefined : screens[screenIndex - 1];
  // The screens have their own sources; a change in the home's view must not re-render them.
  const screenComponents = useMemo(() => screens.map((extra) => memo(extra.Component)), [screens]);
  const [overlay, setOverlay] = useState<Overlay>('none');
  // The pane whose text field (or y/n question) takes every key; global keys wait meanwhile.
  const [editingPane, setEditingPane] = useState<PaneId | 'screen' | null>(null);
  // The same, readable by the key handler before the next render.
  const editingNow = useRef<PaneId | 'screen' | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  const editingChange = useMemo(() => {
    const callbacks = {} as Record<PaneId | 'screen', (editing: boolean) => void>;
    for (const pane of [...PANE_ORDER, 'screen' as const]) {
      callbacks[pane] = (editing) => {
        const current = editingNow.current;
        editingNow.current = editing ? pane : current === pane ? null : current;
        setEditingPane(editingNow.current);
      };
    }
    return callbacks;
  }, []);

  const act: Act = useCallback(
    (what, run) =>
      // Promise.resolve().then: an action that throws instead of rejecting is reported the same way.
      Promise.resolve()
        .then(() => run(actions))
        .then(
          () => {
            setNotice({ kind: 'info', text: `sent: ${what}` });
            return true;
          },
          (error: unknown) => {
            setNotice({ kind: 'error', text: `could not ${what}: ${printable(reason(error))}` });
            return false;
          },
        ),
    [actions],
  );

  // The one handler for global keys. Ctrl-C always quits; the rest wait while a field or overlay has the keys.
  useInput((input, key) => {
    if (key.ctrl && input === 'c') return onQuit();
    if (overlay !== 'none' || editingNow.current !== null || !layout.fits) {
      if (!layout.fits && input === 'q') onQuit();
      return;
    }
    const count = screens.length + 1;
    if (input === ']' || input === '[') {
      setScreenIndex((current) => (current + (input === ']' ? 1 : -1) + count) % count);
      setNotice(null);
    } else if (screen === undefined && key.tab) setFocus((current) => paneAfter(current, key.shift ? -1 : 1));
    else if (screen === undefined && /^[1-5]$/.test(input)) setFocus(PANE_ORDER[Number(input) - 1]!);
    else if (input === '?') setOverlay('help');
    else if (input === 'q') onQuit();
    else if (key.escape) setNotice(null);
  });

  const panesHeight = layout.panes.register.height + layout.panes.thermostat.height + layout.panes.log.height;
  const paneKeys = overlay === 'none' && layout.fits && screen === undefined;
  const common = (pane: PaneId) => ({
    view,
    ...layout.panes[pane],
    focused: paneKeys && focus === pane,
    act,
    onEditingChange: editingChange[pane],
  });

  return (
    <ClockContext.Provider value={now ?? Date.now}>
      {layout.fits ? null : (
        <Text wrap="truncate-end">
          Terminal too small ({columns ?? terminal.columns}x{rows ?? terminal.rows}): needs at least {layout.needed.columns}x
          {layout.needed.rows}.
        </Text>
      )}
      {/* Hidden rather than unmounted, so a draft or a paused log survives a small window or the help. */}
      <Box flexDirection="column" width={layout.columns} height={layout.rows} display={layout.fits ? 'flex' : 'none'}>
        <StatusBar broker={view.broker} width={layout.columns} />
        <TabBar titles={['Home', ...screens.map((extra) => extra.title)]} active={screenIndex} width={layout.columns} />
        {overlay === 'help' ? (
          <HelpOverlay width={layout.columns} height={panesHeight} screens={screens} onClose={() => setOverlay('none')} />
        ) : null}
        {/* Every screen stays mounted (hidden when not shown), so its drafts and clients live on. */}
        {screens.map((extra, index) => {
          const ScreenComponent = screenComponents[index]!;
          return (
            <Box key={extra.id} height={panesHeight} display={overlay === 'none' && screen === extra ? 'flex' : 'none'}>
              <ScreenComponent
                width={layout.screen.width}
                height={panesHeight}
                focused={overlay === 'none' && layout.fits && screenIndex === index + 1}
                onEditingChange={editingChange.screen}
              />
            </Box>
          );
        })}
        <Box flexDirection="column" height={panesHeight} display={overlay === 'none' && screen === undefined ? 'flex' : 'none'}>
          <Box>
            <RegisterPane {...common('register')} />
            <PresencePane {...common('presence')} />
          </Box>
          <Box>
            <ThermostatPane {...common('thermostat')} big={layout.bigSetpoint} />
            <SmartObjectPane {...common('smart-object')} />
          </Box>
          <BrokerLogPane {...common('log')} />
        </Box>
        <Footer
          width={layout.columns}
          keys={overlay === 'help' ? [] : screen ? screen.keys : PANE_KEYS[focus]}
          editing={editingPane !== null}
          notice={notice}
          home={screen === undefined}
        />
      </Box>
    </ClockContext.Provider>
  );
}
