import { checkGram, checkMatmul, type FastMatmul, type FastMatmulOptions, type MatmulShape } from './fast-matmul.js';

/**
 * Matrix products in portable JavaScript: loops ordered so the innermost one runs over contiguous
 * memory, with float64 accumulation. About 1 GFLOP/s — the fallback where ONNX Runtime is not
 * injected, not the fast path.
 */
export function createJsFastMatmul(): FastMatmul {
  return {
    description: 'javascript loops',
    matmul: async (a, b, shape, options = {}) => {
      checkMatmul(a, b, shape, options);
      return jsMatmul(a, b, shape, options);
    },
    centeredGram: async (a, rows, cols, center) => {
      checkGram(a, rows, cols, center);
      return jsCenteredGram(a, rows, cols, center);
    },
    release: async () => {},
  };
}

function jsMatmul(a: Float32Array, b: Float32Array, { m, n, k }: MatmulShape, { transposeA = false, transposeB = false }: FastMatmulOptions): Float32Array {
  const out = new Float32Array(m * n);
  if (transposeB) {
    // Each output is a dot product of two contiguous rows once op(a)'s rows are gathered.
    const row = new Float64Array(k);
    for (let i = 0; i < m; i++) {
      for (let t = 0; t < k; t++) row[t] = transposeA ? a[t * m + i]! : a[i * k + t]!;
      for (let j = 0; j < n; j++) {
        let sum = 0;
        const base = j * k;
        for (let t = 0; t < k; t++) sum += row[t]! * b[base + t]!;
        out[i * n + j] = sum;
      }
    }
    return out;
  }
  // out row i += a[i, t] · b row t: the inner loop walks b and the accumulator row.
  const acc = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    acc.fill(0);
    for (let t = 0; t < k; t++) {
      const av = transposeA ? a[t * m + i]! : a[i * k + t]!;
      if (av === 0) continue;
      const base = t * n;
      for (let j = 0; j < n; j++) acc[j]! += av * b[base + j]!;
    }
    for (let j = 0; j < n; j++) out[i * n + j] = acc[j]!;
  }
  return out;
}

function jsCenteredGram(a: Float32Array, rows: number, cols: number, center: Float32Array): Float32Array {
  const gram = new Float64Array(cols * cols);
  const row = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) row[c] = a[r * cols + c]! - center[c]!;
    // Upper triangle only; mirrored below.
    for (let i = 0; i < cols; i++) {
      const v = row[i]!;
      if (v === 0) continue;
      const base = i * cols;
      for (let j = i; j < cols; j++) gram[base + j]! += v * row[j]!;
    }
  }
  const out = new Float32Array(cols * cols);
  for (let i = 0; i < cols; i++) {
    for (let j = i; j < cols; j++) out[i * cols + j] = out[j * cols + i] = gram[i * cols + j]!;
  }
  return out;
}
