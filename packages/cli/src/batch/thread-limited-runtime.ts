import type { OnnxRuntime } from '@cvf/core';

/**
 * The runtime with every session limited to `threads` intra-op threads (unless a session asks
 * for its own number): workers sharing a machine then split its cores instead of each taking all.
 */
export function threadLimitedRuntime(runtime: OnnxRuntime, threads: number | undefined): OnnxRuntime {
  if (threads === undefined) return runtime;
  return {
    name: runtime.name,
    version: runtime.version,
    createSession: (model, options) => runtime.createSession(model, { ...options, intraOpNumThreads: options.intraOpNumThreads ?? threads }),
  };
}
