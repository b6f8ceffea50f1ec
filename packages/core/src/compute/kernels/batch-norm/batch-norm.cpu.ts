import type { HostTensors, OutputArrays } from '../../kernel.js';
import { channelGeometry } from '../../kernels-shared/per-channel.js';
import { batchNormSettings, type BatchNormAttrs, type BatchNormInputs, type BatchNormOutputs } from './batch-norm.shape.js';

/** The reference: two-pass mean and population variance per channel in float64, one rounding per output. */
export function batchNormCpu(inputs: HostTensors<BatchNormInputs>, attrs: BatchNormAttrs, outputs: OutputArrays<BatchNormOutputs>): void {
  const { epsilon, momentum } = batchNormSettings('batch-norm', attrs);
  const { batch, channels, inner } = channelGeometry('batch-norm', inputs.x);
  const x = inputs.x.data;
  const count = batch * inner;
  const running = inputs.running.data;
  for (let c = 0; c < channels; c++) {
    const at = (j: number) => (Math.floor(j / inner) * channels + c) * inner + (j % inner);
    let mean = running[c]!;
    let variance = running[channels + c]!;
    if (attrs.training) {
      let sum = 0;
      for (let j = 0; j < count; j++) sum += x[at(j)]!;
      mean = sum / count;
      let squares = 0;
      for (let j = 0; j < count; j++) squares += (x[at(j)]! - mean) ** 2;
      variance = squares / count;
    }
    outputs.updatedRunning[c] = attrs.training ? running[c]! * momentum + mean * (1 - momentum) : mean;
    const correction = attrs.unbiasedRunningVariance && count > 1 ? count / (count - 1) : 1;
    outputs.updatedRunning[channels + c] = attrs.training ? running[channels + c]! * momentum + variance * correction * (1 - momentum) : variance;
    const invStd = 1 / Math.sqrt(variance + epsilon);
    outputs.statistics[c] = mean;
    outputs.statistics[channels + c] = invStd;
    const gain = inputs.scale.data[c]! * invStd;
    const shift = inputs.bias.data[c]! - mean * gain;
    for (let j = 0; j < count; j++) outputs.y[at(j)] = x[at(j)]! * gain + shift;
  }
}
