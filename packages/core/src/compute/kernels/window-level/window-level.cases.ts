import type { KernelCase, KernelCases } from '../../kernel.js';
import { VOI_LUT_FUNCTIONS, windowLevel, type WindowLevelAttrs } from './window-level.js';

// LINEAR's window runs from lo = c − 0.5 − (w − 1)/2 (→ 0) to hi = c − 0.5 + (w − 1)/2 (→ 1),
// and in between y = (x − lo)/(w − 1). CT lung window c −600, w 1500: lo = −1350, hi = 149.
const LUNG = { center: -600, width: 1500 };

export const windowLevelCases: KernelCases<WindowLevelAttrs> = {
  kernel: windowLevel,
  cases: [
    {
      name: 'CT lung window on Hounsfield units (i16)',
      inputs: { x: { shape: [9], dtype: 'i16', data: [-2000, -1350, -1349, -1000, -600, 0, 149, 150, 3071] } },
      attrs: LUNG,
      expected: { out: [0, 0, 1 / 1499, 350 / 1499, 750 / 1499, 1350 / 1499, 1, 1, 1] },
    },
    {
      // Stored 0..4095 with intercept −1024: the same Hounsfield units −1024, −1000, −600, 0, 149, 150, 3071.
      name: 'CT lung window on stored u16, slope 1, intercept −1024',
      inputs: { x: { shape: [7], dtype: 'u16', data: [0, 24, 424, 1024, 1173, 1174, 4095] } },
      attrs: { ...LUNG, slope: 1, intercept: -1024 },
      expected: { out: [326 / 1499, 350 / 1499, 750 / 1499, 1350 / 1499, 1, 1, 1] },
    },
    {
      // Brain window c 40, w 80: lo = 0, hi = 79, y = x/79; MONOCHROME1 shows 1 − y.
      name: 'MONOCHROME1 inversion, brain window',
      inputs: { x: { shape: [2, 3], dtype: 'i16', data: [-10, 0, 20, 40, 79, 100] } },
      attrs: { center: 40, width: 80, invert: true },
      expected: { out: [1, 1, 59 / 79, 39 / 79, 0, 0] },
    },
    {
      // LINEAR_EXACT c 40, w 80: 0 at or below 0, 1 above 80, else (x − 40)/80 + 0.5 = x/80.
      name: 'LINEAR_EXACT',
      inputs: { x: { shape: [7], dtype: 'f32', data: [-1, 0, 1, 40, 79.5, 80, 81] } },
      attrs: { center: 40, width: 80, function: 'LINEAR_EXACT' },
      expected: { out: [0, 0, 0.0125, 0.5, 0.99375, 1, 1] },
    },
    {
      // SIGMOID c 40, w 80: y = 1/(1 + e^(−(x − 40)/20)) = σ((x − 40)/20): σ(−52), σ(−2), σ(−1), σ(0), σ(1), σ(2), σ(48).
      name: 'SIGMOID',
      inputs: { x: { shape: [7], dtype: 'i16', data: [-1000, 0, 20, 40, 60, 80, 1000] } },
      attrs: { center: 40, width: 80, function: 'SIGMOID' },
      expected: { out: [0, 0.11920292202, 0.26894142137, 0.5, 0.73105857863, 0.88079707798, 1] },
    },
    {
      // c 2048, w 4096 spans 12 bits: lo = 0 and hi = 4095 exactly, y = x/4095.
      name: 'boundaries: a 12-bit window, values exactly at lo and hi',
      inputs: { x: { shape: [6], dtype: 'u16', data: [0, 1, 2048, 4094, 4095, 4096] } },
      attrs: { center: 2048, width: 4096 },
      expected: { out: [0, 1 / 4095, 2048 / 4095, 4094 / 4095, 1, 1] },
    },
    {
      // c 100, w 11: lo = 94.5, hi = 104.5, y = (x − 94.5)/10.
      name: 'boundaries: half-integer edges',
      inputs: { x: { shape: [5], dtype: 'f32', data: [94.5, 94.75, 99.5, 104.5, 104.75] } },
      attrs: { center: 100, width: 11 },
      expected: { out: [0, 0.025, 0.5, 1, 1] },
    },
    {
      // Width 1, the smallest LINEAR allows: lo = hi = c − 0.5, a threshold.
      name: 'boundaries: width 1 is a threshold at c − 0.5',
      inputs: { x: { shape: [4], dtype: 'f32', data: [99, 99.5, 99.75, 100] } },
      attrs: { center: 100, width: 1 },
      expected: { out: [0, 0, 1, 1] },
    },
    {
      // LINEAR_EXACT c 100, w 10: lo = 95, hi = 105, y = (x − 95)/10.
      name: 'boundaries: LINEAR_EXACT edges',
      inputs: { x: { shape: [5], dtype: 'f32', data: [95, 95.5, 100, 105, 105.5] } },
      attrs: { center: 100, width: 10, function: 'LINEAR_EXACT' },
      expected: { out: [0, 0.05, 0.5, 1, 1] },
    },
    {
      // Rescaled x' = x/2 − 10 = [−10, 0, 40, 49.5, 50, 117.5]; c 0, w 101: lo = −50.5, hi = 49.5, y = (x' + 50.5)/100.
      name: 'fractional slope with intercept, 8-bit stored',
      inputs: { x: { shape: [6], dtype: 'u8', data: [0, 20, 100, 119, 120, 255] } },
      attrs: { center: 0, width: 101, slope: 0.5, intercept: -10 },
      expected: { out: [0.405, 0.505, 0.905, 1, 1, 1] },
    },
  ],
  random: (rng) => {
    const cases: Omit<KernelCase<WindowLevelAttrs>, 'expected'>[] = [];
    const n = () => rng.int(1, 70000);
    // CT: Hounsfield units stored signed, windows of integer centre and width (width 1 included).
    const ct = n();
    cases.push({
      name: `random CT i16 [${ct}]`,
      inputs: { x: { shape: [ct], dtype: 'i16', data: Array.from({ length: ct }, () => rng.int(-1024, 3071)) } },
      attrs: { center: rng.int(-1000, 1000), width: rng.int(1, 4000), function: rng.pick(VOI_LUT_FUNCTIONS), invert: rng.next() < 0.5 },
    });
    // CT stored unsigned with intercept −1024.
    const stored = n();
    cases.push({
      name: `random CT u16 [${stored}], intercept −1024`,
      inputs: { x: { shape: [stored], dtype: 'u16', data: Array.from({ length: stored }, () => rng.int(0, 4095)) } },
      attrs: { center: rng.uniform(-1000, 1000), width: rng.uniform(1, 4000), intercept: -1024, function: rng.pick(VOI_LUT_FUNCTIONS) },
    });
    // MR-like: 16-bit stored values, a slope that f32 cannot hold exactly, a window inside the data's range.
    const mr = n();
    const slope = rng.uniform(0.1, 3);
    cases.push({
      name: `random MR u16 [${mr}], slope ${slope.toFixed(3)}`,
      inputs: { x: { shape: [mr], dtype: 'u16', data: Array.from({ length: mr }, () => rng.int(0, 65535)) } },
      attrs: { center: rng.uniform(0, 65535) * slope, width: rng.uniform(100, 30000) * slope, slope, intercept: rng.uniform(-100, 100), function: rng.pick(['LINEAR_EXACT', 'SIGMOID'] as const) },
    });
    // Already-rescaled floats.
    const f = n();
    cases.push({
      name: `random f32 [${f}]`,
      inputs: { x: { shape: [f], dtype: 'f32', data: rng.floats(f, -3, 3) } },
      attrs: { center: rng.uniform(-1, 1), width: rng.uniform(1, 4), function: rng.pick(VOI_LUT_FUNCTIONS), invert: rng.next() < 0.5 },
    });
    return cases;
  },
};
