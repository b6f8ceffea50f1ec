import { ShapeError } from '../../errors.js';
import type { Device } from '../../compute/device.js';
import { add } from '../../compute/kernels/add/add.js';
import { formatShape, sameShape } from '../../compute/shape.js';
import type { Tensor } from '../../compute/tensor.js';

/** Where a step's backward adds the gradients of the parameters it used, by parameter name. */
export interface ParameterGradients {
  add(name: string, gradient: Tensor): Promise<void>;
}

/** One differentiable operation as the forward pass recorded it. */
export interface TapeStep {
  /** What it computed, e.g. "conv1 (conv2d)": named in errors. */
  readonly label: string;
  /** The tensors it read that gradients may flow to, in the order `backward` answers. */
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  /** Tensors its backward reads (inputs, parameters, or `temporaries`). */
  readonly saved: readonly Tensor[];
  /** Tensors the step created besides its output (argmax indices, batch statistics): the tape owns them. */
  readonly temporaries?: readonly Tensor[];
  /**
   * Given dL/d(output), adds its parameters' gradients to `parameters` and returns dL/d(input) for
   * each input (null where `wants` is false or none flows). It may return `dy` itself once, as a
   * pass-through; any other tensor it returns is new and becomes the tape's.
   */
  backward(dy: Tensor, wants: readonly boolean[], parameters: ParameterGradients): Promise<(Tensor | null)[]>;
}

export interface BackwardResult {
  /** dL/dθ per parameter name, shaped like the parameter; the caller disposes them. */
  readonly parameters: Map<string, Tensor>;
  /** dL/dx for each tensor passed to `watch` (zeros are not made up: a watched tensor no gradient reached is absent). */
  readonly inputs: Map<Tensor, Tensor>;
}

/**
 * Records the forward pass of layers on a Device and runs it backwards on the same Device.
 * Memory: every tensor a step creates belongs to the tape; a saved tensor is released as soon
 * as the last step that saved it has run its backward, and tensors no backward reads are released
 * when the backward pass starts. The root output passed to `backward` stays the caller's.
 */
export class Tape {
  readonly device: Device;
  readonly #steps: TapeStep[] = [];
  readonly #owned = new Set<Tensor>();
  readonly #watched = new Set<Tensor>();
  #done = false;

  constructor(device: Device) {
    this.device = device;
  }

  /** Asks for dL/dx of a tensor the tape did not create (the network's input image, for saliency). */
  watch(x: Tensor): void {
    this.#watched.add(x);
  }

  record(step: TapeStep): void {
    if (this.#done) throw new ShapeError(`Tape: "${step.label}" recorded after backward(); start a new tape per step`);
    this.#steps.push(step);
    this.#owned.add(step.output);
    for (const t of step.temporaries ?? []) this.#owned.add(t);
  }

  /** Runs the recorded steps in reverse from dL/d(root) = rootGradient (which stays the caller's). */
  async backward(root: Tensor, rootGradient: Tensor): Promise<BackwardResult> {
    if (this.#done) throw new ShapeError('Tape: backward() ran already; a tape records one forward pass');
    this.#done = true;
    if (!sameShape(root.shape, rootGradient.shape)) throw new ShapeError(`Tape: the root gradient ${formatShape(rootGradient.shape)} must have the root's shape ${formatShape(root.shape)}`);
    const users = new Map<Tensor, number>();
    for (const step of this.#steps) for (const t of step.saved) if (this.#owned.has(t)) users.set(t, (users.get(t) ?? 0) + 1);
    for (const t of this.#owned) if (t !== root && !users.has(t)) this.#release(t);

    // Gradients flow to step outputs and watched tensors; not to other inputs (the image, when no one asked).
    const outputs = new Set(this.#steps.map((s) => s.output));
    const needs = (t: Tensor) => outputs.has(t) || this.#watched.has(t);
    const pending = new Map<Tensor, Tensor>([[root, rootGradient]]);
    const parameters = new Map<string, Tensor>();
    const gradients: ParameterGradients = { add: async (name, g) => void parameters.set(name, await this.#sum(parameters.get(name), g, rootGradient)) };

    for (let k = this.#steps.length - 1; k >= 0; k--) {
      const step = this.#steps[k]!;
      const dy = pending.get(step.output);
      pending.delete(step.output);
      if (dy) {
        const wants = step.inputs.map(needs);
        const dxs = await step.backward(dy, wants, gradients);
        let passedOn = false;
        for (let i = 0; i < step.inputs.length; i++) {
          const dx = dxs[i];
          if (!dx) continue;
          if (dx === dy) {
            if (passedOn) throw new ShapeError(`Tape: "${step.label}" returned its dy for two inputs; copy it for the second`);
            passedOn = true;
          }
          if (!wants[i]) {
            if (dx !== dy) dx.dispose();
            continue;
          }
          const x = step.inputs[i]!;
          pending.set(x, await this.#sum(pending.get(x), dx, rootGradient));
        }
        if (!passedOn && dy !== rootGradient) dy.dispose();
      }
      for (const t of step.saved) {
        const left = users.get(t);
        if (left === undefined) continue;
        if (left > 1) users.set(t, left - 1);
        else {
          users.delete(t);
          if (t !== root) this.#release(t);
        }
      }
    }
    const inputs = new Map<Tensor, Tensor>();
    for (const [x, g] of pending) {
      if (this.#watched.has(x)) inputs.set(x, g);
      else if (g !== rootGradient) g.dispose();
    }
    for (const t of this.#owned) if (t !== root) this.#release(t);
    return { parameters, inputs };
  }

  /** Releases everything the tape holds (a forward pass that will not be differentiated), except `keep`. */
  dispose(keep?: Tensor): void {
    this.#done = true;
    for (const t of this.#owned) if (t !== keep) this.#release(t);
  }

  #release(t: Tensor): void {
    t.dispose();
    this.#owned.delete(t);
  }

  /** existing + g (a gradient reaching one tensor along two paths), releasing both but the caller's `keep`. */
  async #sum(existing: Tensor | undefined, g: Tensor, keep: Tensor): Promise<Tensor> {
    if (!existing) return g;
    const { out } = await this.device.run(add, { a: existing, b: g }, {});
    for (const t of [existing, g]) if (t !== keep) t.dispose();
    return out;
  }
}
