// Every kernel of the compute core. Adding a kernel: a folder with <name>.ts (+ .cpu, .wgsl),
// <name>.cases.ts, then one line here and one in cases.ts.
export { add } from './add/add.js';
export { clamp, type ClampAttrs } from './clamp/clamp.js';
export { matmul, type MatmulAttrs, type MatmulDims } from './matmul/matmul.js';
export { mul } from './mul/mul.js';
export { scale, type ScaleAttrs } from './scale/scale.js';
