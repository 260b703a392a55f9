import { Box, Text, useInput, type Key } from 'ink';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { HomeActions, HomeViewSource } from '../sim/view-types.js';
import type { TopicSource } from '../wire/index.js';
import { appReducer, initialAppState, PANE_ORDER, type Notice } from './app-state.js';
import { ClockContext } from './clock.js';
import { Footer } from './components/Footer.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { StatusBar } from './components/StatusBar.js';
import { TabBar } from './components/TabBar.js';
import { Feed, useFeed } from './feed.js';
import { keyPress, type KeyPress } from './keys/key-press.js';
import { commandOf } from './keys/key-table.js';
import { KeyRouter } from './keys/router.js';
import { KeyRouterContext } from './keys/use-keys.js';
import { layoutFor, type Layout } from './layout.js';
import type { Act } from './pane-props.js';
import { BrokerLogPane } from './panes/broker-log/Pane.js';
import { PresencePane } from './panes/presence/Pane.js';
import { RegisterPane } from './panes/register/Pane.js';
import { SmartObjectPane } from './panes/smart-object/Pane.js';
import { ThermostatPane } from './panes/thermostat/Pane.js';
import { printable } from './printable.js';
import type { Screen } from './screens.js';
import { isWaiting } from './starting-view.js';
import { useTerminalSize } from './use-terminal-size.js';

export type { Overlay } from './app-state.js';

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
  /** The broker's topic index: the Broker log opens a message whole from it. */
  topics?: TopicSource;
}

const NO_SCREENS: readonly Screen[] = [];

function reason(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return String(error);
}

export function App({ source, actions, onQuit, columns, rows, now, screens = NO_SCREENS, topics }: AppProps) {
  const terminal = useTerminalSize();
  const layout = layoutFor(columns ?? terminal.columns, rows ?? terminal.rows);
  const [feed] = useState(() => new Feed(initialAppState, appReducer));
  const app = useFeed(feed);
  const screen = app.screen === 0 ? undefined : screens[app.screen - 1];
  // The screens have their own sources; a change in the home's view must not re-render them.
  const screenComponents = useMemo(() => screens.map((extra) => memo(extra.Component)), [screens]);

  // Read by the key router between renders: the newest props, not the ones of the last frame.
  const current = useRef({ layout, screens, onQuit, actions });
  current.current = { layout, screens, onQuit, actions };

  const router = useMemo(() => {
    const global = (press: KeyPress): boolean => {
      const { layout: now, screens: extra, onQuit: quit } = current.current;
      const command = commandOf('global', press) ?? commandOf('screens', press);
      // A terminal too small shows one sentence; only q works there.
      if (!now.fits) {
        if (command === 'quit') quit();
        return true;
      }
      if (command === 'quit') quit();
      else if (command === 'help') feed.dispatch({ type: 'overlay', overlay: 'help' });
      else if (command === 'next-screen' || command === 'previous-screen') {
        // While the home starts its screens are not there yet: the move waits for them.
        const count = extra.length === 0 && isWaiting(current.current.actions) ? 0 : extra.length + 1;
        feed.dispatch({ type: 'move-screen', by: command === 'next-screen' ? 1 : -1, count });
      } else if (command === 'clear-notice') feed.dispatch({ type: 'notice', notice: null });
      else return false;
      return true;
    };
    const homeKeys = (press: KeyPress): boolean => {
      if (feed.getSnapshot().screen !== 0 || !current.current.layout.fits) return false;
      const command = commandOf('home', press);
      if (command === 'next-pane' || command === 'previous-pane') feed.dispatch({ type: 'move-focus', by: command === 'next-pane' ? 1 : -1 });
      else if (command === 'go-to-pane') feed.dispatch({ type: 'focus', pane: PANE_ORDER[Number(press.name) - 1]! });
      else return false;
      return true;
    };
    return new KeyRouter({
      active: () => {
        const state = feed.getSnapshot();
        if (!current.current.layout.fits) return null;
        if (state.overlay === 'help') return 'help';
        if (state.screen === 0) return state.focus;
        return current.current.screens[state.screen - 1]?.id ?? null;
      },
      first: (press) => {
        if (commandOf('always', press) !== 'quit-now') return false;
        current.current.onQuit();
        return true;
      },
      after: [homeKeys, global],
      subscribe: feed.subscribe,
    });
  }, [feed]);

  // `]` and `[` pressed while the screens started are taken now.
  useEffect(() => {
    if (screens.length > 0) feed.dispatch({ type: 'screens-ready', count: screens.length + 1 });
  }, [feed, screens.length]);

  // The one reader of the keyboard; stable, so Ink never re-attaches it between two keys.
  useInput(useCallback((input: string, key: Key) => router.route(keyPress(input, key)), [router]));

  const act: Act = useCallback(
    (what, run) => {
      const notice = (next: Notice) => feed.dispatch({ type: 'notice', notice: next });
      // Taken while the home starts: it goes out once the home is up, and the footer says so meanwhile.
      if (isWaiting(current.current.actions)) notice({ kind: 'waiting', text: `${what} once the home is up…` });
      // Promise.resolve().then: an action that throws instead of rejecting is reported the same way.
      return Promise.resolve()
        .then(() => run(current.current.actions))
        .then(
          () => {
            notice({ kind: 'info', text: `sent: ${what}` });
            return true;
          },
          (error: unknown) => {
            notice({ kind: 'error', text: `could not ${what}: ${printable(reason(error))}` });
            return false;
          },
        );
    },
    [feed],
  );

  const panesHeight = layout.panes.register.height + layout.panes.thermostat.height + layout.panes.log.height;
  const paneKeys = app.overlay === 'none' && layout.fits && screen === undefined;
  const common = (pane: keyof Layout['panes']) => ({
    home: source,
    ...layout.panes[pane],
    focused: paneKeys && app.focus === pane,
    act,
    topics,
  });

  return (
    <ClockContext.Provider value={now ?? Date.now}>
      <KeyRouterContext.Provider value={router}>
        {layout.fits ? null : (
          <Text wrap="truncate-end">
            Terminal too small ({columns ?? terminal.columns}x{rows ?? terminal.rows}): needs at least {layout.needed.columns}x
            {layout.needed.rows}.
          </Text>
        )}
        {/* Hidden rather than unmounted, so a draft or a paused log survives a small window or the help. */}
        <Box flexDirection="column" width={layout.columns} height={layout.rows} display={layout.fits ? 'flex' : 'none'}>
          <StatusBar home={source} width={layout.columns} />
          <TabBar titles={['Home', ...screens.map((extra) => extra.title)]} active={app.screen} width={layout.columns} />
          {app.overlay === 'help' ? (
            <HelpOverlay width={layout.columns} height={panesHeight} screens={screens} onClose={() => feed.dispatch({ type: 'overlay', overlay: 'none' })} />
          ) : null}
          {/* Every screen stays mounted (hidden when not shown), so its drafts and clients live on. */}
          {screens.map((extra, index) => {
            const ScreenComponent = screenComponents[index]!;
            return (
              <Box key={extra.id} height={panesHeight} display={app.overlay === 'none' && screen === extra ? 'flex' : 'none'}>
                <ScreenComponent width={layout.screen.width} height={panesHeight} focused={app.overlay === 'none' && layout.fits && app.screen === index + 1} />
              </Box>
            );
          })}
          <Box flexDirection="column" height={panesHeight} display={app.overlay === 'none' && screen === undefined ? 'flex' : 'none'}>
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
          <Footer width={layout.columns} router={router} scope={app.overlay === 'help' ? 'help' : screen ? screen.id : app.focus} home={screen === undefined} notice={app.notice} />
        </Box>
      </KeyRouterContext.Provider>
    </ClockContext.Provider>
  );
}
