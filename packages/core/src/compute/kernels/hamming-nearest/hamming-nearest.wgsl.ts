import { elementwiseWgsl } from '../../kernels-shared/elementwise.wgsl.js';
import { rowGeometry } from './hamming-nearest.shape.js';

// One invocation per row of x: its distance to every codebook row by countOneBits of the XOR,
// the first smallest kept, as the CPU reference's scan.
export const hammingNearestWgsl = elementwiseWgsl<'x' | 'codebook', 'out', Record<string, never>>({
  each: 'out',
  uniforms: { words: 'u32', codes: 'u32' },
  uniformValues: ({ x, codebook }) => rowGeometry(x.shape, codebook.shape),
  body: () => `
  let row = i * params.words;
  var best = 0u;
  var best_distance = 0xffffffffu;
  for (var c = 0u; c < params.codes; c++) {
    var d = 0u;
    for (var w = 0u; w < params.words; w++) {
      d += countOneBits(bitcast<u32>(raw_x(row + w) ^ raw_codebook(c * params.words + w)));
    }
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  out[i] = i32(best);`,
});
