import { readFile } from 'node:fs/promises';
import { parsePipelineConfig } from '../config/load.js';
import type { PipelineConfig } from '../config/schema.js';
import { FileError } from '../errors.js';

/**
 * Reads and validates a pipeline YAML file. Throws FileError (FILE_UNREADABLE) when the file
 * cannot be read, ConfigError (CONFIG_INVALID) with every issue when it is not a valid pipeline.
 */
export async function loadPipelineConfigFile(path: string): Promise<PipelineConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new FileError(`cannot read pipeline config "${path}": ${reason}`, { cause: error });
  }
  return parsePipelineConfig(text, path);
}
