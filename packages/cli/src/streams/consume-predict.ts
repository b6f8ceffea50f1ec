import { CvfError, decodeInput, disposeDecodedInput, type DecodedInput, type DecodeInputOptions, type Prediction, type PredictOptions, type Predictor } from '@cvf/core';
import { parsePayload, type ConsumePayload, type PayloadBytes, type PayloadPolicy, type StreamMessage } from './consume-payload.js';

/** A message's answer: its prediction, or the error that stands for it. Both carry the message's place in its stream. */
export type ConsumeResult =
  | { readonly sourceId: string; readonly id: string; readonly prediction: Omit<Prediction, 'features' | 'inputStatistics'> }
  | { readonly sourceId: string; readonly id?: string; readonly error: { readonly code: string; readonly message: string } };

/** What sees each batch's predictions and failures (the stream's monitor: metrics and drift window). */
export interface PredictionObserver {
  observe(predictions: readonly Prediction[], readAt: readonly number[]): void;
  failed(code: string): void;
}

export interface BatchPredictorOptions {
  readonly predictor: Predictor;
  readonly decode: DecodeInputOptions;
  readonly payloads: PayloadPolicy;
  /** Similar cases per result (default: the bundle index's k). */
  readonly similar?: number;
  /** What to ask the Predictor for beyond the prediction (the monitor's features and statistics). */
  readonly predictOptions?: PredictOptions;
  readonly observer?: PredictionObserver;
}

/**
 * Turns batches of stream messages into results through the one Predictor. Payload bytes (inline,
 * files, URLs) of every batch in flight are fetched at once; decoding and predicting take turns,
 * one batch at a time, so batches in flight never share the Device at once. A message that cannot
 * be read, fetched or decoded is its own error result; the rest of its batch is predicted.
 */
export class BatchPredictor {
  readonly #options: BatchPredictorOptions;
  #turn: Promise<unknown> = Promise.resolve();

  constructor(options: BatchPredictorOptions) {
    this.#options = options;
  }

  async predict(messages: readonly StreamMessage[]): Promise<ConsumeResult[]> {
    const readAt = performance.now();
    const payloads = messages.map((m) => parsePayload(m, this.#options.payloads));
    const loaded = await Promise.all(payloads.map(loadPayload));
    const run = this.#turn.then(() => this.#decodeAndPredict(loaded, readAt));
    this.#turn = run.catch(() => undefined);
    return run;
  }

  async #decodeAndPredict(loaded: readonly Loaded[], readAt: number): Promise<ConsumeResult[]> {
    const { predictor, decode, similar, predictOptions, observer } = this.#options;
    const decoded: ({ payload: ConsumePayload; image: DecodedInput } | { payload: ConsumePayload; error: CvfError })[] = [];
    for (const item of loaded) {
      if ('error' in item) {
        decoded.push(item);
        continue;
      }
      try {
        decoded.push({ payload: item.payload, image: await decodeInput(item.bytes.bytes, item.bytes.mediaType, decode) });
      } catch (error) {
        decoded.push({ payload: item.payload, error: asCvfError(error, item.payload) });
      }
    }
    const images = decoded.flatMap((d) => ('image' in d ? [d.image] : []));
    try {
      const predictions = await predictor.predict(images, { ...predictOptions, ...(similar !== undefined && { similar }) });
      observer?.observe(
        predictions,
        predictions.map(() => readAt),
      );
      let next = 0;
      return decoded.map((d): ConsumeResult => {
        const { sourceId } = d.payload;
        const id = 'id' in d.payload ? d.payload.id : undefined;
        if ('image' in d) {
          const { features: _features, inputStatistics: _statistics, ...prediction } = predictions[next++]!;
          return { sourceId, id: id!, prediction };
        }
        observer?.failed(d.error.code);
        return { sourceId, ...(id !== undefined && { id }), error: { code: d.error.code, message: d.error.message } };
      });
    } finally {
      images.forEach(disposeDecodedInput);
    }
  }
}

type Loaded = { readonly payload: ConsumePayload; readonly bytes: PayloadBytes } | { readonly payload: ConsumePayload; readonly error: CvfError };

async function loadPayload(payload: ConsumePayload): Promise<Loaded> {
  if ('error' in payload) return { payload, error: payload.error };
  try {
    return { payload, bytes: await payload.load() };
  } catch (error) {
    return { payload, error: asCvfError(error, payload) };
  }
}

/** A message's failure as a CvfError naming the message; anything else is a defect, so it is not swallowed. */
function asCvfError(error: unknown, payload: ConsumePayload): CvfError {
  if (!(error instanceof CvfError)) throw error;
  const name = 'id' in payload && payload.id !== undefined ? `message ${payload.sourceId} (id ${payload.id})` : `message ${payload.sourceId}`;
  return error.message.startsWith(`message ${payload.sourceId}`) ? error : new CvfError(error.code, `${name}: ${error.message}`, { cause: error });
}
