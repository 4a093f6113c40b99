/**
 * Private eigenvalue kernels for small symmetric matrices, one matrix per
 * voxel, read from per-entry flat arrays (upper triangle, row-major).
 *
 * @module
 */

import {
  COS_THIRD_C0,
  COS_THIRD_C1,
  COS_THIRD_C2,
  COS_THIRD_C3,
  COS_THIRD_C4,
  COS_THIRD_C5,
  EQUAL_SPREAD,
  NEAR_DEGENERATE,
  SQRT3,
  TINY_SCALE,
} from "./_eigen_constants.ts";
import { complementPair, isolatedEigenvector } from "./_symmetric_frame.ts";

/** Scratch of the deflation's frame (see `_symmetric_frame.ts`). */
const frame = new Float64Array(9);
/** The exact power of two that raises a largest entry below `TINY_SCALE`. */
const BOOST = 2 ** 600;

/**
 * Eigenvalues of a symmetric n×n matrix given as a full row-major `matrix`
 * (overwritten), by the cyclic Jacobi method (Rutishauser's variant, as in
 * Golub & Van Loan, "Matrix Computations", §8.5); written into `out`, sorted
 * in decreasing order. Absolute accuracy about machine epsilon times the
 * matrix norm, for repeated and zero eigenvalues alike.
 */
export function jacobiEigenvalues(
  matrix: Float64Array,
  n: number,
  out: Float64Array,
): void {
  // Work on the matrix scaled to a largest entry of 1, so that squares neither overflow nor underflow.
  let largest = 0;
  for (let i = 0; i < n * n; i++) {
    largest = Math.max(largest, Math.abs(matrix[i]));
  }
  if (largest === 0 || !Number.isFinite(largest)) {
    out.fill(largest === 0 ? 0 : NaN, 0, n);
    return;
  }
  const [boost, inverse, scale] = scaling(largest);
  for (let i = 0; i < n * n; i++) matrix[i] = matrix[i] * boost * inverse;
  let norm = 0;
  for (let i = 0; i < n * n; i++) norm += matrix[i] * matrix[i];
  const tiny = norm * 1e-36;
  for (let sweep = 0; sweep < 64; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        off += matrix[p * n + q] * matrix[p * n + q];
      }
    }
    if (off <= tiny) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = matrix[p * n + q];
        if (apq === 0) continue;
        const app = matrix[p * n + p];
        const aqq = matrix[q * n + q];
        const theta = (aqq - app) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) /
          (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        matrix[p * n + p] = app - t * apq;
        matrix[q * n + q] = aqq + t * apq;
        matrix[p * n + q] = 0;
        matrix[q * n + p] = 0;
        for (let r = 0; r < n; r++) {
          if (r === p || r === q) continue;
          const arp = matrix[r * n + p];
          const arq = matrix[r * n + q];
          const np = c * arp - s * arq;
          const nq = s * arp + c * arq;
          matrix[r * n + p] = np;
          matrix[p * n + r] = np;
          matrix[r * n + q] = nq;
          matrix[q * n + r] = nq;
        }
      }
    }
  }
  for (let i = 0; i < n; i++) out[i] = matrix[i * n + i] * scale;
  out.subarray(0, n).sort().reverse();
}

/**
 * Scaling that brings a largest magnitude `largest` (finite, > 0) to about 1:
 * scaled = (x · boost) · inverse, and x = scaled · undo. A subnormal `largest`
 * has no finite reciprocal, so it is first raised by the exact power of two
 * `boost`.
 */
export function scaling(
  largest: number,
): [boost: number, inverse: number, undo: number] {
  const boost = largest < TINY_SCALE ? BOOST : 1;
  const raised = largest * boost;
  return [boost, 1 / raised, largest];
}

/** Reads element arrays as numbers, whatever their typed array. */
export type ElementData = ArrayLike<number>;

/**
 * 2×2 eigenvalues per voxel with scikit-image's closed form
 * (`_image_orthogonal_matrix22_eigvals`): `(M00+M11)/2 ± sqrt(4·M01² +
 * (M00-M11)²)/2`; writes the larger to `out[i]`, the smaller to `out[size+i]`.
 */
export function eigenvalues2(
  elements: readonly ElementData[],
  size: number,
  out: Float64Array | Float32Array,
): void {
  const [m00, m01, m11] = elements;
  for (let i = 0; i < size; i++) {
    const a = m00[i];
    const b = m01[i];
    const d = m11[i];
    const half = (a + d) / 2;
    const root = Math.sqrt(4 * b * b + (a - d) * (a - d)) / 2;
    out[i] = half + root;
    out[size + i] = half - root;
  }
}

/**
 * 3×3 eigenvalues per voxel: the trigonometric closed form (O. K. Smith,
 * "Eigenvalues of a symmetric 3 × 3 matrix", Commun. ACM 4(4), 1961) on the
 * matrix scaled by its largest entry, which is accurate to about machine
 * epsilon times the largest entry except when two eigenvalues nearly coincide
 * (the arc-cosine argument within 1e-4 of ±1); for those voxels the
 * isolated eigenvalue is kept and the close pair is found by deflation (see
 * `deflated`), with cyclic Jacobi as the last resort. Writes decreasing eigenvalues to
 * `out[outOffset + k·outStride + i]`, k = 0, 1, 2 (default: `out[k·size + i]`).
 */
export function eigenvalues3(
  elements: readonly ElementData[],
  size: number,
  out: Float64Array | Float32Array,
  outOffset = 0,
  outStride = size,
): void {
  const [e00, e01, e02, e11, e12, e22] = elements;
  const matrix = new Float64Array(9);
  const sorted = new Float64Array(3);
  for (let i = 0; i < size; i++) {
    const o = outOffset + i;
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
      // Zero matrix (e.g. a flat region), or non-finite input that Jacobi handles as NaN.
      const value = scale === 0 ? 0 : NaN;
      out[o] = value;
      out[o + outStride] = value;
      out[o + 2 * outStride] = value;
      continue;
    }
    // Inline `scaling` (no per-voxel allocation in this hot loop).
    const boost = scale < TINY_SCALE ? BOOST : 1;
    const inv = 1 / (scale * boost);
    const undo = scale;
    const a00 = x00 * boost * inv,
      a01 = x01 * boost * inv,
      a02 = x02 * boost * inv,
      a11 = x11 * boost * inv,
      a12 = x12 * boost * inv,
      a22 = x22 * boost * inv;
    // Multiplications by 1/3 and 1/6 rather than divisions: divisions are the slow part here.
    const q = (a00 + a11 + a22) * (1 / 3);
    const b00 = a00 - q, b11 = a11 - q, b22 = a22 - q;
    const p2 = b00 * b00 + b11 * b11 + b22 * b22 +
      2 * (a01 * a01 + a02 * a02 + a12 * a12);
    // All three within 1e-30 of q (relative to the largest entry): equal to
    // working precision, and p³ below could underflow.
    if (p2 < EQUAL_SPREAD) {
      const value = q * undo;
      out[o] = value;
      out[o + outStride] = value;
      out[o + 2 * outStride] = value;
      continue;
    }
    const p = Math.sqrt(p2 * (1 / 6));
    const det = b00 * (b11 * b22 - a12 * a12) - a01 * (a01 * b22 - a12 * a02) +
      a02 * (a01 * a12 - b11 * a02);
    const r = det / (2 * p * p * p);
    if (1 - Math.abs(r) < NEAR_DEGENERATE) {
      if (deflated(b00, b11, b22, a01, a02, a12, p2, det, sorted)) {
        out[o] = (sorted[0] + q) * undo;
        out[o + outStride] = (sorted[1] + q) * undo;
        out[o + 2 * outStride] = (sorted[2] + q) * undo;
        continue;
      }
      matrix[0] = x00, matrix[1] = x01, matrix[2] = x02;
      matrix[3] = x01, matrix[4] = x11, matrix[5] = x12;
      matrix[6] = x02, matrix[7] = x12, matrix[8] = x22;
      jacobiEigenvalues(matrix, 3, sorted);
      out[o] = sorted[0];
      out[o + outStride] = sorted[1];
      out[o + 2 * outStride] = sorted[2];
      continue;
    }
    // phi in [0, pi/3]: cos(phi + 2pi/3) = -(cos phi + sqrt(3) sin phi) / 2, one cosine only.
    const cosPhi = cosThirdArccos(r);
    const sinPhi = Math.sqrt(1 - cosPhi * cosPhi);
    const largest = q + 2 * p * cosPhi;
    const smallest = q - p * (cosPhi + SQRT3 * sinPhi);
    // When the spread p is at the rounding level of q, 3q - largest - smallest
    // can fall just outside [smallest, largest]: keep the order.
    const middle = Math.min(
      Math.max(3 * q - largest - smallest, smallest),
      largest,
    );
    out[o] = largest * undo;
    out[o + outStride] = middle * undo;
    out[o + 2 * outStride] = smallest * undo;
  }
}

/**
 * cos(acos(r) / 3) for r in [-1, 1], without the arc-cosine: c = 1/2 + e is
 * the root in [1/2, 1] of 4c³ - 3c = r, i.e. e²(6 + 4e) = 1 + r. A quintic
 * least-squares fit in sqrt(1 + r) starts within 3e-6, and two Newton steps
 * on e (well conditioned even near r = -1, where e is small but known to full
 * relative precision) end within about 1.2e-16 of the exact value over
 * |r| <= 1 - 1e-4 (checked against 50-digit arithmetic), better than
 * `Math.cos(Math.acos(r) / 3)` and about four times faster.
 */
export function cosThirdArccos(r: number): number {
  const u = 1 + r;
  const t = Math.sqrt(u);
  let e = COS_THIRD_C0 + t * (COS_THIRD_C1 +
        t * (COS_THIRD_C2 + t * (COS_THIRD_C3 +
                t * (COS_THIRD_C4 + t * COS_THIRD_C5))));
  e -= (e * e * (6 + 4 * e) - u) / (12 * e * (1 + e));
  e -= (e * e * (6 + 4 * e) - u) / (12 * e * (1 + e));
  return 0.5 + e;
}

/**
 * Eigenvalues of the shifted, scaled 3×3 matrix B (trace 0, diagonal b00,
 * b11, b22, off-diagonal b01, b02, b12, `p2` = tr(B²), `det` = det(B)) when
 * two of them nearly coincide (r = det / (2p³), p² = p2/6, close to ±1),
 * where the arc-cosine formula splits the close pair inaccurately. The
 * isolated eigenvalue μ is accurate: the trigonometric form (with r clamped
 * to [-1, 1]) then one Newton step on B's characteristic polynomial
 * μ³ - (p2/2)·μ - det, whose derivative there is about 9p². Its eigenvector
 * comes from a cross product of two rows of B - μI, and the close pair is
 * the eigenvalue pair of the 2×2 matrix B restricted to the orthogonal
 * complement, whose closed form resolves small gaps. Writes the three
 * eigenvalues of B in decreasing order to `out`; returns false (nothing
 * written) if the eigenvector cannot be formed. The SIMD kernel
 * (`scripts/wasm/simd_kernels.ts`) repeats these operations exactly.
 */
function deflated(
  b00: number,
  b11: number,
  b22: number,
  b01: number,
  b02: number,
  b12: number,
  p2: number,
  det: number,
  out: Float64Array,
): boolean {
  const p = Math.sqrt(p2 / 6);
  const r = det / (2 * p * p * p);
  const cosPhi = cosThirdArccos(r > 1 ? 1 : r < -1 ? -1 : r);
  const sinPhi = Math.sqrt(1 - cosPhi * cosPhi);
  // r near 1: the largest eigenvalue is isolated; r near -1: the smallest.
  const start = r > 0 ? 2 * p * cosPhi : -p * (cosPhi + SQRT3 * sinPhi);
  const j2 = p2 / 2;
  const mu = start -
    (start * (start * start - j2) - det) / (3 * (start * start) - j2);
  // The largest cross product of the rows of B - μI: the most accurate eigenvector.
  const norm = isolatedEigenvector(b00, b11, b22, b01, b02, b12, mu, frame);
  if (!(norm > 0) || !Number.isFinite(norm)) return false;
  const inv = 1 / Math.sqrt(norm);
  complementPair(
    frame[0] * inv,
    frame[1] * inv,
    frame[2] * inv,
    b00,
    b11,
    b22,
    b01,
    b02,
    b12,
    frame,
  );
  const m00 = frame[6], m01 = frame[7], m11 = frame[8];
  const mean = (m00 + m11) / 2;
  const half = (m00 - m11) / 2;
  const radius = Math.sqrt(half * half + m01 * m01);
  const high = mean + radius;
  const low = mean - radius;
  if (mu >= high) out[0] = mu, out[1] = high, out[2] = low;
  else if (mu <= low) out[0] = high, out[1] = low, out[2] = mu;
  else out[0] = high, out[1] = mu, out[2] = low;
  return true;
}

/** n×n eigenvalues per voxel by cyclic Jacobi (any n), decreasing along k. */
export function eigenvaluesN(
  elements: readonly ElementData[],
  n: number,
  size: number,
  out: Float64Array | Float32Array,
): void {
  const matrix = new Float64Array(n * n);
  const sorted = new Float64Array(n);
  for (let i = 0; i < size; i++) {
    let e = 0;
    for (let r = 0; r < n; r++) {
      for (let c = r; c < n; c++, e++) {
        const value = elements[e][i];
        matrix[r * n + c] = value;
        matrix[c * n + r] = value;
      }
    }
    jacobiEigenvalues(matrix, n, sorted);
    for (let k = 0; k < n; k++) out[k * size + i] = sorted[k];
  }
}
