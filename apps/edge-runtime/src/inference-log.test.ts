import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INPUT_HISTOGRAM_BINS } from '@cvf/core';
import { describe, expect, it } from 'vitest';
import { createInferenceLog, readInferenceLog, type InferenceRecord } from './inference-log.js';
import { hashSopInstanceUid } from './inference-log-record.js';
import { listSegments, SALT_FILE } from './inference-log-segments.js';

const SALT = 'a test salt of at least sixteen bytes';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cvf-inference-log-'));
}

function record(index: number, extra: Partial<InferenceRecord> = {}): InferenceRecord {
  return {
    time: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(),
    model: 'fashion-mnist',
    version: '3',
    features: [index, -0.5, 0.25],
    probabilities: [0.1, 0.7, 0.2],
    predictedClass: 1,
    ...extra,
  };
}

function segmentText(dir: string): string {
  return listSegments(dir).map((s) => readFileSync(s.path, 'utf8')).join('');
}

describe('createInferenceLog', () => {
  it('writes after the current event-loop turn, and reads back what was appended', async () => {
    const dir = tempDir();
    const log = createInferenceLog({ dir, salt: SALT });
    log.append(record(0));
    log.append(record(1));
    // append only queues: nothing is on disk until the write that follows this turn.
    expect(listSegments(dir)).toEqual([]);
    await log.flush();
    expect(log.stats).toEqual({ written: 2, dropped: 0 });
    const records = await readInferenceLog(dir);
    expect(records).toEqual([record(0), record(1)]);
    await log.close();
  });

  it('stores a salted hash of the SOP Instance UID, and nothing else the caller passes', async () => {
    const dir = tempDir();
    const log = createInferenceLog({ dir, salt: SALT });
    const uid = '1.2.826.0.1.3680043.8.498.12345';
    const withPhi = { ...record(0, { sopInstanceUid: uid }), patientName: 'DOE^JANE', pixels: [1, 2, 3] } as InferenceRecord;
    log.append(withPhi);
    log.append(record(1, { sopInstanceUid: uid }));
    log.append(record(2, { sopInstanceUid: `${uid}.1` }));
    await log.close();

    const text = segmentText(dir);
    expect(text).not.toContain(uid);
    expect(text).not.toContain('DOE^JANE');
    expect(text).not.toContain('pixels');
    const [first, second, third] = await readInferenceLog(dir);
    expect(Object.keys(first ?? {}).sort()).toEqual(['features', 'model', 'predictedClass', 'probabilities', 'sopInstanceHash', 'time', 'version']);
    expect(first?.sopInstanceHash).toBe(hashSopInstanceUid(uid, Buffer.from(SALT)));
    expect(second?.sopInstanceHash).toBe(first?.sopInstanceHash);
    expect(third?.sopInstanceHash).not.toBe(first?.sopInstanceHash);
    expect(hashSopInstanceUid(uid, Buffer.from('another salt, sixteen bytes or more'))).not.toBe(first?.sopInstanceHash);
  });

  it('without a salt option, creates an owner-only secret salt file once and keeps using it', async () => {
    const dir = tempDir();
    const uid = '1.2.3.4.5';
    const first = createInferenceLog({ dir });
    first.append(record(0, { sopInstanceUid: uid }));
    await first.close();
    const saltPath = join(dir, SALT_FILE);
    expect(statSync(saltPath).mode & 0o777).toBe(0o600);
    const salt = readFileSync(saltPath, 'utf8');

    const second = createInferenceLog({ dir });
    second.append(record(1, { sopInstanceUid: uid }));
    await second.close();
    expect(readFileSync(saltPath, 'utf8')).toBe(salt);
    const [a, b] = await readInferenceLog(dir);
    expect(a?.sopInstanceHash).toBe(hashSopInstanceUid(uid, Buffer.from(salt, 'hex')));
    expect(b?.sopInstanceHash).toBe(a?.sopInstanceHash);
    // With a salt given, no secret file is made.
    const other = tempDir();
    createInferenceLog({ dir: other, salt: SALT });
    expect(readdirSync(other)).not.toContain(SALT_FILE);
  });

  it('rotates segments and deletes the oldest past maxBytes, keeping the newest records', async () => {
    const dir = tempDir();
    const log = createInferenceLog({ dir, salt: SALT, maxBytes: 4096, segmentBytes: 512 });
    for (let i = 0; i < 200; i++) {
      log.append(record(i));
      if (i % 2 === 1) await log.flush();
    }
    await log.close();
    const segments = listSegments(dir);
    expect(segments.length).toBeGreaterThan(4);
    expect(segments.reduce((sum, s) => sum + s.bytes, 0)).toBeLessThanOrEqual(4096);
    const records = await readInferenceLog(dir);
    const indices = records.map((r) => r.features[0] as number);
    // A contiguous run ending with the last record: whole old segments went, nothing in between.
    expect(indices.at(-1)).toBe(199);
    expect(indices[0]).toBeGreaterThan(0);
    expect(indices).toEqual(indices.map((_, k) => (indices[0] as number) + k));
  });

  it('drops (and counts) records beyond the write buffer instead of queueing without bound', async () => {
    const dir = tempDir();
    const lineBytes = Buffer.byteLength(JSON.stringify(record(0))) + 1;
    const log = createInferenceLog({ dir, salt: SALT, maxBufferedBytes: lineBytes * 3 });
    for (let i = 0; i < 10; i++) log.append(record(i));
    await log.close();
    expect(log.stats).toEqual({ written: 3, dropped: 7 });
    expect((await readInferenceLog(dir)).map((r) => r.features[0])).toEqual([0, 1, 2]);
  });

  it('reports a failed write to onError and keeps accepting appends', async () => {
    const dir = tempDir();
    const errors: Error[] = [];
    const log = createInferenceLog({ dir, salt: SALT, onError: (error) => errors.push(error) });
    rmSync(dir, { recursive: true });
    log.append(record(0));
    await log.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/ENOENT/);
    expect(log.stats).toEqual({ written: 0, dropped: 1 });
    expect(() => log.append(record(1))).not.toThrow();
    await log.close();
  });

  it('refuses malformed records, bad options and appends after close with coded errors', async () => {
    const dir = tempDir();
    const log = createInferenceLog({ dir, salt: SALT });
    expect(() => log.append(record(0, { features: [1, Number.NaN] }))).toThrow(expect.objectContaining({ code: 'INFERENCE_LOG_INVALID', message: expect.stringMatching(/features/) }));
    expect(() => log.append(record(0, { predictedClass: 3 }))).toThrow(expect.objectContaining({ code: 'INFERENCE_LOG_INVALID', message: expect.stringMatching(/predictedClass 3 must be an integer in 0\.\.2/) }));
    expect(() => log.append(record(0, { time: 'yesterday' }))).toThrow(expect.objectContaining({ message: expect.stringMatching(/time "yesterday"/) }));
    expect(() => createInferenceLog({ dir, salt: SALT, maxBytes: 100, segmentBytes: 200 })).toThrow(expect.objectContaining({ code: 'INFERENCE_LOG_OPTIONS_INVALID', message: expect.stringMatching(/segmentBytes 200 must not exceed maxBytes 100/) }));
    expect(() => createInferenceLog({ dir, salt: 'short' })).toThrow(expect.objectContaining({ code: 'INFERENCE_LOG_OPTIONS_INVALID' }));
    await log.close();
    expect(() => log.append(record(1))).toThrow(expect.objectContaining({ code: 'INFERENCE_LOG_CLOSED' }));
    expect(await readInferenceLog(dir)).toEqual([]);
  });
});

describe('image statistics in records', () => {
  const input = { mean: 0.28571428571, std: 0.35, histogram: Array.from({ length: INPUT_HISTOGRAM_BINS }, (_, k) => (k === 0 ? 2 / 3 : k === 31 ? 1 / 3 : 0)), width: 28, height: 28 };

  it('are stored (histogram shares to 6 decimals) and read back; records without them still read', async () => {
    const dir = tempDir();
    const log = createInferenceLog({ dir, salt: SALT });
    log.append(record(0));
    log.append(record(1, { input }));
    await log.close();
    const [old, withInput] = await readInferenceLog(dir);
    expect(old!.input).toBeUndefined();
    expect(withInput!.input).toEqual({ ...input, histogram: input.histogram.map((share) => Math.round(share * 1e6) / 1e6) });
    expect(withInput!.input!.histogram[0]).toBe(0.666667);
  });

  it('refuses statistics of the wrong shape, naming the field', () => {
    const log = createInferenceLog({ dir: tempDir(), salt: SALT });
    expect(() => log.append(record(0, { input: { ...input, histogram: [1] } }))).toThrow(expect.objectContaining({ code: 'INFERENCE_LOG_INVALID', message: expect.stringMatching(/input\.histogram must be 32/) }));
    expect(() => log.append(record(0, { input: { ...input, std: -1 } }))).toThrow(expect.objectContaining({ code: 'INFERENCE_LOG_INVALID', message: expect.stringMatching(/input\.mean and input\.std/) }));
    expect(() => log.append(record(0, { input: { ...input, width: 0 } }))).toThrow(expect.objectContaining({ code: 'INFERENCE_LOG_INVALID', message: expect.stringMatching(/input\.width/) }));
    return log.close();
  });
});

describe('readInferenceLog', () => {
  it('filters by model and by time', async () => {
    const dir = tempDir();
    const log = createInferenceLog({ dir, salt: SALT });
    for (let i = 0; i < 6; i++) log.append(record(i, { model: i % 2 === 0 ? 'even' : 'odd' }));
    await log.close();
    expect((await readInferenceLog(dir, { model: 'odd' })).map((r) => r.features[0])).toEqual([1, 3, 5]);
    expect((await readInferenceLog(dir, { since: record(3).time })).map((r) => r.features[0])).toEqual([3, 4, 5]);
    expect((await readInferenceLog(dir, { model: 'even', since: new Date(record(3).time) })).map((r) => r.features[0])).toEqual([4]);
    await expect(readInferenceLog(dir, { since: 'last week' })).rejects.toMatchObject({ code: 'INFERENCE_LOG_OPTIONS_INVALID' });
    expect(await readInferenceLog(join(dir, 'missing'))).toEqual([]);
  });

  it('skips a torn last line, and the next writer starts a new segment behind it', async () => {
    const dir = tempDir();
    const first = createInferenceLog({ dir, salt: SALT });
    first.append(record(0));
    first.append(record(1));
    await first.close();
    const [segment] = listSegments(dir);
    appendFileSync(segment?.path ?? '', JSON.stringify(record(2)).slice(0, 40));

    const second = createInferenceLog({ dir, salt: SALT });
    second.append(record(3));
    await second.close();
    expect(listSegments(dir)).toHaveLength(2);
    expect((await readInferenceLog(dir)).map((r) => r.features[0])).toEqual([0, 1, 3]);
  });

  it('reads a log whose writer was killed with SIGKILL while appending as fast as it can', async () => {
    const dir = tempDir();
    const logModule = fileURLToPath(new URL('./inference-log.ts', import.meta.url));
    const writer = `
      const { createInferenceLog } = await import(${JSON.stringify(logModule)});
      const log = createInferenceLog({ dir: ${JSON.stringify(dir)}, salt: ${JSON.stringify(SALT)}, segmentBytes: 65536 });
      const features = Array.from({ length: 64 }, (_, k) => k / 64);
      for (let i = 0; ; i++) {
        log.append({ time: new Date().toISOString(), model: 'm', version: '1', features: [i, ...features], probabilities: [0.5, 0.5], predictedClass: 0 });
        if (i % 100 === 99) { await log.flush(); if (i === 1999) console.log('flushed 2000'); }
      }`;
    // One process (tsx as a loader, not its CLI, which would fork a grandchild that outlives the kill).
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', '--input-type=module', '-e', writer], { stdio: ['ignore', 'pipe', 'inherit'] });
    const closed = new Promise((resolve) => child.on('close', resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('flushed 2000')) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited early: ${code}`))));
    });
    await closed;

    const indices = (await readInferenceLog(dir)).map((r) => r.features[0] as number);
    expect(indices.length).toBeGreaterThanOrEqual(2000);
    // Every whole line is a record, in order, with none missing before the point of the kill.
    expect(indices).toEqual(indices.map((_, k) => k));
  });
});
