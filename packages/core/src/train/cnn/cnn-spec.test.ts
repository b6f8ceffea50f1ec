import { describe, expect, it } from 'vitest';
import { modelSchema } from '../../config/sections/model.js';
import type { CvfError } from '../../errors.js';
import { cnnLayout } from './cnn-parameters.js';
import { planCnn, SMALL_RESNET_BLOCKS, type CnnSpec } from './cnn-spec.js';

const base: CnnSpec = { inputChannels: 1, height: 28, width: 28, classes: 10, blocks: SMALL_RESNET_BLOCKS, bnMomentum: 0.1, bnEpsilon: 1e-5 };

describe('CNN architecture', () => {
  it("the model section's default blocks are the documented small ResNet", () => {
    const parsed = modelSchema.parse({ head: 'cnn' });
    expect(parsed.head === 'cnn' && parsed.cnn.blocks).toEqual(SMALL_RESNET_BLOCKS);
  });

  it('plans the small ResNet: 28 → 14 → 7, a 128-value embedding, projections where the width changes, ~0.3 M parameters', () => {
    const plan = planCnn(base);
    expect(plan.embeddingDim).toBe(128);
    const residuals = plan.blocks.filter((b) => b.kind === 'residual');
    expect(residuals.map((b) => [b.conv1.inHeight, b.conv2.outHeight, b.shortcut?.kernel])).toEqual([
      [14, 14, 1],
      [7, 7, 1],
    ]);
    const parameters = cnnLayout(base).parameters.reduce((n, t) => n + t.shape.reduce((a, b) => a * b, 1), 0);
    expect(parameters).toBeGreaterThan(250_000);
    expect(parameters).toBeLessThan(350_000);
  });

  it('refuses a block that leaves nothing of its input, naming it', () => {
    const tiny: CnnSpec = { ...base, height: 3, width: 3, blocks: [{ kind: 'maxpool', size: 2 }, { kind: 'maxpool', size: 2 }, { kind: 'conv', channels: 4, kernel: 3, stride: 1 }] };
    let error: CvfError | undefined;
    try {
      planCnn(tiny);
    } catch (caught) {
      error = caught as CvfError;
    }
    expect(error?.code).toBe('TRAIN_INVALID_OPTIONS');
    expect(error?.message).toContain('cnn block 1 (maxpool)');
  });
});
