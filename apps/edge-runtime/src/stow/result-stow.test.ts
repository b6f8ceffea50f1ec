import { createCtImage, writeDicom } from '@cvf/medical';
import type { Prediction } from '@cvf/core';
import { createServer, type IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createEdgeServer } from '../edge-server.js';
import { createLogger } from '../logger.js';
import { EdgeMetrics } from '../metrics.js';
import { ResultStow } from './result-stow.js';

const silent = createLogger({ level: 'silent' });

const dicom = writeDicom(createCtImage({ rows: 4, columns: 4, pixels: new Int16Array(16), rescale: { slope: 1, intercept: -1024 }, pixelSpacing: [1, 1], sliceThickness: 1, position: [0, 0, 0] }));
const prediction = {
  probabilities: [0.3, 0.7],
  decision: { outcome: 'class', classIndex: 1, label: 'b', summary: 'b (most probable, p 0.70)', reasons: [], model: { name: 'm', version: 4, configHash: 'abc' } },
} as unknown as Prediction;

async function failures(metrics: EdgeMetrics): Promise<Record<string, number>> {
  return Object.fromEntries((await metrics.stowFailures.get()).values.map((v) => [`${v.labels.model}/${v.labels.code}`, v.value]));
}

describe('ResultStow', () => {
  it('enqueue returns before the PACS answers; a PACS that hangs past the timeout is a counted failure, and drain ends', async () => {
    const received: IncomingMessage[] = [];
    let arrived!: () => void;
    const first = new Promise<void>((resolve) => (arrived = resolve));
    const hanging = createServer((request) => {
      received.push(request);
      arrived();
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = hanging.address() as { port: number };
      const metrics = new EdgeMetrics();
      const stow = new ResultStow({ url: `http://127.0.0.1:${port}/dicom-web`, metrics, log: silent, timeoutMs: 300 });
      stow.enqueue('m', [{ dicom, prediction }]);
      await first;
      // The STOW-RS request is out and unanswered, and nothing waited for it.
      expect(received[0]!.method).toBe('POST');
      expect(received[0]!.headers['content-type']).toMatch(/^multipart\/related; type="?application\/dicom"?/);
      await stow.drain();
      expect(Object.keys(await failures(metrics))).toHaveLength(1);
      expect(Object.keys(await failures(metrics))[0]).toMatch(/^m\/DICOMWEB_/);
    } finally {
      hanging.closeAllConnections();
      hanging.close();
    }
  });

  it('drops what does not fit the pending budget, counting it as STOW_QUEUE_FULL', async () => {
    const metrics = new EdgeMetrics();
    // Nothing listens on loopback port 9: the two queued stores fail fast (UNREACHABLE); the third never queues.
    const stow = new ResultStow({ url: 'http://127.0.0.1:9/dicom-web', metrics, log: silent, maxPendingBytes: dicom.length * 2 });
    stow.enqueue('m', [{ dicom, prediction }, { dicom, prediction }, { dicom, prediction }]);
    await stow.drain();
    const counted = await failures(metrics);
    expect(counted['m/STOW_QUEUE_FULL']).toBe(1);
    expect(Object.values(counted).reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('a --stow value that is not an http(s) DICOMweb root stops the server before it loads anything', async () => {
    await expect(createEdgeServer({ models: ['no-such-model@production'], logger: silent, stow: 'ftp://pacs/dicom-web' })).rejects.toMatchObject({ code: 'DICOMWEB_INVALID_REQUEST', message: expect.stringContaining('ftp:') });
  });

  it('an upload it cannot report on (not DICOM after all) is a counted failure, not a crash', async () => {
    const metrics = new EdgeMetrics();
    const stow = new ResultStow({ url: 'http://127.0.0.1:9/dicom-web', metrics, log: silent });
    stow.enqueue('m', [{ dicom: new Uint8Array([1, 2, 3]), prediction }]);
    await stow.drain();
    expect(Object.keys(await failures(metrics))).toEqual(['m/DICOM_NOT_DICOM']);
  });
});
