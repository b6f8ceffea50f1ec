import { dirname } from 'node:path';
import { parse } from 'yaml';
import type { ConfigFiles } from '../configs/config-files.js';
import type { RunQueue } from '../queue/run-queue.js';

/**
 * The folder a run's relative data paths start from (they are relative to its config file): the
 * config the queue trained it from; else a config of the configs folder with the run's pipeline
 * name (a run started from a terminal); else the configs folder itself.
 */
export async function runConfigFolder(runId: string, runName: string | null, queue: RunQueue, configs: ConfigFiles): Promise<string> {
  const queued = queue.configFileOfRun(runId);
  if (queued) return dirname(queued);
  if (runName) {
    for (const entry of await configs.list()) {
      try {
        const { text } = await configs.read(entry.path);
        const doc = parse(text) as { name?: unknown } | null;
        if (doc?.name === runName) return dirname(configs.folder.pathOf(entry.path));
      } catch {
        // An unreadable or broken config is not the one.
      }
    }
  }
  return configs.folder.root;
}
