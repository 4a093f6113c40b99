/**
 * Private kernel of the 3-D structure tensor, one slab of planes at a time,
 * shared by the calling thread and the worker threads.
 *
 * A slab of output planes [z0, z1) needs the Sobel derivatives of the planes
 * within the Gaussian radius along Z (its halo), found through the boundary
 * rule, so slabs are independent and can run on any thread. Per output plane:
 * the Z pass of the six Gaussians is fused with the products `d_i · d_j`
 * (computed tile by tile, never stored as volumes), then the Y and X passes
 * run on the six planes, then the planes are stored or reduced to
 * eigenvalues at once. Every pass has SciPy's order and summation order, so
 * the results equal the whole-volume computation.
 *
 * @module
 */

import { sourceIndex } from "../filters/_boundary.ts";
import { type AxisPass, correlateAxis } from "../filters/_correlate_axis.ts";
import { gaussianKernel, gaussianRadius } from "../filters/_gaussian.ts";
import type { BoundaryMode } from "../filters/boundary_mode.ts";
import { eigenvalues3 } from "./_symmetric_eigenvalues.ts";

/** What one structure-tensor run computes; the arrays may live in SharedArrayBuffers. */
export interface TensorJob {
  /** The image after `imgAsFloat`, C-contiguous, of `shape`. */
  input: Float64Array | Float32Array;
  shape: readonly [number, number, number];
  sigmas: readonly number[];
  mode: BoundaryMode;
  cval: number;
  /** Store every intermediate as float32 (as SciPy does for float32 input). */
  float32: boolean;
  /** Where to write the six tensor entries (each of the image's size), or null. */
  elements: (Float64Array | Float32Array)[] | null;
  /** Where to write the eigenvalues, `[3, ...shape]`, or null. */
  eigen: Float64Array | Float32Array | null;
}

/** Voxels per tile of the fused products + Z pass: the window stays in L1/L2 cache. */
const TILE = 1024;
/** Entry (i, j) of the tensor, i <= j, in row-major upper-triangular order. */
const PAIRS: readonly (readonly [number, number])[] = [
  [0, 0],
  [0, 1],
  [0, 2],
  [1, 1],
  [1, 2],
  [2, 2],
];
const DIFFERENCE = new Float64Array([-1, 0, 1]);
const SMOOTHING = new Float64Array([1, 2, 1]);

/** Upper bound of the memory one thread's slab needs, in plane-sized buffers. */
export function slabPlaneBuffers(sigmaZ: number): number {
  const radius = sigmaZ > 1e-15 ? gaussianRadius(sigmaZ, 4) : 0;
  // Derivatives of the window's planes, differences of 3 input planes, 6 sums, cval plane.
  return 3 * (2 * radius + 1) + 2 * 3 + 6 + 1;
}

/** Computes output planes [z0, z1) of `job`. */
export function computeTensorSlab(
  job: TensorJob,
  z0: number,
  z1: number,
): void {
  const { input, shape, sigmas, mode, cval, float32, elements, eigen } = job;
  const [nz, ny, nx] = shape;
  const planeSize = ny * nx;
  const size = nz * planeSize;
  const Plane = float32 ? Float32Array : Float64Array;
  const planeShape = [ny, nx];
  const pass = (weights: Float64Array): AxisPass => ({
    weights,
    origin: 0,
    mode,
    cval,
  });
  const gaussianPass = (sigma: number): AxisPass | null =>
    sigma > 1e-15
      ? pass(gaussianKernel(sigma, gaussianRadius(sigma, 4)))
      : null;
  const zPass = gaussianPass(sigmas[0]);
  const yPass = gaussianPass(sigmas[1]);
  const xPass = gaussianPass(sigmas[2]);
  const radius = zPass === null ? 0 : zPass.weights.length >> 1;
  const difference = pass(DIFFERENCE);
  const smoothing = pass(SMOOTHING);
  // Outside the volume in constant mode: cval itself, unrounded, as SciPy's line buffers.
  const constantPlane = new Float64Array(planeSize).fill(cval);
  const inputPlane = (s: number) =>
    s < 0 ? constantPlane : input.subarray(s * planeSize, (s + 1) * planeSize);

  // In-plane differences of input planes (along Y, along X), kept while neighbouring planes need them.
  const differencesOf = new Map<number, (Float64Array | Float32Array)[]>();
  const spareDifferences: (Float64Array | Float32Array)[][] = [];
  const differences = (s: number) => {
    const kept = differencesOf.get(s);
    if (kept !== undefined) return kept;
    const buffers = spareDifferences.pop() ??
      [new Plane(planeSize), new Plane(planeSize)];
    const plane = inputPlane(s);
    buffers[0].set(plane);
    buffers[1].set(plane);
    correlateAxis(buffers[0], planeShape, 0, difference);
    correlateAxis(buffers[1], planeShape, 1, difference);
    differencesOf.set(s, buffers);
    return buffers;
  };
  const derivativesOf = new Map<number, (Float64Array | Float32Array)[]>();
  const spare: (Float64Array | Float32Array)[][] = [];
  // SciPy's sobel: the difference along the derivative's axis first, then the
  // smoothing along the other axes in increasing order, each pass padded with
  // cval in constant mode (so the order matters there).
  const computeDerivatives = (
    s: number,
    d: (Float64Array | Float32Array)[],
  ) => {
    const sBelow = sourceIndex(s - 1, nz, mode);
    const sAbove = sourceIndex(s + 1, nz, mode);
    for (const [kept, buffers] of differencesOf) {
      if (kept !== s && kept !== sBelow && kept !== sAbove) {
        differencesOf.delete(kept);
        spareDifferences.push(buffers);
      }
    }
    const below = inputPlane(sBelow);
    const here = inputPlane(s);
    const above = inputPlane(sAbove);
    const [d0, d1, d2] = d;
    for (let k = 0; k < planeSize; k++) {
      d0[k] = here[k] * 0 + (below[k] - above[k]) * -1;
    }
    correlateAxis(d0, planeShape, 0, smoothing);
    correlateAxis(d0, planeShape, 1, smoothing);
    const [yBelow, xBelow] = sBelow < 0
      ? [constantPlane, constantPlane]
      : differences(sBelow);
    const [yHere, xHere] = differences(s);
    const [yAbove, xAbove] = sAbove < 0
      ? [constantPlane, constantPlane]
      : differences(sAbove);
    for (let k = 0; k < planeSize; k++) {
      d1[k] = yHere[k] * 2 + (yBelow[k] + yAbove[k]);
      d2[k] = xHere[k] * 2 + (xBelow[k] + xAbove[k]);
    }
    correlateAxis(d1, planeShape, 1, smoothing);
    correlateAxis(d2, planeShape, 0, smoothing);
  };

  const sums = PAIRS.map(() => new Plane(planeSize));
  const window = 2 * radius + 1;
  const products = new Float64Array(window * TILE);
  // Source plane of each window position (-1: cval), for the current output plane.
  const sources = new Int32Array(window);
  const w = zPass?.weights;

  for (let z = z0; z < z1; z++) {
    const needed = new Set<number>();
    for (let t = 0; t < window; t++) {
      sources[t] = sourceIndex(z - radius + t, nz, mode);
      if (sources[t] >= 0) needed.add(sources[t]);
    }
    for (const [s, buffers] of derivativesOf) {
      if (!needed.has(s)) {
        derivativesOf.delete(s);
        spare.push(buffers);
      }
    }
    for (const s of needed) {
      if (derivativesOf.has(s)) continue;
      const buffers = spare.pop() ??
        [new Plane(planeSize), new Plane(planeSize), new Plane(planeSize)];
      computeDerivatives(s, buffers);
      derivativesOf.set(s, buffers);
    }

    for (let start = 0; start < planeSize; start += TILE) {
      const count = Math.min(TILE, planeSize - start);
      for (let p = 0; p < PAIRS.length; p++) {
        const [i, j] = PAIRS[p];
        for (let t = 0; t < window; t++) {
          const row = t * TILE;
          const s = sources[t];
          if (s < 0) {
            products.fill(cval, row, row + count);
            continue;
          }
          const d = derivativesOf.get(s)!;
          const di = d[i], dj = d[j];
          if (float32) {
            for (let k = 0; k < count; k++) {
              products[row + k] = Math.fround(di[start + k] * dj[start + k]);
            }
          } else {
            for (let k = 0; k < count; k++) {
              products[row + k] = di[start + k] * dj[start + k];
            }
          }
        }
        const sum = sums[p];
        if (w === undefined) {
          for (let k = 0; k < count; k++) sum[start + k] = products[k];
          continue;
        }
        // SciPy's symmetric sum: centre first, then the outermost pair inwards.
        const centre = radius * TILE;
        const w0 = w[radius];
        for (let k = 0; k < count; k++) scratch[k] = products[centre + k] * w0;
        for (let r = radius; r >= 1; r--) {
          const wr = w[radius - r];
          const left = centre - r * TILE;
          const right = centre + r * TILE;
          for (let k = 0; k < count; k++) {
            scratch[k] += (products[left + k] + products[right + k]) * wr;
          }
        }
        for (let k = 0; k < count; k++) sum[start + k] = scratch[k];
      }
    }
    for (const sum of sums) {
      if (yPass !== null) correlateAxis(sum, planeShape, 0, yPass);
      if (xPass !== null) correlateAxis(sum, planeShape, 1, xPass);
    }
    if (elements !== null) {
      for (let p = 0; p < PAIRS.length; p++) {
        elements[p].set(sums[p], z * planeSize);
      }
    }
    if (eigen !== null) {
      eigenvalues3(sums, planeSize, eigen, z * planeSize, size);
    }
  }
}

/** Accumulator of one tile of the Z pass, in float64 whatever the storage. */
const scratch = new Float64Array(TILE);
