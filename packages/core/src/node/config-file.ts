import { decodeConfigBytes } from '../config/decode-config.js';
import { MAX_CONFIG_BYTES } from '../config/limits.js';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { locatedConfigIssue, parsePipelineConfig } from '../config/load.js';
import type { PipelineConfig } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { finetuneConfigIssue } from '../train/finetune/finetune-check.js';
import { readRegularFile } from './read-regular-file.js';

/**
 * Reads and validates a pipeline YAML file, with `--set` overrides applied. Throws FileError
 * when the file cannot be read (FILE_UNREADABLE), is not a regular file (FILE_NOT_REGULAR) or is
 * over MAX_CONFIG_BYTES (FILE_TOO_LARGE); ConfigError (CONFIG_INVALID) with every issue when it
 * is not UTF-8 or not a valid pipeline.
 */
export async function loadPipelineConfigFile(path: string, options: { overrides?: readonly string[] } = {}): Promise<PipelineConfig> {
  const bytes = await readRegularFile(path, { maxBytes: MAX_CONFIG_BYTES, what: 'pipeline config' });
  const text = decodeConfigBytes(bytes, path);
  const config = parsePipelineConfig(text, path, options);
  await checkFinetuneBackbone(config, text, path);
  return config;
}

/** features.finetune against the backbone it names (unfreeze within its blocks), reported at its line like a schema issue; an unreadable model is left to the run to report. */
async function checkFinetuneBackbone(config: PipelineConfig, text: string, path: string): Promise<void> {
  if (config.features.kind !== 'onnx' || !config.features.finetune) return;
  const model = await readFile(resolve(dirname(path), config.features.onnx.model)).catch(() => null);
  const issue = model && finetuneConfigIssue(config, model);
  if (issue) throw new ConfigError([locatedConfigIssue(text, path, issue.path, issue.message)]);
}
