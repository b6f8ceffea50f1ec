import { decodeConfigBytes } from '../config/decode-config.js';
import { MAX_CONFIG_BYTES } from '../config/limits.js';
import { parsePipelineConfig } from '../config/load.js';
import type { PipelineConfig } from '../config/schema.js';
import { readRegularFile } from './read-regular-file.js';

/**
 * Reads and validates a pipeline YAML file, with `--set` overrides applied. Throws FileError
 * when the file cannot be read (FILE_UNREADABLE), is not a regular file (FILE_NOT_REGULAR) or is
 * over MAX_CONFIG_BYTES (FILE_TOO_LARGE); ConfigError (CONFIG_INVALID) with every issue when it
 * is not UTF-8 or not a valid pipeline.
 */
export async function loadPipelineConfigFile(path: string, options: { overrides?: readonly string[] } = {}): Promise<PipelineConfig> {
  const bytes = await readRegularFile(path, { maxBytes: MAX_CONFIG_BYTES, what: 'pipeline config' });
  return parsePipelineConfig(decodeConfigBytes(bytes, path), path, options);
}
