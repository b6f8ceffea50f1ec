import type { Rng } from '@cvf/core';

/** Hounsfield units of the tissues the phantom draws (textbook values). */
export const HU = { air: -1000, lung: -860, fat: -100, softTissue: 40, blood: 50, bone: 700, cortex: 1200, lesion: 90 } as const;

/** One patient's chest, in millimetres from the centre of the field of view (x to the patient's left, y posterior). */
export interface ChestAnatomy {
  readonly body: { readonly rx: number; readonly ry: number; readonly dx: number; readonly dy: number };
  readonly fatThickness: number;
  readonly lungs: { readonly rx: number; readonly ry: number; readonly offset: number; readonly dy: number };
  readonly heart: { readonly rx: number; readonly ry: number; readonly dx: number; readonly dy: number };
  readonly spine: { readonly r: number; readonly dy: number };
  /** Small vessels in the lungs, as spheres: what a finding must be told apart from. */
  readonly vessels: readonly Sphere[];
}

/** A sphere in the volume, mm; z along the patient's axis from the top of the scanned range. */
export interface Sphere {
  readonly x: number;
  readonly y: number;
  readonly z: number;
  readonly r: number;
}

/** A round hyperdense lesion (a solid nodule or mass) inside a lung. */
export interface Lesion extends Sphere {
  readonly hu: number;
}

/** The cross-section radius of a sphere in the plane at `z` (0 when the plane misses it). */
export function sectionRadius(sphere: Sphere, z: number): number {
  const dz = z - sphere.z;
  return Math.abs(dz) >= sphere.r ? 0 : Math.sqrt(sphere.r * sphere.r - dz * dz);
}

/** A random chest of an adult, `length` mm of it scanned, with `vesselCount` small vessels in the lungs. */
export function randomChest(rng: Rng, length: number, vesselCount = 40): ChestAnatomy {
  const body = { rx: rng.uniform(150, 175), ry: rng.uniform(105, 125), dx: rng.uniform(-6, 6), dy: rng.uniform(-6, 6) };
  const lungs = { rx: rng.uniform(48, 58), ry: rng.uniform(70, 84), offset: rng.uniform(72, 84), dy: body.dy - rng.uniform(2, 10) };
  const vessels: Sphere[] = [];
  for (let i = 0; i < vesselCount; i++) {
    const side = i % 2 === 0 ? -1 : 1;
    // Uniform in the lung's ellipse (by rejection), at any height.
    let u: number;
    let v: number;
    do {
      u = rng.uniform(-1, 1);
      v = rng.uniform(-1, 1);
    } while (u * u + v * v > 0.7);
    vessels.push({ x: body.dx + side * lungs.offset + u * lungs.rx, y: lungs.dy + v * lungs.ry, z: rng.uniform(0, length), r: rng.uniform(1.5, 3.5) });
  }
  return {
    body,
    fatThickness: rng.uniform(8, 22),
    lungs,
    heart: { rx: rng.uniform(40, 50), ry: rng.uniform(36, 46), dx: body.dx + rng.uniform(8, 18), dy: body.dy - rng.uniform(15, 25) },
    spine: { r: rng.uniform(14, 18), dy: body.dy + body.ry - rng.uniform(30, 38) },
    vessels,
  };
}

/** A lesion of radius `r` mm centred inside one lung of `anatomy`, at height `z`. */
export function randomLesion(rng: Rng, anatomy: ChestAnatomy, z: number, r: number): Lesion {
  const { lungs, body } = anatomy;
  const side = rng.next() < 0.5 ? -1 : 1;
  const angle = rng.uniform(0, 2 * Math.PI);
  const reach = rng.uniform(0, 0.5);
  return { x: body.dx + side * lungs.offset + Math.cos(angle) * reach * lungs.rx, y: lungs.dy + Math.sin(angle) * reach * lungs.ry, z, r, hu: HU.lesion + rng.uniform(-15, 25) };
}

/** Inside the ellipse of radii rx, ry centred at (cx, cy): ≤ 1. */
function ellipse(x: number, y: number, cx: number, cy: number, rx: number, ry: number): number {
  return ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2;
}

export interface SliceGeometry {
  /** Pixels per side (square slices). */
  readonly size: number;
  /** mm per pixel. */
  readonly spacing: number;
  /** Height of the slice, mm from the top of the scanned range. */
  readonly z: number;
  /** Fraction of the scanned range: lungs are smaller at the apex and near the diaphragm. */
  readonly level: number;
}

/**
 * One axial slice of the chest in Hounsfield units (row-major, `size` × `size`): air, body with
 * subcutaneous fat, both lungs (smaller towards either end of the range), heart, a vertebra with
 * its cortex, lung vessels, the lesions cut by this plane (with a one-pixel partial-volume edge),
 * and Gaussian noise of `noise` HU.
 */
export function renderChestSlice(anatomy: ChestAnatomy, lesions: readonly Lesion[], geometry: SliceGeometry, rng: Rng, noise = 12): Float32Array {
  const { size, spacing, z, level } = geometry;
  const { body, lungs, heart, spine } = anatomy;
  const lungScale = Math.max(0.35, Math.sqrt(Math.max(0, 1 - ((level - 0.55) / 0.75) ** 2)));
  const heartScale = Math.max(0, Math.min(1, (level - 0.3) / 0.3));
  const cut = [...anatomy.vessels.map((s) => ({ ...s, hu: HU.blood })), ...lesions]
    .map((s) => ({ ...s, section: sectionRadius(s, z) }))
    .filter((s) => s.section > 0);
  const out = new Float32Array(size * size);
  const half = (size - 1) / 2;
  for (let row = 0; row < size; row++) {
    const y = (row - half) * spacing;
    for (let col = 0; col < size; col++) {
      const x = (col - half) * spacing;
      let hu: number = HU.air;
      const inBody = ellipse(x, y, body.dx, body.dy, body.rx, body.ry);
      if (inBody <= 1) {
        const inner = ellipse(x, y, body.dx, body.dy, body.rx - anatomy.fatThickness, body.ry - anatomy.fatThickness);
        hu = inner <= 1 ? HU.softTissue : HU.fat;
        const inLung = [-1, 1].some((side) => ellipse(x, y, body.dx + side * lungs.offset, lungs.dy, lungs.rx * lungScale, lungs.ry * lungScale) <= 1);
        if (inLung) hu = HU.lung;
        if (heartScale > 0 && ellipse(x, y, heart.dx, heart.dy, heart.rx * heartScale, heart.ry * heartScale) <= 1) hu = HU.blood;
        const spineDistance = Math.hypot(x - body.dx, y - spine.dy);
        if (spineDistance <= spine.r) hu = spineDistance >= spine.r - 3 ? HU.cortex : HU.bone;
        for (const s of cut) {
          // Partial volume: a pixel on the rim takes the share of the sphere that covers it.
          const cover = Math.min(1, Math.max(0, (s.section - Math.hypot(x - s.x, y - s.y)) / spacing + 0.5));
          if (cover > 0 && (inLung || s.hu !== HU.blood)) hu = hu + cover * (s.hu - hu);
        }
      }
      out[row * size + col] = hu + noise * rng.normal();
    }
  }
  return out;
}
