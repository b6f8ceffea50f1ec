import { HttpError } from '../http/http-error.js';
import { readBody } from '../http/read-body.js';
import { sendJson } from '../http/respond.js';
import type { RequestContext, Route } from '../http/route.js';
import { slotOf, type ServerState } from '../server-state.js';

/** A label is a few dozen bytes of JSON; anything much larger is not one. */
const MAX_FEEDBACK_BYTES = 16 * 1024;

/** `POST /v1/models/{model}/feedback {predictionId, label}`: the true class of an answered prediction. */
export const feedbackRoutes: Route<ServerState>[] = [
  {
    method: 'POST',
    path: /^\/v1\/models\/(?<model>[^/]+)\/feedback$/,
    label: '/v1/models/{model}/feedback',
    errors: 'coded',
    auth: true,
    handle: feedback,
  },
];

async function feedback(context: RequestContext, state: ServerState): Promise<void> {
  const slot = slotOf(state, context.params.model!);
  context.model = slot.name;
  const type = (context.request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new HttpError(415, 'INPUT_UNSUPPORTED_MEDIA', `Content-Type "${type}" is not accepted; send application/json {"predictionId": "...", "label": "<class name>"}`);
  const text = (await readBody(context.request, MAX_FEEDBACK_BYTES)).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'MONITOR_FEEDBACK_INVALID', 'the body is not JSON; send {"predictionId": "...", "label": "<class name>"}');
  }
  const answer = await state.feedback.record(slot.name, body);
  context.version = answer.version;
  sendJson(context.response, 200, answer);
}
