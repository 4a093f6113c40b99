/**
 * Private Gaussian smoothing on flat C-contiguous buffers, shared by
 * `gaussianFilter` and `structureTensor`.
 *
 * @module
 */

import { type AxisPass, correlateAxis } from "./_correlate_axis.ts";
import type { BoundaryMode } from "./boundary_mode.ts";

/**
 * SciPy's `_gaussian_kernel1d(sigma, 0, radius)`: `exp(-0.5 k² / sigma²)` for
 * k in [-radius, radius], evaluated as NumPy's `Polynomial` does
 * (`(c·k)·k`), normalized to sum 1.
 */
export function gaussianKernel(sigma: number, radius: number): Float64Array {
  const c = -0.5 / (sigma * sigma);
  const weights = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k++) {
    const value = Math.exp(c * k * k);
    weights[k + radius] = value;
    sum += value;
  }
  for (let i = 0; i < weights.length; i++) weights[i] /= sum;
  return weights;
}

/** SciPy's kernel radius: `int(truncate * sigma + 0.5)`. */
export function gaussianRadius(sigma: number, truncate: number): number {
  return Math.trunc(truncate * sigma + 0.5);
}

/**
 * Smooths `data` in place: one 1-D Gaussian pass per axis, axis 0 first,
 * skipping axes whose sigma is <= 1e-15 (as `scipy.ndimage.gaussian_filter`).
 */
export function gaussianInPlace(
  data: Float64Array | Float32Array,
  shape: readonly number[],
  sigmas: readonly number[],
  mode: BoundaryMode,
  cval: number,
  truncate: number,
): void {
  for (let axis = 0; axis < shape.length; axis++) {
    const sigma = sigmas[axis];
    if (sigma <= 1e-15) continue;
    const pass: AxisPass = {
      weights: gaussianKernel(sigma, gaussianRadius(sigma, truncate)),
      origin: 0,
      mode,
      cval,
    };
    correlateAxis(data, shape, axis, pass);
  }
}
