/**
 * Private: the per-voxel loops of the anisotropy measures, on flat arrays:
 * each reads `count` voxels of a stack given as one array per rank (or per
 * component) and writes `out[at + i]`. The public functions run them over a
 * whole stack; the fused analysis (`_tensor_analysis.ts`) over each band of
 * rows as the engine finishes it. Each measure's rule for zero, degenerate
 * and non-finite tensors is documented on its public function.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";

type Floats = Float64Array | Float32Array;
/** One array per rank or component, each read at [0, count). */
type Ranks = readonly ArrayLike<number>[];

const DEGREES = 180 / Math.PI;

/** Fractional anisotropy of `d = ranks.length` sorted eigenvalues. */
export function fractionalAnisotropyOf(
  ranks: Ranks,
  count: number,
  out: Floats,
  at: number,
): void {
  const d = ranks.length;
  const first = ranks[0], last = ranks[d - 1];
  for (let i = 0; i < count; i++) {
    // Sorted: the largest magnitude is at one end.
    const scale = Math.max(Math.abs(first[i]), Math.abs(last[i]));
    if (scale === 0) {
      out[at + i] = 0;
      continue;
    }
    if (!(scale < Infinity)) {
      out[at + i] = NaN;
      continue;
    }
    let mean = 0;
    for (let r = 0; r < d; r++) mean += ranks[r][i] / scale;
    mean /= d;
    let deviation = 0;
    let norm = 0;
    for (let r = 0; r < d; r++) {
      const value = ranks[r][i] / scale;
      deviation += (value - mean) * (value - mean);
      norm += value * value;
    }
    out[at + i] = Math.min(1, Math.sqrt((d * deviation) / ((d - 1) * norm)));
  }
}

/** Westin's linear, planar and spherical measures of three sorted eigenvalues. */
export function westinMeasuresOf(
  [first, second, third]: Ranks,
  count: number,
  linear: Floats,
  planar: Floats,
  spherical: Floats,
  at: number,
): void {
  for (let i = 0; i < count; i++) {
    const l1 = first[i], l2 = second[i], l3 = third[i];
    const sum = l1 + l2 + l3;
    const o = at + i;
    // Non-finite as soon as an eigenvalue is (or their sum overflows).
    if (!Number.isFinite(sum)) {
      linear[o] = planar[o] = spherical[o] = NaN;
    } else if (sum > 0) {
      linear[o] = (l1 - l2) / sum;
      planar[o] = (2 * (l2 - l3)) / sum;
      spherical[o] = (3 * l3) / sum;
    } else {
      linear[o] = planar[o] = spherical[o] = 0;
    }
  }
}

/** `shapeClass`'s thresholds, checked. */
export interface ShapeThresholds {
  ratio: number;
  gap: number;
  energy: number;
}

/** Checks `shapeClass`'s `ratio`, `gap` and `energy` options, with their defaults. */
export function checkShapeThresholds(
  fn: string,
  options: { ratio?: unknown; gap?: unknown; energy?: unknown },
): ShapeThresholds {
  const { ratio = 2, gap = 10, energy = 0 } = options;
  if (typeof ratio !== "number" || !Number.isFinite(ratio) || ratio < 1) {
    throw argumentError(fn, "ratio", ratio, "a finite number >= 1");
  }
  if (typeof gap !== "number" || !Number.isFinite(gap) || !(gap > ratio)) {
    throw argumentError(fn, "gap", gap, `a finite number > ratio (${ratio})`);
  }
  if (typeof energy !== "number" || !Number.isFinite(energy) || energy < 0) {
    throw argumentError(fn, "energy", energy, "a finite number >= 0");
  }
  return { ratio, gap, energy };
}

/** `shapeClass`'s codes of three sorted eigenvalues. */
export function shapeClassesOf(
  [first, second, third]: Ranks,
  count: number,
  { ratio, gap, energy }: ShapeThresholds,
  codes: Uint8Array,
  at: number,
): void {
  const floor = 1 / (gap * gap);
  for (let i = 0; i < count; i++) {
    const l1 = first[i];
    const trace = l1 + second[i] + third[i];
    let code = 0;
    // Background too where the trace is NaN or infinite.
    if (trace > energy && trace < Infinity) {
      const least = l1 * floor;
      const l2 = Math.max(second[i], least);
      const l3 = Math.max(third[i], least);
      if (l1 <= ratio * l3) code = 1;
      else if (l1 <= ratio * l2 && l2 >= gap * l3) code = 2;
      else if (l1 >= gap * l2 && l2 <= ratio * l3) code = 3;
      else code = 4;
    }
    codes[at + i] = code;
  }
}

/** OrientationJ's coherence of two sorted eigenvalues. */
export function coherenceOf(
  [first, second]: Ranks,
  count: number,
  out: Floats,
  at: number,
): void {
  for (let i = 0; i < count; i++) {
    const sum = first[i] + second[i];
    out[at + i] = !Number.isFinite(sum)
      ? NaN
      : sum > 0
      ? Math.min(1, (first[i] - second[i]) / sum)
      : 0;
  }
}

/** 2-D: the angle of (row, col) from +col towards -row, folded into (-90, 90]. */
export function planeAnglesOf(
  [rows, cols]: Ranks,
  count: number,
  angle: Floats,
  at: number,
): void {
  for (let i = 0; i < count; i++) {
    let up = -rows[i];
    let col = cols[i];
    // The representative with col > 0, or col = 0 and up > 0: negation is exact, so v and -v agree bit for bit.
    if (col < 0 || (col === 0 && up < 0)) {
      up = -up;
      col = -col;
    }
    if (
      (up === 0 && col === 0) || !Number.isFinite(up) || !Number.isFinite(col)
    ) {
      angle[at + i] = NaN;
      continue;
    }
    // `+ 0` turns -0 into 0, so that atan2 never returns -0; a nearly vertical axis may round to -90, which is 90.
    const a = Math.atan2(up + 0, col) * DEGREES;
    angle[at + i] = a === -90 ? 90 : a;
  }
}

/** 3-D: azimuth and elevation of (z, y, x)'s representative with z >= 0. */
export function spaceAnglesOf(
  [zs, ys, xs]: Ranks,
  count: number,
  azimuth: Floats,
  elevation: Floats,
  at: number,
): void {
  for (let i = 0; i < count; i++) {
    let z = zs[i];
    let y = ys[i];
    let x = xs[i];
    const o = at + i;
    if (z < 0 || (z === 0 && (x < 0 || (x === 0 && y < 0)))) {
      z = -z;
      y = -y;
      x = -x;
    }
    if (
      (z === 0 && y === 0 && x === 0) || !Number.isFinite(z) ||
      !Number.isFinite(y) || !Number.isFinite(x)
    ) {
      azimuth[o] = elevation[o] = NaN;
      continue;
    }
    // `+ 0` turns -0 into 0, so that atan2 never returns -0 or -180; rounding may still
    // reach the excluded end of the range, which is the same axis as the other end.
    const a = Math.atan2(y + 0, x + 0) * DEGREES;
    azimuth[o] = a === -180 ? 180 : z === 0 && a === -90 ? 90 : a;
    elevation[o] = Math.atan2(z + 0, Math.hypot(x, y)) * DEGREES;
  }
}
