import type { ComponentType } from 'react';
import type { HomeDefaults } from '../sim/defaults.js';
import type { KeyHelp } from './key-map.js';

/** What the App gives a screen: its area, whether it has the keyboard, and a way to report text entry. */
export interface ScreenProps {
  width: number;
  height: number;
  /** False while the help overlay is open or the terminal is too small. */
  focused: boolean;
  /** A screen tells the App when a text field takes every key, so `q`, `[` and `]` are typed, not obeyed. */
  onEditingChange: (editing: boolean) => void;
}

/**
 * A screen beside the home (Playground, Challenge, Console, Car park). Its component closes over its
 * own view source and MQTT clients, so the App only places it and routes keys to it.
 */
export interface Screen {
  id: string;
  title: string;
  /** Shown in the footer while the screen is active and in the help overlay. */
  keys: readonly KeyHelp[];
  Component: ComponentType<ScreenProps>;
}

/** What a screen's own clients need to reach the broker. */
export interface ScreenContext {
  url: string;
  /** Needed when the broker checks logins. */
  login?: { username: string; password: string };
  /** data/home.json, as the program read it (the car park's lots). */
  defaults: HomeDefaults;
}

/** A screen together with the MQTT clients it started; stop() ends them. */
export interface RunningScreen {
  screen: Screen;
  stop(): Promise<void>;
}
