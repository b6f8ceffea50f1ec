import type { CnnArchitectureKey } from '../../config/sections/tune.js';
import { PipelineError } from '../../errors.js';
import type { CnnBlock } from '../../train/cnn/cnn-spec.js';

type StageBlockKind = 'conv' | 'residual';
type PoolBlock = Extract<CnnBlock, { kind: 'maxpool' | 'avgpool' }>;

/** A network read as stages: the same blocks repeated `depth` times per stage, a pooling block between stages. */
export interface CnnStages {
  /** Channels of each stage, in order. */
  readonly widths: readonly number[];
  /** Blocks per stage. */
  readonly depth: number;
  readonly block: StageBlockKind;
  readonly pool: PoolBlock;
}

/**
 * The stages of a network given as blocks: its conv/residual blocks grouped between pooling
 * blocks. Each stage's width is its last block's channels; depth is the deepest stage's block
 * count; the block kind is the last stage's (the small-ResNet default reads as widths [32, 64,
 * 128], depth 1, residual, max-pool 2); the pooling is the first pooling block (max-pool 2 if none).
 */
export function cnnStagesOf(blocks: readonly CnnBlock[]): CnnStages {
  const stages: Extract<CnnBlock, { kind: StageBlockKind }>[][] = [[]];
  let pool: PoolBlock | null = null;
  for (const block of blocks) {
    if (block.kind === 'maxpool' || block.kind === 'avgpool') {
      pool ??= block;
      if (stages.at(-1)!.length > 0) stages.push([]);
    } else {
      stages.at(-1)!.push(block);
    }
  }
  const filled = stages.filter((stage) => stage.length > 0);
  if (filled.length === 0) throw new PipelineError('PIPELINE_FAILED', 'model.cnn.blocks has no conv or residual block to read stages from');
  return {
    widths: filled.map((stage) => stage.at(-1)!.channels),
    depth: Math.max(...filled.map((stage) => stage.length)),
    block: filled.at(-1)!.at(-1)!.kind,
    pool: pool ?? { kind: 'maxpool', size: 2 },
  };
}

/** The blocks of stages: `depth` 3×3 conv-bn-relu or residual blocks of stride 1 per stage, the pooling block between stages. */
export function cnnBlocksOf(stages: CnnStages): CnnBlock[] {
  const block = (channels: number): CnnBlock => (stages.block === 'conv' ? { kind: 'conv', channels, kernel: 3, stride: 1 } : { kind: 'residual', channels, stride: 1 });
  return stages.widths.flatMap((channels, s) => [...(s > 0 ? [stages.pool] : []), ...Array.from({ length: stages.depth }, () => block(channels))]);
}

/** The base network's blocks reshaped by a trial's architecture keys (those it leaves out keep the base's stages). */
export function cnnBlocksForTrial(base: readonly CnnBlock[], architecture: Partial<Record<CnnArchitectureKey, unknown>>): CnnBlock[] {
  const stages = cnnStagesOf(base);
  return cnnBlocksOf({
    ...stages,
    ...(architecture['model.cnn.widths'] !== undefined ? { widths: architecture['model.cnn.widths'] as number[] } : {}),
    ...(architecture['model.cnn.depth'] !== undefined ? { depth: architecture['model.cnn.depth'] as number } : {}),
    ...(architecture['model.cnn.block'] !== undefined ? { block: architecture['model.cnn.block'] as StageBlockKind } : {}),
  });
}
