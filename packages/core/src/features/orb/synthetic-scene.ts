import { Rng } from '../../compute/random.js';

interface Shape {
  readonly kind: 'rect' | 'disc' | 'triangle';
  readonly cx: number;
  readonly cy: number;
  readonly size: number;
  readonly tilt: number;
  readonly gray: number;
}

/** A seeded scene of painted rectangles, discs and triangles on a plane, in pattern coordinates. */
export class SyntheticScene {
  readonly #shapes: Shape[] = [];

  constructor(seed: number, extent: number, count = 60) {
    const rng = new Rng(seed);
    const kinds = ['rect', 'disc', 'triangle'] as const;
    for (let i = 0; i < count; i++) {
      this.#shapes.push({ kind: kinds[rng.int(0, 2)]!, cx: rng.uniform(0, extent), cy: rng.uniform(0, extent), size: rng.uniform(5, 18), tilt: rng.uniform(0, Math.PI), gray: i === 0 ? 255 : rng.int(0, 255) });
    }
  }

  /** The intensity at a point of the plane: the last shape that covers it, else mid gray. */
  at(x: number, y: number): number {
    for (let i = this.#shapes.length - 1; i >= 0; i--) {
      const s = this.#shapes[i]!;
      const dx = x - s.cx;
      const dy = y - s.cy;
      const u = dx * Math.cos(s.tilt) + dy * Math.sin(s.tilt);
      const v = -dx * Math.sin(s.tilt) + dy * Math.cos(s.tilt);
      if (s.kind === 'disc' && u * u + v * v <= s.size * s.size) return s.gray;
      if (s.kind === 'rect' && Math.abs(u) <= s.size && Math.abs(v) <= s.size / 2) return s.gray;
      if (s.kind === 'triangle' && v >= -s.size / 2 && v <= s.size && Math.abs(u) <= (s.size - v) / 2) return s.gray;
    }
    return 128;
  }

  /**
   * The scene seen through a rotation by `angle` and a zoom by `scale` about (cx, cy), then a shift:
   * pixel p of the result shows the plane at R⁻¹(p − c − shift)/scale + c, supersampled 4×4 and
   * rounded to 8 bits.
   * Corner pixels (0, 0) and (1, 0) are set to 0 and 255 so every view spans the full 8-bit range.
   */
  render(size: number, angle: number, shift: readonly [number, number], scale = 1): Uint8Array {
    const out = new Uint8Array(size * size);
    const c = size / 2;
    const cos = Math.cos(angle) / scale;
    const sin = Math.sin(angle) / scale;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        let sum = 0;
        for (let sy = 0; sy < 4; sy++) {
          for (let sx = 0; sx < 4; sx++) {
            const px = x + (sx + 0.5) / 4 - 0.5 - c - shift[0];
            const py = y + (sy + 0.5) / 4 - 0.5 - c - shift[1];
            sum += this.at(cos * px + sin * py + c, -sin * px + cos * py + c);
          }
        }
        out[y * size + x] = Math.round(sum / 16);
      }
    }
    out[0] = 0;
    out[1] = 255;
    return out;
  }
}

/** Where a point of the unrotated view lands in the view `render(size, angle, shift, scale)` gives. */
export function viewPoint(size: number, angle: number, shift: readonly [number, number], x: number, y: number, scale = 1): [number, number] {
  const c = size / 2;
  const dx = (x - c) * scale;
  const dy = (y - c) * scale;
  return [Math.cos(angle) * dx - Math.sin(angle) * dy + c + shift[0], Math.sin(angle) * dx + Math.cos(angle) * dy + c + shift[1]];
}
