import { Rng } from '../../compute/random.js';
import { pipelineConfigSchema, type PipelineConfig } from '../../config/schema.js';
import { isCnnArchitectureKey, type CnnArchitectureKey } from '../../config/sections/tune.js';
import { CvfError, PipelineError } from '../../errors.js';
import { planCnn } from '../../train/cnn/cnn-spec.js';
import { cnnSpecOf } from '../stages/cnn.js';
import { cnnBlocksForTrial } from './cnn-architecture.js';

type TuneConfig = PipelineConfig['tune'];
type SpaceValue = TuneConfig['space'][string];
/** One trial's values, by space key. */
export type Point = Record<string, unknown>;

/** Draws per wanted point before successive halving settles for fewer distinct points (a small space). */
const DRAWS_PER_POINT = 100;

/**
 * Every combination of the value lists (grid), or `trials` seeded samples (random). Successive
 * halving draws `trials` distinct samples — a repeated point would only race itself — or, when the
 * space has fewer points, as many as it has.
 */
export function searchPoints(tune: TuneConfig, seed: number): Point[] {
  const entries = Object.entries(tune.space);
  if (tune.strategy === 'grid') {
    return entries.reduce<Point[]>((points, [path, values]) => points.flatMap((point) => (values as unknown[]).map((value) => ({ ...point, [path]: value }))), [{}]);
  }
  const rng = new Rng(seed);
  const draw = (): Point => Object.fromEntries(entries.map(([path, space]) => [path, sample(space, rng)]));
  if (tune.strategy === 'random') return Array.from({ length: tune.trials }, draw);
  const points = new Map<string, Point>();
  for (let draws = 0; points.size < tune.trials && draws < tune.trials * DRAWS_PER_POINT; draws++) {
    const point = draw();
    const key = JSON.stringify(point);
    if (!points.has(key)) points.set(key, point);
  }
  return [...points.values()];
}

function sample(space: SpaceValue, rng: Rng): unknown {
  if (Array.isArray(space)) return rng.pick(space);
  return space.log ? Math.exp(rng.uniform(Math.log(space.min), Math.log(space.max))) : rng.uniform(space.min, space.max);
}

/**
 * The config with a point's values set at their paths — its architecture keys rebuilt into
 * `model.cnn.blocks` — validated again (a value may break a rule, a network may pool its input
 * away).
 */
export function applyPoint(config: PipelineConfig, point: Point): PipelineConfig {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  const architecture: Partial<Record<CnnArchitectureKey, unknown>> = {};
  for (const [path, value] of Object.entries(point)) {
    if (isCnnArchitectureKey(path)) {
      architecture[path] = value;
      continue;
    }
    const steps = path.split('.');
    let node = copy;
    for (const step of steps.slice(0, -1)) {
      if (node[step] === null || typeof node[step] !== 'object') node[step] = {};
      node = node[step] as Record<string, unknown>;
    }
    node[steps[steps.length - 1]!] = value;
  }
  const reshaped = Object.keys(architecture).length > 0;
  if (reshaped) {
    if (config.model.head !== 'cnn') throw new PipelineError('PIPELINE_FAILED', `tune.space point ${JSON.stringify(point)} shapes a cnn network, and model.head is ${config.model.head}`);
    (copy['model'] as { cnn: { blocks: unknown } }).cnn.blocks = cnnBlocksForTrial(config.model.cnn.blocks, architecture);
  }
  const parsed = pipelineConfigSchema.safeParse(copy);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new PipelineError('PIPELINE_FAILED', `tune.space point ${JSON.stringify(point)} makes an invalid config: ${problems}`);
  }
  // A searched network must fit the preprocessed image (two classes stand in: shapes do not depend on them).
  if (reshaped) {
    try {
      planCnn(cnnSpecOf(parsed.data, 2));
    } catch (error) {
      if (!(error instanceof CvfError)) throw error;
      throw new PipelineError('PIPELINE_FAILED', `tune.space point ${JSON.stringify(point)} makes a network that does not fit the ${config.preprocess.resize.height}×${config.preprocess.resize.width} input: ${error.message}`);
    }
  }
  return parsed.data;
}
