import type { Adapter } from 'lowdb';
import { TextFile } from 'lowdb/node';
import type { HomeData } from './schema.js';
import { serialiseHomeInSlices } from './serialise.js';

/**
 * The data file as lowdb's adapter: read as text and decoded by the store; written as the text of
 * serialiseHome, made in slices so a large home never holds the main thread for long. steno
 * (under lowdb's TextFile) writes a temporary file and renames it over the old one.
 */
export class HomeFile implements Adapter<HomeData> {
  /** How long the last write held the main thread to turn the home into text (ms), waits left out. */
  lastTextMs = 0;
  readonly #text: TextFile;
  readonly #decode: (text: string) => HomeData;

  constructor(file: string, decode: (text: string) => HomeData) {
    this.#text = new TextFile(file);
    this.#decode = decode;
  }

  async read(): Promise<HomeData | null> {
    const text = await this.#text.read();
    return text === null ? null : this.#decode(text);
  }

  async write(home: HomeData): Promise<void> {
    const { text, busyMs } = await serialiseHomeInSlices(home);
    this.lastTextMs = busyMs;
    await this.#text.write(text);
  }
}
