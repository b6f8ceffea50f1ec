/**
 * Gradient clipping by global norm, as the optimizer kernels apply it: gradients are multiplied by
 * min(1, maxNorm / (‖g‖ + 1e-6)) where ‖g‖ = √(squared-norm total); maxNorm ≤ 0 disables it.
 * The factor is computed on the device from the [1] squared-norm tensor, so nothing is read back.
 */
export const CLIP_EPSILON = 1e-6;

export function clipFactor(squaredNorm: number, maxNorm: number): number {
  return maxNorm > 0 ? Math.min(1, maxNorm / (Math.sqrt(squaredNorm) + CLIP_EPSILON)) : 1;
}

/** `clip_factor(squared_norm, max_norm)` in WGSL. */
export const CLIP_FACTOR_WGSL = `
fn clip_factor(squared_norm: f32, max_norm: f32) -> f32 {
  if (max_norm <= 0.0) { return 1.0; }
  return min(1.0, max_norm / (sqrt(squared_norm) + ${CLIP_EPSILON}));
}`;
