import { CpuDevice } from '/work/main/packages/core/src/compute/cpu-device.js';
import { Tensor } from '/work/main/packages/core/src/compute/tensor.js';
import { SyntheticScene } from '/work/main/packages/core/src/features/orb/synthetic-scene.js';
import { buildScaleSpace } from '/work/main/packages/core/src/features/sift/scale-space.js';
import { imageFeatures } from '/work/main/packages/core/src/features/sift/sift-features.js';
import { SIFT_DEFAULTS } from '/work/main/packages/core/src/features/sift/sift-options.js';
const SIZE = 160;
const img = new SyntheticScene(11, SIZE, 45).render(SIZE, Math.PI/6, [0, 0]);
const o = { ...SIFT_DEFAULTS, keypoints: 300 };
for (let r = 0; r < 3; r++) {
let t0 = performance.now();
const oct = await buildScaleSpace(new CpuDevice(), Tensor.cpu('f32', [1, SIZE, SIZE], Float32Array.from(img)), o);
let t1 = performance.now();
const f = imageFeatures(oct, 0, o);
console.log('space', t1 - t0, 'features', performance.now() - t1);
}
