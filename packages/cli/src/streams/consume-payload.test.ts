import { StreamError } from '@cvf/core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePayload, type ConsumePayload, type PayloadPolicy } from './consume-payload.js';

const root = mkdtempSync(join(tmpdir(), 'cvf-payload-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
writeFileSync(join(root, 'scan.dcm'), new Uint8Array([7, 8, 9]));
const policy: PayloadPolicy = { fileRoot: root, fetchTimeoutMs: 1000, maxDeliveries: 3 };
const bytes = (text: string) => new TextEncoder().encode(text);

function parse(fields: Record<string, string | Uint8Array>, references: PayloadPolicy = policy): ConsumePayload {
  return parsePayload({ sourceId: '1-0', fields: new Map(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? bytes(v) : v])) }, references);
}
function refusal(payload: ConsumePayload): { code: string; message: string; id?: string } {
  expect('error' in payload, JSON.stringify(payload)).toBe(true);
  const { error, id } = payload as { error: StreamError; id?: string };
  return { code: error.code, message: error.message, ...(id !== undefined && { id }) };
}

describe('parsePayload', () => {
  it('an inline image keeps its content type; a file reference under the root (path or file:// URL) reads the file', async () => {
    const inline = parse({ id: 'a', image: new Uint8Array([1, 2]), 'content-type': 'application/dicom' });
    expect('load' in inline && (await inline.load())).toEqual({ bytes: new Uint8Array([1, 2]), mediaType: 'application/dicom' });
    for (const ref of [join(root, 'scan.dcm'), pathToFileURL(join(root, 'scan.dcm')).href]) {
      const file = parse({ id: 'b', ref });
      expect('load' in file && [...(await file.load()).bytes]).toEqual([7, 8, 9]);
    }
  });

  it('refuses, naming the field: no id, neither or both of image and ref, a relative path, a file outside the root or without one', () => {
    expect(refusal(parse({ image: 'x' }))).toMatchObject({ code: 'STREAM_PAYLOAD_INVALID', message: expect.stringContaining('no "id" field') });
    expect(refusal(parse({ id: 'a' }))).toMatchObject({ code: 'STREAM_PAYLOAD_INVALID', id: 'a', message: expect.stringContaining('neither "image"') });
    expect(refusal(parse({ id: 'a', image: 'x', ref: join(root, 'scan.dcm') }))).toMatchObject({ message: expect.stringContaining('both "image" and "ref"') });
    expect(refusal(parse({ id: 'a', ref: 'scan.dcm' }))).toMatchObject({ message: expect.stringContaining('neither an absolute file path') });
    expect(refusal(parse({ id: 'a', ref: join(root, '..', 'elsewhere.dcm') }))).toMatchObject({ message: expect.stringContaining('outside --ref-root') });
    expect(refusal(parse({ id: 'a', ref: join(root, 'scan.dcm') }, { fetchTimeoutMs: 1000, maxDeliveries: 3 }))).toMatchObject({ message: expect.stringContaining('--ref-root, which was not given') });
    expect(refusal(parse({ id: 'x'.repeat(257), image: 'x' }))).toMatchObject({ message: expect.stringContaining('more than the 256 allowed') });
    expect(refusal(parsePayload({ sourceId: '2-0', fields: null }, policy))).toMatchObject({ code: 'STREAM_ENTRY_DELETED' });
    const fields = new Map([['id', bytes('a')], ['image', bytes('x')]]);
    expect('load' in parsePayload({ sourceId: '3-0', fields, deliveries: 3 }, policy)).toBe(true);
    expect(refusal(parsePayload({ sourceId: '3-0', fields, deliveries: 4 }, policy))).toMatchObject({ code: 'STREAM_DELIVERY_LIMIT', id: 'a', message: expect.stringContaining('delivered 4 times, more than --max-deliveries 3') });
  });

  it('a missing referenced file fails when loaded, as STREAM_REFERENCE_FAILED naming it', async () => {
    const missing = parse({ id: 'a', ref: join(root, 'gone.dcm') });
    expect('load' in missing).toBe(true);
    await expect((missing as { load: () => Promise<unknown> }).load()).rejects.toMatchObject({ code: 'STREAM_REFERENCE_FAILED', message: expect.stringContaining('gone.dcm') });
  });
});
