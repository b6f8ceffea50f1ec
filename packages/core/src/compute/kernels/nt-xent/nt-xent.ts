import type { KernelDef } from '../../kernel.js';
import { ntXentCpu } from './nt-xent.cpu.js';
import { ntXentOutputs, ntXentRows, type NtXentAttrs, type NtXentInputs } from './nt-xent.shape.js';
import { ntXentWgsl } from './nt-xent.wgsl.js';

export type { NtXentAttrs } from './nt-xent.shape.js';

/**
 * The normalized-temperature cross-entropy of contrastive learning (SimCLR's NT-Xent; with class
 * labels, supervised-contrastive's L_out), per anchor row of a similarity matrix S [M, M] of
 * L2-normalised embeddings, and its gradient with respect to S:
 *   P(i) = {k ≠ i : label_k = label_i},   lse_i = log Σ_{k≠i} exp(S_ik / τ),
 *   loss_i = scale · (1/|P(i)|) Σ_{p∈P(i)} (lse_i − S_ip / τ),
 *   grad_ik = scale/τ · (softmax_{k≠i}(S_i/τ)_k − [k ∈ P(i)] / |P(i)|),   grad_ii = 0.
 * SimCLR labels each image's two views with the image's index (one positive each); SupCon labels
 * them with the class. A row without positives gives zero loss and gradient. S = Z·Zᵀ, so the
 * embeddings' gradient is (G + Gᵀ)·Z, composed from matmul by the caller.
 */
export const ntXent: KernelDef<NtXentInputs, 'grad' | 'loss', NtXentAttrs> = {
  name: 'nt-xent',
  description: 'contrastive NT-Xent / SupCon loss per anchor row of a similarity matrix, positives by equal label, and its gradient w.r.t. the similarities',
  inputs: { similarity: ['f32'], labels: ['i32'] },
  outputs: ntXentOutputs,
  cpu: ({ similarity, labels }, attrs, { grad, loss }) => ntXentCpu(similarity.data as Float32Array, labels.data as Int32Array, ntXentRows({ similarity, labels }, attrs), attrs, grad as Float32Array, loss as Float32Array),
  wgsl: ntXentWgsl,
  // f32 exp/log over similarities in [−1, 1] ÷ τ ≥ 0.05 (logits up to 20), a reduction per row:
  // lavapipe against the float64 reference, 30 seeds of up to 200 rows, worst 6.7e-8 (the
  // gradients are small: each is scaled by 1/rows); 1e-5 as for softmax-cross-entropy.
  tolerance: 1e-5,
};
