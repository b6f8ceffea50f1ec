import { EvalError } from '../errors.js';
import { checkLabels, checkProbabilities } from './inputs.js';

/** Probabilities below this are treated as it: log 0 would make every temperature's loss infinite. */
const FLOOR = 1e-30;
/** The searched range of T (log-uniform): wide enough for any head, narrow enough to stay finite. */
const [LOW, HIGH] = [Math.log(0.05), Math.log(20)];

/**
 * Temperature scaling (Guo et al. 2017) applied to probabilities: softmax(z / T) equals
 * p^(1/T) / Σ p^(1/T) for p = softmax(z), so it needs no logits. T > 1 softens, T < 1 sharpens;
 * the argmax (and so accuracy) never changes. Returns new probabilities [rows, classes].
 */
export function applyTemperature(probabilities: Float32Array, classes: number, temperature: number): Float32Array {
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new EvalError('EVAL_OPTION_INVALID', `temperature ${temperature} must be a positive number`);
  const out = new Float32Array(probabilities.length);
  const exponent = 1 / temperature;
  for (let base = 0; base < probabilities.length; base += classes) {
    let top = -Infinity;
    for (let c = 0; c < classes; c++) top = Math.max(top, Math.log(Math.max(probabilities[base + c]!, FLOOR)));
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += out[base + c] = Math.exp((Math.log(Math.max(probabilities[base + c]!, FLOOR)) - top) * exponent);
    for (let c = 0; c < classes; c++) out[base + c]! /= sum;
  }
  return out;
}

/**
 * The temperature that minimizes the negative log-likelihood of `labels` (usually the validation
 * split's), found by golden-section search over log T in [ln 0.05, ln 20] (the NLL is convex in
 * 1/T, so unimodal there). Accurate to about 1e-4 relative.
 */
export function fitTemperature(probabilities: Float32Array, labels: Int32Array, classes: number): number {
  checkProbabilities('fitTemperature', probabilities, labels.length, classes, true);
  checkLabels('fitTemperature', labels, classes);
  if (labels.length === 0) throw new EvalError('EVAL_UNDEFINED', 'temperature scaling needs at least one labelled row');
  const logs = Float64Array.from(probabilities, (p) => Math.log(Math.max(p, FLOOR)));
  const nll = (logT: number) => {
    const exponent = Math.exp(-logT);
    let total = 0;
    for (let r = 0; r < labels.length; r++) {
      const base = r * classes;
      let top = -Infinity;
      for (let c = 0; c < classes; c++) top = Math.max(top, logs[base + c]! * exponent);
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += Math.exp(logs[base + c]! * exponent - top);
      total += top + Math.log(sum) - logs[base + labels[r]!]! * exponent;
    }
    return total;
  };
  const ratio = (Math.sqrt(5) - 1) / 2;
  let [a, b] = [LOW, HIGH];
  let c = b - ratio * (b - a);
  let d = a + ratio * (b - a);
  let [fc, fd] = [nll(c), nll(d)];
  while (b - a > 1e-4) {
    if (fc <= fd) {
      [b, d, fd] = [d, c, fc];
      c = b - ratio * (b - a);
      fc = nll(c);
    } else {
      [a, c, fc] = [c, d, fd];
      d = a + ratio * (b - a);
      fd = nll(d);
    }
  }
  return Math.exp((a + b) / 2);
}
