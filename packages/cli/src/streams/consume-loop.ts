import type { ConsumeResult } from './consume-predict.js';
import type { StreamMessage } from './consume-payload.js';

/**
 * A message bus as `cvf consume` drives it. `next` returns up to `count` messages — entries
 * claimed from dead consumers first, then new ones — or none after a short wait, so a stop is seen
 * within that wait. `complete` writes each result to the output and only then acknowledges its
 * message (a result already written for that message is not written again).
 */
export interface MessageSource {
  next(count: number): Promise<StreamMessage[]>;
  complete(results: readonly ConsumeResult[]): Promise<void>;
  close(): Promise<void>;
}

export interface ConsumeLoopOptions {
  readonly source: MessageSource;
  readonly predict: (messages: readonly StreamMessage[]) => Promise<ConsumeResult[]>;
  /** Messages read per batch. */
  readonly batch: number;
  /** Batches read but not yet completed, at most: no more is read until one completes (back-pressure). */
  readonly maxInFlight: number;
  /** Aborted: read nothing more, finish the batches in flight, return (SIGTERM, SIGINT). */
  readonly signal: AbortSignal;
  /** Sees each batch once its results are written and acknowledged. */
  readonly onCompleted?: (results: readonly ConsumeResult[]) => void;
}

/**
 * Reads, predicts and completes batches until the signal aborts, with at most `maxInFlight`
 * batches between read and acknowledgement. Returns the number of messages completed once the
 * batches in flight are drained. A failure to write or acknowledge (the server went away) stops
 * reading, lets the other batches finish, and is thrown: its messages stay unacknowledged, so the
 * bus delivers them again (to this consumer restarted, or to another).
 */
export async function runConsumeLoop(options: ConsumeLoopOptions): Promise<number> {
  const { source, signal } = options;
  const inFlight = new Set<Promise<void>>();
  let failure: { error: unknown } | undefined;
  let completed = 0;
  const handle = async (messages: StreamMessage[]) => {
    const results = await options.predict(messages);
    await source.complete(results);
    completed += results.length;
    options.onCompleted?.(results);
  };
  while (!signal.aborted && failure === undefined) {
    while (inFlight.size >= options.maxInFlight && failure === undefined) await Promise.race(inFlight);
    if (signal.aborted || failure !== undefined) break;
    let messages: StreamMessage[];
    try {
      messages = await source.next(options.batch);
    } catch (error) {
      failure = { error };
      break;
    }
    if (messages.length === 0) continue;
    const task: Promise<void> = handle(messages).then(
      () => void inFlight.delete(task),
      (error: unknown) => {
        inFlight.delete(task);
        failure ??= { error };
      },
    );
    inFlight.add(task);
  }
  await Promise.all(inFlight);
  if (failure) throw failure.error;
  return completed;
}
