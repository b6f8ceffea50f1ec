import type { InputImageStatistics } from '@cvf/core';

/** What a drift check needs of one prediction: its features and, when the server computed them, its image's statistics. */
export interface WindowRecord {
  readonly features: readonly number[];
  readonly input?: InputImageStatistics;
}

/**
 * The last `size` predictions of one model version, oldest first, and how many arrived since the
 * last check. A record of another version starts the window over: features of two models are not
 * comparable.
 */
export class DriftWindow {
  readonly #size: number;
  #version: string | undefined;
  #records: WindowRecord[] = [];
  #sinceCheck = 0;

  constructor(size: number) {
    this.#size = size;
  }

  get version(): string | undefined {
    return this.#version;
  }

  /** Adds a record; true when a full window has arrived since the last check (time to check). */
  add(version: string, record: WindowRecord): boolean {
    if (version !== this.#version) {
      this.#version = version;
      this.#records = [];
      this.#sinceCheck = 0;
    }
    this.#records.push(record);
    if (this.#records.length > this.#size) this.#records.shift();
    this.#sinceCheck++;
    if (this.#sinceCheck < this.#size) return false;
    this.#sinceCheck = 0;
    return true;
  }

  /** The records now in the window (a copy: checks run while new records arrive). */
  snapshot(): WindowRecord[] {
    return [...this.#records];
  }
}
