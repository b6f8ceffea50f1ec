import type { CreateSessionOptions, OnnxRuntime } from './session.js';

/** Session options a runtime applies to every session whose caller does not set them. */
export type SessionDefaults = Pick<CreateSessionOptions, 'intraOpNumThreads'>;

/**
 * `runtime`, with `defaults` for the options a `createSession` call leaves unset: e.g. a server's
 * thread count for every model it loads, whichever loader creates the sessions. Everything else
 * of the runtime (a worker runtime's `runs`, `close`) is kept.
 */
export function withSessionDefaults<R extends OnnxRuntime>(runtime: R, defaults: SessionDefaults): R {
  return {
    ...runtime,
    createSession: (model: Uint8Array, options: CreateSessionOptions) =>
      runtime.createSession(model, {
        ...options,
        ...(options.intraOpNumThreads === undefined && defaults.intraOpNumThreads !== undefined && { intraOpNumThreads: defaults.intraOpNumThreads }),
      }),
  };
}
