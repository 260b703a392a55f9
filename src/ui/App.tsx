import { Box, Text, useInput } from 'ink';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { HomeActions, HomeViewSource } from '../sim/view-types.js';
import { ClockContext } from './clock.js';
import { Footer, type Notice } from './components/Footer.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { StatusBar } from './components/StatusBar.js';
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
}

function reason(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return String(error);
}

function paneAfter(current: PaneId, step: number): PaneId {
  const index = PANE_ORDER.indexOf(current);
  return PANE_ORDER[(index + step + PANE_ORDER.length) % PANE_ORDER.length]!;
}

export function App({ source, actions, onQuit, columns, rows, now }: AppProps) {
  const terminal = useTerminalSize();
  const layout = layoutFor(columns ?? terminal.columns, rows ?? terminal.rows);
  const view = useHomeView(source);
  const [focus, setFocus] = useState<PaneId>('log');
  const [overlay, setOverlay] = useState<Overlay>('none');
  // The pane whose text field (or y/n question) takes every key; global keys wait meanwhile.
  const [editingPane, setEditingPane] = useState<PaneId | null>(null);
  // The same, readable by the key handler before the next render.
  const editingNow = useRef<PaneId | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  const editingChange = useMemo(() => {
    const callbacks = {} as Record<PaneId, (editing: boolean) => void>;
    for (const pane of PANE_ORDER) {
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
    if (key.tab) setFocus((current) => paneAfter(current, key.shift ? -1 : 1));
    else if (/^[1-5]$/.test(input)) setFocus(PANE_ORDER[Number(input) - 1]!);
    else if (input === '?') setOverlay('help');
    else if (input === 'q') onQuit();
    else if (key.escape) setNotice(null);
  });

  const panesHeight = layout.panes.register.height + layout.panes.thermostat.height + layout.panes.log.height;
  const paneKeys = overlay === 'none' && layout.fits;
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
        {overlay === 'help' ? (
          <HelpOverlay width={layout.columns} height={panesHeight} onClose={() => setOverlay('none')} />
        ) : null}
        <Box flexDirection="column" height={panesHeight} display={overlay === 'none' ? 'flex' : 'none'}>
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
          keys={overlay === 'help' ? [] : PANE_KEYS[focus]}
          editing={editingPane !== null}
          notice={notice}
        />
      </Box>
    </ClockContext.Provider>
  );
}
