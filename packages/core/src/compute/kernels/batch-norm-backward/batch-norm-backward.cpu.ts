import type { HostTensors, OutputArrays } from '../../kernel.js';
import { channelGeometry } from '../../kernels-shared/per-channel.js';
import type { BatchNormBackwardAttrs, BatchNormBackwardInputs } from './batch-norm-backward.shape.js';

/**
 * With x̂ = (x − mean)·invStd over a channel of M elements: dbias = Σ dy, dscale = Σ dy·x̂, and
 * dx = scale·invStd·(dy − dbias/M − x̂·dscale/M) in training (the statistics depend on x), or
 * scale·invStd·dy in evaluation. Sums in float64.
 */
export function batchNormBackwardCpu(inputs: HostTensors<BatchNormBackwardInputs>, { training }: BatchNormBackwardAttrs, outputs: OutputArrays<'dx' | 'dscale' | 'dbias'>): void {
  const { batch, channels, inner } = channelGeometry('batch-norm-backward', inputs.x);
  const [x, dy] = [inputs.x.data, inputs.dy.data];
  const count = batch * inner;
  for (let c = 0; c < channels; c++) {
    const at = (j: number) => (Math.floor(j / inner) * channels + c) * inner + (j % inner);
    const mean = inputs.statistics.data[c]!;
    const invStd = inputs.statistics.data[channels + c]!;
    let dbias = 0;
    let dscale = 0;
    for (let j = 0; j < count; j++) {
      dbias += dy[at(j)]!;
      dscale += dy[at(j)]! * (x[at(j)]! - mean) * invStd;
    }
    outputs.dbias[c] = dbias;
    outputs.dscale[c] = dscale;
    const gain = inputs.scale.data[c]! * invStd;
    for (let j = 0; j < count; j++) {
      const e = at(j);
      outputs.dx[e] = training ? gain * (dy[e]! - dbias / count - (x[e]! - mean) * invStd * (dscale / count)) : gain * dy[e]!;
    }
  }
}
