import type { WgslProgram } from '../../kernel.js';
import { channelGeometry, PER_CHANNEL_UNIFORMS, PER_CHANNEL_WGSL, PER_CHANNEL_WORKGROUP, perChannelUniformValues } from '../../kernels-shared/per-channel.js';
import type { BatchNormBackwardAttrs, BatchNormBackwardInputs } from './batch-norm-backward.shape.js';

// One workgroup per channel: Σ dy and Σ dy·x̂ reduced in workgroup memory, then dx in a second pass.
export const batchNormBackwardWgsl: WgslProgram<BatchNormBackwardInputs, 'dx' | 'dscale' | 'dbias', BatchNormBackwardAttrs> = {
  workgroupSize: [PER_CHANNEL_WORKGROUP, 1, 1],
  key: ({ training }) => (training ? 'train' : 'eval'),
  uniforms: PER_CHANNEL_UNIFORMS,
  uniformValues: ({ x }) => perChannelUniformValues(channelGeometry('batch-norm-backward', x)),
  launch: ({ x }) => ({ kind: 'workgroups', count: [channelGeometry('batch-norm-backward', x).channels, 1, 1] }),
  declarations: () => PER_CHANNEL_WGSL,
  body: ({ attrs: { training } }) => `
  let c = wid.x;
  let m = load_statistics(c);
  let inv_std = load_statistics(params.channels + c);
  var sum_dy = 0.0;
  var sum_dy_xhat = 0.0;
  for (var j = lindex; j < params.count; j += ${PER_CHANNEL_WORKGROUP}u) {
    let e = element(c, j);
    let g = load_dy(e);
    sum_dy += g;
    sum_dy_xhat = fma(g, (load_x(e) - m) * inv_std, sum_dy_xhat);
  }
  let total_dy = workgroup_sum(sum_dy, lindex);
  let total_dy_xhat = workgroup_sum(sum_dy_xhat, lindex);
  let gain = load_scale(c) * inv_std;
  let n = f32(params.count);
  for (var j = lindex; j < params.count; j += ${PER_CHANNEL_WORKGROUP}u) {
    let e = element(c, j);
    ${training ? 'dx[e] = gain * (load_dy(e) - total_dy / n - (load_x(e) - m) * inv_std * (total_dy_xhat / n));' : 'dx[e] = gain * load_dy(e);'}
  }
  if (lindex == 0u) {
    dscale[c] = total_dy_xhat;
    dbias[c] = total_dy;
  }`,
};
