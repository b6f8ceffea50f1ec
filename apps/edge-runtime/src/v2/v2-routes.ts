import { CORE_VERSION, disposeDecodedInput } from '@cvf/core';
import { auditPredictions } from '../audit/audit-predictions.js';
import { readBody } from '../http/read-body.js';
import { sendJson } from '../http/respond.js';
import type { RequestContext, Route } from '../http/route.js';
import { recordPredictions } from '../models/record-predictions.js';
import { withInputStatistics } from '../monitoring/input-statistics-stamp.js';
import type { ServedModel } from '../models/served-model.js';
import { modelVersionOf, type ServerState } from '../server-state.js';
import { parseInferenceRequest } from './inference-request.js';
import { encodeInferenceResponse } from './inference-response.js';

/** The model path prefix of the protocol: /v2/models/{model}[/versions/{version}]. */
const MODEL = String.raw`^/v2/models/(?<model>[^/]+)(?:/versions/(?<version>[^/]+))?`;

/** Server metadata and the extensions this server implements. */
const SERVER_METADATA = { name: 'cvf-edge-runtime', version: CORE_VERSION, extensions: ['binary_tensor_data'] };

/**
 * The Open Inference Protocol v2 (KServe / Triton) REST routes: health, server and model
 * metadata, model readiness and inference. Errors are `{"error": "..."}`.
 */
export const v2Routes: Route<ServerState>[] = [
  { method: 'GET', path: /^\/v2\/?$/, label: '/v2', errors: 'v2', auth: true, handle: async ({ response }) => sendJson(response, 200, SERVER_METADATA) },
  { method: 'GET', path: /^\/v2\/health\/live$/, label: '/v2/health/live', errors: 'v2', auth: false, handle: async ({ response }) => sendJson(response, 200, { live: true }) },
  {
    method: 'GET',
    path: /^\/v2\/health\/ready$/,
    label: '/v2/health/ready',
    errors: 'v2',
    auth: false,
    handle: async ({ response }, state) => sendJson(response, state.ready() ? 200 : 400, { ready: state.ready() }),
  },
  {
    method: 'GET',
    path: new RegExp(`${MODEL}$`),
    label: '/v2/models/{model}',
    errors: 'v2',
    auth: true,
    handle: async (context, state) => sendJson(context.response, 200, modelMetadata(served(context, state))),
  },
  {
    method: 'GET',
    path: new RegExp(`${MODEL}/ready$`),
    label: '/v2/models/{model}/ready',
    errors: 'v2',
    auth: true,
    handle: async (context, state) => {
      const model = served(context, state);
      sendJson(context.response, state.ready() ? 200 : 400, { name: model.name, ready: state.ready() });
    },
  },
  { method: 'POST', path: new RegExp(`${MODEL}/infer$`), label: '/v2/models/{model}/infer', errors: 'v2', auth: true, handle: infer },
];

function served(context: RequestContext, state: ServerState): ServedModel {
  const model = modelVersionOf(state, context.params.model!, context.params.version);
  context.model = model.name;
  context.version = model.version;
  return model;
}

/** Model metadata: the image input of the bundle's contract, and the outputs (-1: any size). */
function modelMetadata(model: ServedModel): unknown {
  const { input, classes } = model.predictor.bundle.manifest;
  return {
    name: model.name,
    versions: [model.version],
    platform: 'cvf_bundle',
    inputs: [{ name: 'image', datatype: 'UINT8', shape: [-1, input.height, input.width, input.channels] }],
    outputs: [
      { name: 'probabilities', datatype: 'FP32', shape: [-1, classes.length] },
      { name: 'features', datatype: 'FP32', shape: [-1, model.featureCount] },
      { name: 'similar_ids', datatype: 'BYTES', shape: [-1, -1] },
      { name: 'similar_scores', datatype: 'FP32', shape: [-1, -1] },
    ],
  };
}

async function infer(context: RequestContext, state: ServerState): Promise<void> {
  const body = await readBody(context.request, state.maxBodyBytes);
  const headerLength = context.request.headers['inference-header-content-length'];
  const model = served(context, state);
  const encoded = await model.serve(async () => {
    const started = performance.now();
    const request = parseInferenceRequest(body, Array.isArray(headerLength) ? headerLength[0] : headerLength, model.predictor.bundle.manifest.input);
    state.metrics.decodeDuration.observe({ model: model.name, media: `v2/${request.datatype}` }, (performance.now() - started) / 1000);
    try {
      const predicted = model.predict(request.images.map((input) => ({ input, ...(request.similar !== undefined && { similar: request.similar }) })));
      // Each image's intensity statistics go with its record, for the input drift detector:
      // computed here while the model runs in its own thread (a lone request's run, on this
      // thread, starts after them).
      const logLens = state.inferenceLog && withInputStatistics(state.inferenceLog, state.device, request.images, model.predictor.bundle.manifest.preprocess.normalize.scale);
      logLens?.catch(() => undefined); // awaited below; unread if the prediction fails
      const result = await predicted;
      state.metrics.queueDuration.observe({ model: model.name }, result.queueMs / 1000);
      recordPredictions(model, result.outputs, [], { metrics: state.metrics, inferenceLog: await logLens });
      await auditPredictions(state.audit, model, result.outputs, [], state.loneRequest());
      return encodeInferenceResponse({ model: model.name, version: model.version, id: request.id, inputDatatype: request.datatype, outputs: request.outputs, predictions: result.outputs });
    } finally {
      request.images.forEach(disposeDecodedInput);
    }
  });
  const headers: Record<string, string> = { 'content-length': String(encoded.body.length) };
  if (encoded.headerLength === null) headers['content-type'] = 'application/json';
  else Object.assign(headers, { 'content-type': 'application/octet-stream', 'inference-header-content-length': String(encoded.headerLength) });
  context.response.writeHead(200, headers).end(encoded.body);
}
