import { CvfError, disposeDecodedInput, encodePng, findStage, type Prediction } from '@cvf/core';
import { decodeUpload, type DecodedUpload } from '../decode/decode-upload.js';
import { HttpError } from '../http/http-error.js';
import { readBody } from '../http/read-body.js';
import { sendJson } from '../http/respond.js';
import type { RequestContext, Route } from '../http/route.js';
import { newPredictionIds, stampingPredictionIds } from '../feedback/prediction-ids.js';
import { auditPredictions } from '../audit/audit-predictions.js';
import { recordPredictions } from '../models/record-predictions.js';
import { withInputStatistics } from '../monitoring/input-statistics-stamp.js';
import { stowJobs } from '../stow/stow-jobs.js';
import type { ServedModel } from '../models/served-model.js';
import { slotOf, type ServerState } from '../server-state.js';
import { parseMultipart, type UploadedFile } from './multipart.js';

/** Media types the file route takes as a body (one file), besides multipart/form-data (several). */
const FILE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'application/dicom', 'application/octet-stream'];

/**
 * Routes for people and PACS scripts: upload PNG, JPEG, WebP or DICOM files (one as the body, or
 * several as multipart/form-data) and get what `cvf predict --json` prints, plus the model
 * name and version and timings; and the thumbnails of the similar cases it names.
 */
export const fileRoutes: Route<ServerState>[] = [
  { method: 'POST', path: /^\/v1\/predict$/, label: '/v1/predict', errors: 'coded', auth: true, handle: (context, state) => predictFiles(context, state, defaultModel(state)) },
  {
    method: 'POST',
    path: /^\/v1\/models\/(?<model>[^/]+)\/predict$/,
    label: '/v1/models/{model}/predict',
    errors: 'coded',
    auth: true,
    handle: (context, state) => predictFiles(context, state, context.params.model!),
  },
  {
    method: 'GET',
    path: /^\/v1\/models\/(?<model>[^/]+)\/cases\/(?<case>[^/]+)\/thumbnail$/,
    label: '/v1/models/{model}/cases/{case}/thumbnail',
    errors: 'coded',
    auth: true,
    handle: thumbnail,
  },
];

function defaultModel(state: ServerState): string {
  if (state.defaultModel === undefined) throw new HttpError(404, 'MODEL_NOT_FOUND', 'no model is served');
  return state.defaultModel;
}

/** The uploaded files: the body itself for an image or DICOM type, the parts of multipart/form-data. */
async function uploadedFiles(context: RequestContext, state: ServerState): Promise<UploadedFile[]> {
  const type = context.request.headers['content-type'] ?? '';
  const essence = type.split(';')[0]!.trim().toLowerCase();
  if (essence !== 'multipart/form-data' && !FILE_TYPES.includes(essence)) {
    throw new HttpError(415, 'INPUT_UNSUPPORTED_MEDIA', `Content-Type "${type}" is not accepted; send one of ${FILE_TYPES.join(', ')}, or multipart/form-data with several files`);
  }
  const body = await readBody(context.request, state.maxBodyBytes);
  if (essence === 'multipart/form-data') return parseMultipart(context.request.headers, body, state.maxBatch);
  if (body.length === 0) throw new HttpError(400, 'EMPTY_BODY', 'the request body is empty; send the image file as the body');
  return [{ name: 'body', mediaType: essence, bytes: body }];
}

function similarParameter(url: URL): number | undefined {
  const value = url.searchParams.get('similar');
  if (value === null) return undefined;
  const k = Number(value);
  if (!Number.isInteger(k) || k < 1 || k > 1000) throw new HttpError(400, 'PARAMETER_INVALID', `similar=${value} is not an integer 1..1000`);
  return k;
}

async function predictFiles(context: RequestContext, state: ServerState, name: string): Promise<void> {
  const started = performance.now();
  const similar = similarParameter(context.url);
  const files = await uploadedFiles(context, state);
  const model = slotOf(state, name).current;
  context.model = model.name;
  context.version = model.version;
  const body = await model.serve(async () => {
    const decodeStarted = performance.now();
    const uploads: DecodedUpload[] = [];
    try {
      for (const file of files) uploads.push(await decodeFile(file, model, state));
      const decodeMs = performance.now() - decodeStarted;
      const predicted = model.predict(uploads.map(({ input }) => ({ input, ...(similar !== undefined && { similar }) })));
      // The images' intensity statistics (the input drift detector's data) are computed while the model runs in its own thread
      // (a lone request's run, on this thread, starts after them).
      const logLens = state.inferenceLog && withInputStatistics(state.inferenceLog, state.device, uploads.map((u) => u.input), model.predictor.bundle.manifest.preprocess.normalize.scale);
      logLens?.catch(() => undefined); // awaited below; unread if the prediction fails
      const result = await predicted;
      state.metrics.queueDuration.observe({ model: model.name }, result.queueMs / 1000);
      const ids = newPredictionIds(result.outputs.length);
      const lens = await logLens;
      const inferenceLog = lens && stampingPredictionIds(lens, ids);
      recordPredictions(model, result.outputs, uploads.map((u) => u.sopInstanceUid), { metrics: state.metrics, inferenceLog });
      state.feedback.remember({ name: model.name, version: model.version, classes: model.predictor.bundle.manifest.classes }, result.outputs, ids);
      if (state.stow) state.stow.enqueue(model.name, await stowJobs(files, uploads, result.outputs, state.stow.capture ? { model, device: state.device } : undefined));
      await auditPredictions(state.audit, model, result.outputs, uploads.map((u) => u.sopInstanceUid), state.loneRequest());
      return {
        model: model.name,
        model_version: model.version,
        predictions: result.outputs.map((p, i) => ({ predictionId: ids[i]!, ...(filePrediction(files[i]!.name, p, model) as object) })),
        timings: { decode_ms: decodeMs, queue_ms: result.queueMs, inference_ms: result.runMs, batch_size: result.batchRows, total_ms: performance.now() - started },
      };
    } finally {
      uploads.forEach((u) => disposeDecodedInput(u.input));
    }
  });
  sendJson(context.response, 200, body);
}

async function decodeFile(file: UploadedFile, model: ServedModel, state: ServerState): Promise<DecodedUpload> {
  const started = performance.now();
  try {
    const { preprocess, input } = model.predictor.bundle.manifest;
    const upload = await decodeUpload(file.bytes, file.mediaType, { device: state.device, window: preprocess.window, contract: input, maxPixels: state.maxPixels, dicomPool: state.dicomPool });
    state.metrics.decodeDuration.observe({ model: model.name, media: upload.media }, (performance.now() - started) / 1000);
    return upload;
  } catch (error) {
    // The error names the file it is about (a multipart upload has several).
    if (error instanceof HttpError) throw new HttpError(error.status, error.code, `${file.name}: ${error.message}`, { headers: { ...error.headers }, cause: error });
    if (error instanceof CvfError) throw new CvfError(error.code, `${file.name}: ${error.message}`, { cause: error });
    throw error;
  }
}

/**
 * What `cvf predict --json` prints for a file (without the features). A bundle from before the
 * decision stage gets its binary thresholds applied (`thresholds`, `positive`); a newer one's
 * `decision` already says what was decided at which threshold, and two answers could disagree.
 */
function filePrediction(file: string, prediction: Prediction, model: ServedModel): unknown {
  const { features: _features, ...shown } = prediction;
  const { manifest } = model.predictor.bundle;
  const thresholds = findStage(manifest, 'decision') ? undefined : findStage(manifest, 'thresholds')?.params.perClass;
  if (!thresholds) return { file, ...shown };
  const classes = manifest.classes;
  const positive = Object.entries(thresholds).filter(([label, t]) => prediction.probabilities[classes.indexOf(label)]! >= t).map(([label]) => label);
  return { file, ...shown, thresholds, positive };
}

async function thumbnail(context: RequestContext, state: ServerState): Promise<void> {
  const model = slotOf(state, context.params.model!).current;
  context.model = model.name;
  context.version = model.version;
  const image = model.predictor.thumbnail(context.params.case!);
  if (!image) throw new HttpError(404, 'CASE_NOT_FOUND', `model "${model.name}" version ${model.version} has no thumbnail of case "${context.params.case}"`);
  const png = await encodePng(image);
  context.response.writeHead(200, { 'content-type': 'image/png', 'content-length': String(png.length), 'x-model-version': model.version, 'cache-control': 'no-cache' }).end(png);
}
