import { instanceDigest } from '@cvf/medical';
import { AuditLog, auditPaths, verifyAuditLog } from '@cvf/medical/node';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUDIT_DECISIONS_URL, type AuditDecisionRequest } from '../../src/pages/viewer/audit-schema.js';
import { startStudioFixture, type StudioFixture } from '../testing/studio-fixture.js';

// POST /api/audit/decisions over a real studio server and store: the viewer's decisions join the
// store's hash-chained audit trail; the page sends only the digest of the SOP Instance UID, and the
// record holds the same salted hash the CLI and the edge runtime write for that instance.
describe('the viewer decisions route', () => {
  let fixture: StudioFixture;
  beforeAll(async () => {
    fixture = await startStudioFixture();
  });
  afterAll(() => fixture.close());

  const post = (body: unknown) => fetch(`${fixture.base}${AUDIT_DECISIONS_URL}`, { method: 'POST', headers: { 'content-type': 'application/json', origin: fixture.base }, body: JSON.stringify(body) });
  const uid = '1.2.826.0.1.3680043.8.498.4242';
  let decision: AuditDecisionRequest;
  beforeAll(async () => {
    decision = {
      model: { name: 'chest-ct', version: 4, configHash: 'abc' },
      decision: { outcome: 'refer', class: 'nodule', probability: 0.55, thresholds: { nodule: 0.6 } },
      instanceDigest: await instanceDigest(uid),
    };
  });

  it('appends each decision with source studio and the salted instance hash, and answers its place in the chain', async () => {
    const first = await post(decision);
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({ sequence: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const second = await post({ ...decision, instanceDigest: null });
    expect(await second.json()).toMatchObject({ sequence: 2 });
    const text = readFileSync(auditPaths(fixture.storeDir).log, 'utf8');
    const records = text.trim().split('\n').map((l) => JSON.parse(l));
    const log = await AuditLog.open(fixture.storeDir);
    expect(records[0]).toMatchObject({ source: 'studio', model: decision.model, decision: decision.decision, instance: await log.hashInstance(uid) });
    expect(records[1].instance).toBeNull();
    expect(text).not.toContain(uid);
    expect(text).not.toContain(decision.instanceDigest!);
    expect((await verifyAuditLog(fixture.storeDir)).broken).toBeNull();
  });

  it('refuses a request that is not a decision, and writes nothing for it', async () => {
    const before = readFileSync(auditPaths(fixture.storeDir).log, 'utf8');
    const bad = await post({ ...decision, decision: { ...decision.decision, probability: 7 } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('REQUEST_INVALID');
    // The UID itself where its digest belongs is refused.
    const rawUid = await post({ ...decision, instanceDigest: uid });
    expect(rawUid.status).toBe(400);
    expect(readFileSync(auditPaths(fixture.storeDir).log, 'utf8')).toBe(before);
  });
});
