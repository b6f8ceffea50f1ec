import type { WgslProgram } from '../../kernel.js';
import { channelGeometry, PER_CHANNEL_UNIFORMS, PER_CHANNEL_WGSL, PER_CHANNEL_WORKGROUP, perChannelUniformValues } from '../../kernels-shared/per-channel.js';
import { batchNormSettings, type BatchNormAttrs, type BatchNormInputs, type BatchNormOutputs } from './batch-norm.shape.js';

// One workgroup per channel: in training, two passes over the channel (sum, then squared
// deviations from the mean, as the CPU does) reduced in workgroup memory; then y in a third pass.
export const batchNormWgsl: WgslProgram<BatchNormInputs, BatchNormOutputs, BatchNormAttrs> = {
  workgroupSize: [PER_CHANNEL_WORKGROUP, 1, 1],
  key: ({ training }) => (training ? 'train' : 'eval'),
  uniforms: { ...PER_CHANNEL_UNIFORMS, epsilon: 'f32', momentum: 'f32', running_var_factor: 'f32' },
  uniformValues: ({ x }, attrs) => {
    const g = channelGeometry('batch-norm', x);
    const count = g.batch * g.inner;
    const runningVarFactor = attrs.unbiasedRunningVariance && count > 1 ? count / (count - 1) : 1;
    return { ...perChannelUniformValues(g), ...batchNormSettings('batch-norm', attrs), running_var_factor: runningVarFactor };
  },
  launch: ({ x }) => ({ kind: 'workgroups', count: [channelGeometry('batch-norm', x).channels, 1, 1] }),
  declarations: () => PER_CHANNEL_WGSL,
  body: ({ attrs: { training } }) => `
  let c = wid.x;
  ${
    training
      ? `var sum = 0.0;
  for (var j = lindex; j < params.count; j += ${PER_CHANNEL_WORKGROUP}u) { sum += load_x(element(c, j)); }
  let stat_mean = workgroup_sum(sum, lindex) / f32(params.count);
  var squares = 0.0;
  for (var j = lindex; j < params.count; j += ${PER_CHANNEL_WORKGROUP}u) {
    let d = load_x(element(c, j)) - stat_mean;
    squares = fma(d, d, squares);
  }
  let stat_var = workgroup_sum(squares, lindex) / f32(params.count);
  let updated_mean = load_running(c) * params.momentum + stat_mean * (1.0 - params.momentum);
  let updated_var = load_running(params.channels + c) * params.momentum + stat_var * params.running_var_factor * (1.0 - params.momentum);`
      : `let stat_mean = load_running(c);
  let stat_var = load_running(params.channels + c);
  let updated_mean = stat_mean;
  let updated_var = stat_var;`
  }
  let inv_std = 1.0 / sqrt(stat_var + params.epsilon);
  let gain = load_scale(c) * inv_std;
  let shift = load_bias(c) - stat_mean * gain;
  for (var j = lindex; j < params.count; j += ${PER_CHANNEL_WORKGROUP}u) {
    let e = element(c, j);
    y[e] = fma(load_x(e), gain, shift);
  }
  if (lindex == 0u) {
    statistics[c] = stat_mean;
    statistics[params.channels + c] = inv_std;
    updatedRunning[c] = updated_mean;
    updatedRunning[params.channels + c] = updated_var;
  }`,
};
