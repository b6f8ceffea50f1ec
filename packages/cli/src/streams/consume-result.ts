import type { ConsumeResult } from './consume-predict.js';

/** The model that answered, as each result names it. */
export interface AnsweringModel {
  readonly name: string;
  /** The registered version, else the bundle's; null for an unversioned bundle. */
  readonly version: string | number | null;
  readonly configHash: string;
}

/**
 * A result as the output stream carries it (Redis entry fields; the JetStream message body as
 * JSON): `source-id` (the input's place in its stream, what de-duplication keys on), `id` (the
 * payload's own id; absent when the message had none), `status` (`ok` or `error`), then `result`
 * (the prediction as `cvf predict --json` gives it) or `error` ({ code, message }) as JSON, and
 * `model` ({ name, version, configHash }) as JSON.
 */
export function resultFields(result: ConsumeResult, model: AnsweringModel): [string, string][] {
  return [
    ['source-id', result.sourceId],
    ...(result.id !== undefined ? [['id', result.id] as [string, string]] : []),
    ['status', 'error' in result ? 'error' : 'ok'],
    'error' in result ? ['error', JSON.stringify(result.error)] : ['result', JSON.stringify(result.prediction)],
    ['model', JSON.stringify(model)],
  ];
}

/** The same as one JSON object (a JetStream message body, a `--json` line). */
export function resultObject(result: ConsumeResult, model: AnsweringModel): Record<string, unknown> {
  return {
    sourceId: result.sourceId,
    ...(result.id !== undefined && { id: result.id }),
    status: 'error' in result ? 'error' : 'ok',
    ...('error' in result ? { error: result.error } : { result: result.prediction }),
    model,
  };
}
