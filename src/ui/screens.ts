import type { ComponentType } from 'react';
import type { ScreenId } from './keys/key-table.js';
import type { HomeDefaults } from '../sim/defaults.js';
import type { TopicSource } from '../wire/index.js';

/** What the App gives a screen: its area, and whether it is shown with the keyboard. */
export interface ScreenProps {
  width: number;
  height: number;
  /** False while another screen is shown, the help overlay is open or the terminal is too small. */
  focused: boolean;
}

/**
 * A screen beside the home (Playground, Challenge, Console, Car park). Its component closes over its
 * own view source and MQTT clients, so the App only places it and routes keys to it. Its keys are
 * the key table's, under its id.
 */
export interface Screen {
  id: ScreenId;
  title: string;
  Component: ComponentType<ScreenProps>;
}

/** What a screen's own clients need to reach the broker. */
export interface ScreenContext {
  url: string;
  /** Needed when the broker checks logins. */
  login?: { username: string; password: string };
  /** data/home.json, as the program read it (the car park's lots). */
  defaults: HomeDefaults;
  /** The broker's topic index (the Topics screen); no Topics screen without it. */
  topics?: TopicSource;
  /** Where the Topics screen writes payloads and histories; the working directory when not given. */
  saveDir?: string;
}

/** A screen together with the MQTT clients it started; stop() ends them. */
export interface RunningScreen {
  screen: Screen;
  stop(): Promise<void>;
}
