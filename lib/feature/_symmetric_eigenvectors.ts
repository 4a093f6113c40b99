/**
 * Private eigenvector kernels for 2×2 and 3×3 symmetric matrices, one matrix
 * per voxel, read from per-entry flat arrays (upper triangle, row-major),
 * written to one array per (rank, component): `vectors[n·rank + component][i]`.
 *
 * @module
 */

import { TINY_SCALE } from "./_eigen_constants.ts";
import { complementPair, isolatedEigenvector } from "./_symmetric_frame.ts";
import {
  eigenvalues3,
  type ElementData,
  scaling,
} from "./_symmetric_eigenvalues.ts";

type Floats = Float64Array | Float32Array;

/**
 * Rotation (c, s) of the 2×2 symmetric matrix [[m00, m01], [m01, m11]]
 * (entries at most about 1 in magnitude): (c, s) is the unit eigenvector of
 * the larger eigenvalue, (-s, c) that of the smaller; (1, 0) when the two
 * are equal. Computed without cancellation or underflow: with h = (m00 -
 * m11)/2 and both h and m01 divided by the larger of their magnitudes, the
 * eigenvector is (h + r, m01) for h >= 0 and (m01, r - h) otherwise, r =
 * sqrt(h² + m01²). Writes c, s to `rotation[0]`, `rotation[1]`.
 */
function pairRotation(
  m00: number,
  m01: number,
  m11: number,
  rotation: Float64Array,
): void {
  const half = (m00 - m11) / 2;
  const big = Math.max(Math.abs(half), Math.abs(m01));
  if (big === 0) {
    rotation[0] = 1, rotation[1] = 0;
    return;
  }
  const h = half / big, b = m01 / big;
  const r = Math.sqrt(h * h + b * b);
  const c = h >= 0 ? h + r : b;
  const s = h >= 0 ? b : r - h;
  const inv = 1 / Math.sqrt(c * c + s * s);
  rotation[0] = c * inv, rotation[1] = s * inv;
}

/**
 * Stores the unit vector (v0, v1) at `vectors[first][i]`, `vectors[first +
 * 1][i]` with the sign rule: its component of largest magnitude positive,
 * the first one (axis order) among equal magnitudes; `+ 0` turns -0 into 0.
 */
function store2(
  vectors: readonly Floats[],
  first: number,
  i: number,
  v0: number,
  v1: number,
): void {
  const lead = Math.abs(v0) >= Math.abs(v1) ? v0 : v1;
  const sign = lead < 0 ? -1 : 1;
  vectors[first][i] = sign * v0 + 0;
  vectors[first + 1][i] = sign * v1 + 0;
}

/** The same for (v0, v1, v2) at `vectors[first + k][i]`, k = 0, 1, 2. */
function store3(
  vectors: readonly Floats[],
  first: number,
  i: number,
  v0: number,
  v1: number,
  v2: number,
): void {
  const a0 = Math.abs(v0), a1 = Math.abs(v1), a2 = Math.abs(v2);
  const lead = a0 >= a1 && a0 >= a2 ? v0 : a1 >= a2 ? v1 : v2;
  const sign = lead < 0 ? -1 : 1;
  vectors[first][i] = sign * v0 + 0;
  vectors[first + 1][i] = sign * v1 + 0;
  vectors[first + 2][i] = sign * v2 + 0;
}

/**
 * Writes the fixed basis of an n×n voxel: the coordinate axes (rank k along
 * axis k), or NaN everywhere when `value` is NaN.
 */
function fixedBasis(
  vectors: readonly Floats[],
  i: number,
  n: number,
  value: number,
): void {
  for (let rank = 0; rank < n; rank++) {
    for (let c = 0; c < n; c++) {
      vectors[n * rank + c][i] = rank === c ? value : value * 0;
    }
  }
}

/**
 * 2×2 eigenvectors per voxel: the rotation of `pairRotation` on the matrix
 * scaled by its largest entry; rank 0 (larger eigenvalue) is (c, s), rank 1
 * is (-s, c), before the sign rule; component c of rank r to
 * `vectors[2r + c][i]`. A zero matrix gives the axes, a non-finite one NaN.
 */
export function eigenvectors2(
  elements: readonly ElementData[],
  count: number,
  vectors: readonly Floats[],
): void {
  const [e00, e01, e11] = elements;
  const rotation = new Float64Array(2);
  for (let i = 0; i < count; i++) {
    const x00 = e00[i], x01 = e01[i], x11 = e11[i];
    const scale = Math.max(Math.abs(x00), Math.abs(x01), Math.abs(x11));
    if (scale === 0 || !Number.isFinite(scale)) {
      fixedBasis(vectors, i, 2, scale === 0 ? 1 : NaN);
      continue;
    }
    let boost = 1, inv = 1 / scale;
    if (scale < TINY_SCALE) [boost, inv] = scaling(scale);
    pairRotation(
      x00 * boost * inv,
      x01 * boost * inv,
      x11 * boost * inv,
      rotation,
    );
    const c = rotation[0], s = rotation[1];
    store2(vectors, 0, i, c, s);
    store2(vectors, 2, i, -s, c);
  }
}

/**
 * 3×3 eigenvectors per voxel, given the voxels' eigenvalues as
 * `eigenvalues3` computes them (`values[k][i]`, decreasing: the values of
 * `structureTensorEigenvalues`); component c of rank r's unit vector goes to
 * `vectors[3r + c][i]`. `values` may be `vectors[0..2]` themselves: each
 * voxel's values are read before its vectors are written. Below
 * `TINY_SCALE`, where those values carry subnormal rounding, and where they
 * overflow, they are solved again on the scaled matrix.
 * On the matrix A scaled by its largest entry, the more isolated of the
 * extreme eigenvalues μ (the largest if λ0 - λ1 >= λ1 - λ2, else the
 * smallest) has as eigenvector the largest cross product of two rows of
 * A - μI (a column of its adjugate, (λa - μ)(λb - μ)·vvᵀ), normalised; its
 * error is about ε / (distance of μ to the others). The other two are the
 * eigenvectors of the 2×2 matrix [u w]ᵀ A [u w], where u, w span the plane
 * orthogonal to v (u = v × the axis v is least aligned with, normalised; w =
 * v × u), by `pairRotation`: this resolves a close or equal pair as the
 * eigenvalue solver's deflation does, and makes the three orthonormal to
 * rounding. When every cross product vanishes (three equal eigenvalues, or
 * products below the float64 range), the axes. A zero matrix gives the
 * axes, a non-finite one NaN. The SIMD kernel `eigenvectorsOf3` repeats
 * these steps operation for operation.
 */
export function eigenvectors3(
  elements: readonly ElementData[],
  count: number,
  values: readonly ElementData[],
  vectors: readonly Floats[],
): void {
  const [e00, e01, e02, e11, e12, e22] = elements;
  const [l0s, l1s, l2s] = values;
  const rotation = new Float64Array(2);
  const frame = new Float64Array(9);
  const solved = new Float64Array(3);
  const scaled = elements.map(() => new Float64Array(1));
  for (let i = 0; i < count; i++) {
    const x00 = e00[i],
      x01 = e01[i],
      x02 = e02[i],
      x11 = e11[i],
      x12 = e12[i],
      x22 = e22[i];
    const scale = Math.max(
      Math.abs(x00),
      Math.abs(x01),
      Math.abs(x02),
      Math.abs(x11),
      Math.abs(x12),
      Math.abs(x22),
    );
    if (scale === 0 || !Number.isFinite(scale)) {
      fixedBasis(vectors, i, 3, scale === 0 ? 1 : NaN);
      continue;
    }
    const tiny = scale < TINY_SCALE;
    let boost = 1, inv = 1 / scale;
    if (tiny) [boost, inv] = scaling(scale);
    const a00 = x00 * boost * inv,
      a01 = x01 * boost * inv,
      a02 = x02 * boost * inv,
      a11 = x11 * boost * inv,
      a12 = x12 * boost * inv,
      a22 = x22 * boost * inv;
    if (tiny || !Number.isFinite(l0s[i] - l2s[i])) {
      // Eigenvalues this small were stored with subnormal rounding, or they
      // overflowed (entries near the float64 maximum): solve the scaled matrix again.
      scaled[0][0] = a00, scaled[1][0] = a01, scaled[2][0] = a02;
      scaled[3][0] = a11, scaled[4][0] = a12, scaled[5][0] = a22;
      eigenvalues3(scaled, 1, solved);
    } else {
      solved[0] = l0s[i] * inv;
      solved[1] = l1s[i] * inv;
      solved[2] = l2s[i] * inv;
    }
    const l0 = solved[0], l1 = solved[1], l2 = solved[2];
    const top = l0 - l1 >= l1 - l2;
    const mu = top ? l0 : l2;
    isolatedEigenvector(a00, a11, a22, a01, a02, a12, mu, frame);
    let vx = frame[0], vy = frame[1], vz = frame[2];
    // Divided by its largest component first: its squares may underflow.
    const big = Math.max(Math.abs(vx), Math.abs(vy), Math.abs(vz));
    if (!(big > 0)) {
      fixedBasis(vectors, i, 3, 1);
      continue;
    }
    // Divisions: the reciprocal of a subnormal overflows.
    vx /= big, vy /= big, vz /= big;
    const vn = 1 / Math.sqrt(vx * vx + vy * vy + vz * vz);
    vx *= vn, vy *= vn, vz *= vn;
    complementPair(vx, vy, vz, a00, a11, a22, a01, a02, a12, frame);
    const ux = frame[0], uy = frame[1], uz = frame[2];
    const wx = frame[3], wy = frame[4], wz = frame[5];
    pairRotation(frame[6], frame[7], frame[8], rotation);
    const c = rotation[0], s = rotation[1];
    // The pair's vectors: high = c·u + s·w, low = -s·u + c·w.
    const hx = c * ux + s * wx, hy = c * uy + s * wy, hz = c * uz + s * wz;
    const gx = c * wx - s * ux, gy = c * wy - s * uy, gz = c * wz - s * uz;
    if (top) {
      store3(vectors, 0, i, vx, vy, vz);
      store3(vectors, 3, i, hx, hy, hz);
      store3(vectors, 6, i, gx, gy, gz);
    } else {
      store3(vectors, 0, i, hx, hy, hz);
      store3(vectors, 3, i, gx, gy, gz);
      store3(vectors, 6, i, vx, vy, vz);
    }
  }
}
