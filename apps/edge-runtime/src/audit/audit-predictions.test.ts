import { AuditLog, auditPaths, verifyAuditLog } from '@cvf/medical/node';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgeServer, type EdgeServer } from '../edge-server.js';
import { createLogger } from '../logger.js';
import { patternDicom, patternPng } from '../testing/test-images.js';
import { trainTestModel } from '../testing/train-test-model.js';

let dir: string;
let store: string;
let server: EdgeServer;
let audit: AuditLog;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cvf-edge-audit-'));
  ({ store } = await trainTestModel(dir, { name: 'patterns', alias: 'production' }));
  audit = await AuditLog.open(store);
  server = await createEdgeServer({ models: ['patterns@production'], store, logger: createLogger({ level: 'silent' }), decodeWorkers: 0, audit });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(body: Uint8Array<ArrayBuffer>, type: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server.url}/v1/models/patterns/predict`, { method: 'POST', body, headers: { 'content-type': type } });
  return { status: response.status, body: await response.json() };
}

describe('the edge runtime with an audit trail', () => {
  it('appends a record per answered v1 prediction: source edge, the model, its decision and the salted SOP Instance UID', async () => {
    const sop = '1.2.826.0.1.3680043.8.498.777';
    const dicom = await post(patternDicom(2, { sopInstanceUID: sop }), 'application/dicom');
    expect(dicom.status, JSON.stringify(dicom.body)).toBe(200);
    const png = await post(await patternPng(1), 'image/png');
    expect(png.status).toBe(200);
    const records = readFileSync(auditPaths(store).log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ sequence: 1, source: 'edge', model: { name: 'patterns', version: 1 }, decision: { class: dicom.body.predictions[0].label }, instance: await audit.hashInstance(sop) });
    expect(records[1]).toMatchObject({ sequence: 2, instance: null, decision: { class: png.body.predictions[0].label } });
    expect(JSON.stringify(records)).not.toContain(sop);
    expect((await verifyAuditLog(store)).broken).toBeNull();
  });

  it('appends a record per v2 inference too (no instance: a tensor has no SOP Instance UID)', async () => {
    const metadata = (await (await fetch(`${server.url}/v2/models/patterns`)).json()) as { inputs: { shape: number[] }[] };
    const [, height, width, channels] = metadata.inputs[0]!.shape as [number, number, number, number];
    const image = { name: 'image', datatype: 'UINT8', shape: [1, height, width, channels], data: new Array<number>(height * width * channels).fill(128) };
    const before = readFileSync(auditPaths(store).log, 'utf8').trim().split('\n').length;
    const response = await fetch(`${server.url}/v2/models/patterns/infer`, { method: 'POST', body: JSON.stringify({ inputs: [image] }), headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(200);
    const records = readFileSync(auditPaths(store).log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(records).toHaveLength(before + 1);
    expect(records.at(-1)).toMatchObject({ sequence: before + 1, source: 'edge', model: { name: 'patterns' }, instance: null });
    expect((await verifyAuditLog(store)).broken).toBeNull();
  });

  it('gives no result when the decision cannot be recorded (503 AUDIT_FAILED)', async () => {
    appendFileSync(audit.paths.log, '{"cut off');
    const answer = await post(await patternPng(0), 'image/png');
    expect(answer.status).toBe(503);
    expect(answer.body.error).toMatchObject({ code: 'AUDIT_FAILED', message: expect.stringContaining('audit trail') });
  });
});
