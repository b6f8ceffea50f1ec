import Sqlite from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from './schema.js';

describe('tracking schema migrations', () => {
  it('a process that read the schema version before another one migrated applies nothing twice', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cvf-schema-')), 'tracking.db');
    const late = new Sqlite(file);
    const early = new Sqlite(file);
    // The other process migrates right after this one first reads user_version (still 0).
    const readPragma = late.pragma.bind(late);
    let raced = false;
    late.pragma = ((source: string, options?: Sqlite.PragmaOptions) => {
      const value = readPragma(source, options);
      if (!raced && source === 'user_version') {
        raced = true;
        migrate(early);
      }
      return value;
    }) as typeof late.pragma;
    expect(() => migrate(late)).not.toThrow();
    expect(raced).toBe(true);
    const version = readPragma('user_version', { simple: true }) as number;
    expect(version).toBeGreaterThan(0);
    expect(early.pragma('user_version', { simple: true })).toBe(version);
    late.close();
    early.close();
  });
});
