import { DeidError } from '@cvf/core';

const utf8 = new TextEncoder();
const DAY_MS = 86_400_000;
/** Shifts reach back 1 to this many days (about ten years): wide enough that a shifted date names no visit. */
export const MAX_SHIFT_DAYS = 3650;

/**
 * Per-patient date shifts for the Retain Longitudinal Temporal Information with Modified Dates
 * option: every date of one patient moves back by the same whole number of days, derived from the
 * key — HMAC-SHA-256(secret, "DateShift" NUL patient ID) — so intervals between a patient's
 * studies survive, the same key gives the same shift in every run, and without the key the shift
 * cannot be undone. Times of day are unchanged (whole days).
 */
export class DateShifter {
  readonly #key: CryptoKey;
  readonly #offsets = new Map<string, number>();

  private constructor(key: CryptoKey) {
    this.#key = key;
  }

  static async create(secret: string | Uint8Array): Promise<DateShifter> {
    const bytes = typeof secret === 'string' ? utf8.encode(secret) : secret;
    if (bytes.length === 0) throw new DeidError('DEID_INVALID_OPTIONS', 'the date shift secret is empty; give a non-empty secret');
    return new DateShifter(await globalThis.crypto.subtle.importKey('raw', new Uint8Array(bytes), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']));
  }

  /** The shift of a patient, in days (negative: back in time); patients without an ID share one. */
  async offsetDays(patientId: string): Promise<number> {
    const id = patientId.replace(/^[\0 ]+|[\0 ]+$/g, '');
    let offset = this.#offsets.get(id);
    if (offset === undefined) {
      const digest = new DataView(await globalThis.crypto.subtle.sign('HMAC', this.#key, utf8.encode(`DateShift\0${id}`)));
      offset = -(1 + (digest.getUint32(0) % MAX_SHIFT_DAYS));
      this.#offsets.set(id, offset);
    }
    return offset;
  }
}

/** YYYYMMDD moved by `days`; undefined when it is no calendar date. */
function shiftYmd(ymd: string, days: number): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(ymd);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const date = new Date(ms);
  if (date.getUTCMonth() !== Number(m[2]) - 1 || date.getUTCDate() !== Number(m[3])) return undefined;
  const shifted = new Date(ms + days * DAY_MS);
  const y = shifted.getUTCFullYear();
  if (y < 1 || y > 9999) return undefined;
  return `${String(y).padStart(4, '0')}${String(shifted.getUTCMonth() + 1).padStart(2, '0')}${String(shifted.getUTCDate()).padStart(2, '0')}`;
}

/** A DT value: date, optional time and fraction, optional UTC offset. */
const DT = /^(\d{8})([\d.]*(?:[+-]\d{4})?)$/;

/** One DA or DT value moved by `days`; undefined when it cannot be shifted exactly. */
function shiftOne(value: string, vr: string, days: number): string | undefined {
  if (value === '') return '';
  if (vr === 'DA') return shiftYmd(value, days);
  // DT: the date part moves; the time of day and the UTC offset stay.
  const m = DT.exec(value);
  const date = m ? shiftYmd(m[1]!, days) : undefined;
  return date === undefined ? undefined : date + m![2]!;
}

/**
 * One DA or DT value (a single value, or a range "A-B", "-B", "A-") moved by `days`; TM values are
 * returned as they are. A value that cannot be shifted exactly (a DT of only a year or a month, a
 * malformed date) becomes empty: kept as it is, it would give the true date away.
 */
export function shiftTemporalValue(value: string, vr: string, days: number): string {
  const trimmed = value.trim();
  if (vr === 'TM' || trimmed === '') return value;
  const single = shiftOne(trimmed, vr, days);
  if (single !== undefined) return single;
  const parts = trimmed.split('-');
  if (parts.length !== 2) return '';
  const shifted = parts.map((p) => shiftOne(p, vr, days));
  return shifted.some((p) => p === undefined) ? '' : shifted.join('-');
}
