import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import * as z from 'zod';
import { bundleDigest, CpuDevice, loadBundle, MANIFEST_FILE, memorySource, Predictor, requireStage, sealBundle, STAGE_KINDS, type BundleStage, type UnsealedManifest } from '@cvf/core';
import { bundleSourceAt, createOrtNodeRuntime, writeBundleFolder } from '@cvf/core/node';
import { teachRequestSchema, teachResponseSchema, type TeachRequest } from '../../src/pages/viewer/teach-schema.js';
import { StudioError } from '../errors.js';
import { readJson, sendJson } from '../http/respond.js';
import type { Route } from '../http/router.js';

/**
 * A head taught in the viewer becomes a new registered version: the base version's extractor and
 * PCA (copied here, never sent), the page's head and case index, its class list. The bundle is
 * loaded by the same Predictor before it is written and registered, so a bad head never lands.
 */
export const teachRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/api/models/:name/teach',
    handle: async ({ req, res, params, studio }) => {
      const request = await readJson(req, teachRequestSchema);
      const name = params.name!;
      const base = await loadBundle(await bundleSourceAt((await studio.store.getVersion(name, request.baseVersion)).bundle));
      const { manifest, files } = taughtBundle(base.manifest, base.files, request);
      const sealed = await sealBundle(manifest, files);
      const predictor = await Predictor.load(memorySource(new Map([...files, [MANIFEST_FILE, sealed.manifestBytes]]), 'taught bundle'), {
        device: new CpuDevice(),
        onnxRuntime: await createOrtNodeRuntime(),
      });
      await predictor.release();
      const dir = join(studio.storeDir, 'bundles', `taught-${randomUUID()}`);
      const written = await writeBundleFolder(dir, manifest, files);
      const digest = await bundleDigest(written);
      const metrics = { taught: request.metrics, baseVersion: request.baseVersion };
      const version = await studio.store.registerVersion(name, { bundle: dir, metrics, configHash: written.configHash, bundleDigest: digest });
      sendJson(res, teachResponseSchema, { name, version: version.version, bundleDigest: digest });
    },
  },
];

const decode = (base64: string) => Uint8Array.from(Buffer.from(base64, 'base64'));

/** The base manifest with the taught classes, head and index: the extractor and PCA stages (and their files) stay the base's. */
function taughtBundle(base: UnsealedManifest, baseFiles: ReadonlyMap<string, Uint8Array>, request: TeachRequest): { manifest: UnsealedManifest; files: Map<string, Uint8Array> } {
  const invalid = (message: string) => new StudioError('REQUEST_INVALID', message);
  const head = parseStage('head', request.stages.head);
  const index = parseStage('index', request.stages.index);
  const kept: BundleStage[] = [requireStage(base as never, 'extractor')];
  const pca = base.stages.find((s) => s.kind === 'pca');
  if (pca) kept.push(pca);
  const files = new Map<string, Uint8Array>();
  for (const stage of kept) for (const path of Object.values(stage.files)) files.set(path, baseFiles.get(path)!);
  const sentPaths = [...Object.values(head.files), ...Object.values(index.files)];
  const extra = Object.keys(request.files).filter((path) => !sentPaths.includes(path));
  if (extra.length > 0) throw invalid(`files ${extra.join(', ')} belong to no taught stage; send only ${sentPaths.join(', ')}`);
  for (const path of sentPaths) {
    if (files.has(path)) throw invalid(`"${path}" is a file of the base bundle's extractor or PCA; the taught stages must use other names`);
    const sent = request.files[path];
    if (sent === undefined) throw invalid(`the taught stages name "${path}", but it was not sent`);
    files.set(path, decode(sent));
  }
  const basePostprocess = base.stages.find((s): s is Extract<BundleStage, { kind: 'postprocess' }> => s.kind === 'postprocess');
  // The taught head has no fitted temperature (1); it reports as many classes as the base did, at most all.
  const postprocess = STAGE_KINDS.postprocess.save({ temperature: 1, topK: Math.min(request.classes.length, basePostprocess?.params.topK ?? 3) });
  const { metrics } = request;
  const perClass = Object.fromEntries(Object.entries(metrics.perClassAccuracy).map(([label, accuracy]) => [`accuracy:${label}`, accuracy]));
  const { files: _baseFiles, ...unsealedBase } = base as UnsealedManifest & { files?: unknown };
  const manifest: UnsealedManifest = {
    ...unsealedBase,
    version: null,
    createdAt: new Date().toISOString(),
    classes: request.classes,
    stages: [...kept, index, head, postprocess],
    metrics: { heldOut: { accuracy: metrics.heldOutAccuracy, examples: metrics.heldOut, ...perClass } },
  };
  return { manifest, files };
}

function parseStage<K extends 'head' | 'index'>(kind: K, record: Record<string, unknown>): z.output<(typeof STAGE_KINDS)[K]['schema']> {
  const parsed = STAGE_KINDS[kind].schema.safeParse(record);
  if (!parsed.success) throw new StudioError('REQUEST_INVALID', `stages.${kind} is not a ${kind} stage: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  return parsed.data as z.output<(typeof STAGE_KINDS)[K]['schema']>;
}
