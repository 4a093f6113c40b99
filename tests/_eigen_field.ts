/**
 * Eigenvalue fields and images for the narrative tests (examples/_anisotropy_narrative.ts).
 *
 * @module
 */

import { type NdArray, ndarray } from "../mod.ts";

/** Eigenvalues `[3, ...shape]` with `values` (largest first) at every voxel, the maximum at `at` scaled by 1.01. */
export function eigenField(
  shape: readonly number[],
  values: readonly number[],
  at: readonly number[],
): NdArray {
  const [planes, rows, cols] = shape;
  const eigen = ndarray(new Float64Array(3 * planes * rows * cols), [
    3,
    planes,
    rows,
    cols,
  ]);
  for (let rank = 0; rank < 3; rank++) {
    for (let z = 0; z < planes; z++) {
      for (let y = 0; y < rows; y++) {
        for (let x = 0; x < cols; x++) {
          const peak = z === at[0] && y === at[1] && x === at[2] ? 1.01 : 1;
          eigen.set(rank, z, y, x, values[rank] * peak);
        }
      }
    }
  }
  return eigen;
}

/** A planes x rows x cols image of `value(z, y, x)`. */
export function image(
  [planes, rows, cols]: readonly number[],
  value: (z: number, y: number, x: number) => number,
): NdArray {
  const out = ndarray(new Float64Array(planes * rows * cols), [
    planes,
    rows,
    cols,
  ]);
  for (let z = 0; z < planes; z++) {
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) out.set(z, y, x, value(z, y, x));
    }
  }
  return out;
}
