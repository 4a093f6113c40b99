import { argumentError } from "../_errors.ts";
import { checkArgumentCount, checkOptionsObject } from "../_options_object.ts";
import { checkNdArray } from "../array/_strided.ts";
import type { NdArray } from "../deps.ts";
import { ndarray } from "../array/ndarray.ts";
import { flattenStack, stackViews } from "./_eigenvalue_input.ts";
import { planeAnglesOf, spaceAnglesOf } from "./_measure_kernels.ts";

/** Options of {@linkcode orientationAngles}. */
export interface OrientationAnglesOptions {
  /**
   * Whose eigenvector: 0 (default) the largest eigenvalue's (the dominant
   * gradient direction), `d - 1` the smallest's (along a fibre in 2-D, along
   * a tube in 3-D).
   */
  rank?: number;
}

/** {@linkcode orientationAngles} of 2-D vectors, in degrees. */
export interface OrientationAngles2d {
  /** From the column (x) axis counter-clockwise as displayed (towards row 0), in (-90, 90]. */
  angle: NdArray<Float64Array>;
}

/** {@linkcode orientationAngles} of 3-D vectors, in degrees, of the axis's representative with z >= 0. */
export interface OrientationAngles3d {
  /** In the X-Y plane from +X towards +Y (increasing row index), in (-180, 180]; (-90, 90] for axes in that plane. */
  azimuth: NdArray<Float64Array>;
  /** From the X-Y plane towards +Z (increasing plane index), in [0, 90]. */
  elevation: NdArray<Float64Array>;
}

/**
 * The direction of one rank's eigenvector at every voxel, as angles in
 * degrees. An eigenvector is an axis: `v` and `-v` are the same, so each
 * angle is that of one chosen representative and is the same for both.
 *
 * - 2-D (components row, col): `angle` is measured from the column (x) axis,
 *   counter-clockwise as the image is displayed with row 0 at the top, that
 *   is towards decreasing row index: `atan2(-row, col)`, folded into
 *   (-90, 90] (the row axis is 90). This is OrientationJ's convention
 *   (`0.5·atan2(2Jxy, Jyy - Jxx)` on the row-down tensor): its orientation
 *   of a fibre, the direction of least intensity change, is `angle` with
 *   `rank: 1`.
 * - 3-D (components z, y, x): the representative with z > 0 (z = 0: with
 *   x > 0, or x = 0 and y > 0, so axes in the X-Y plane have an azimuth in
 *   (-90, 90]); `azimuth = atan2(y, x)` in the X-Y plane from +X towards +Y
 *   (increasing row index, the opposite turn from the 2-D `angle`), in
 *   (-180, 180]; `elevation = atan2(z, hypot(x, y))` from the X-Y plane
 *   towards +Z, in [0, 90]. Folding both angles into half ranges would map
 *   different axes to the same pair, e.g. (z, y, x) = (1, 0, 1) and
 *   (-1, 0, 1); the upper hemisphere keeps every axis distinct. Along Z the
 *   azimuth is 0.
 *
 * Only the direction counts: the vectors need not be unit. A zero vector, or
 * one with a non-finite component, has NaN angles. Where the tensor's
 * eigenvalues are (nearly) repeated, e.g. a zero tensor, its eigenvectors
 * and so these angles are arbitrary: mask them with `coherence`,
 * `fractionalAnisotropy` or `shapeClass`. Vectors of a tensor computed with
 * `spacing` are already in the physical frame, so the angles are physical.
 *
 * NaN and infinite components: both angles are NaN at that voxel only.
 *
 * @param vectors Shape `[d, d, ...shape]` (d = 2 or 3, `shape` of d axes) with `vectors.get(rank, component, ...index)`, as `structureTensorEigenvectors` returns them; any numeric ndarray or view.
 * @returns New C-contiguous float64 arrays of `shape`: `{ angle }` in 2-D, `{ azimuth, elevation }` in 3-D.
 *
 * @example
 * ```ts
 * import { ndarray } from "../array/ndarray.ts";
 * import {
 *   type OrientationAngles2d,
 *   type OrientationAngles3d,
 *   orientationAngles,
 * } from "./orientation_angles.ts";
 *
 * // One pixel: rank 0's vector (row, col) = (-1, 1) points up and right as displayed.
 * const plane = ndarray(new Float64Array([-1, 1, 1, 1]), [2, 2, 1, 1]);
 * const { angle } = orientationAngles(plane) as OrientationAngles2d;
 * console.log(angle.data[0]); // 45
 *
 * // One voxel: rank 0's vector (z, y, x) = (-1, 0, -1), the axis of (1, 0, 1).
 * const space = ndarray(new Float64Array([-1, 0, -1, 0, 1, 0, 1, 0, -1]), [3, 3, 1, 1, 1]);
 * const { azimuth, elevation } = orientationAngles(space) as OrientationAngles3d;
 * console.log(azimuth.data[0], elevation.data[0]); // 0 45
 * ```
 */
export function orientationAngles(
  vectors: NdArray,
  options: OrientationAnglesOptions = {},
): OrientationAngles2d | OrientationAngles3d {
  const fn = "orientationAngles";
  checkArgumentCount(fn, arguments.length, ["vectors", "options"]);
  checkNdArray(fn, "vectors", vectors, { minDims: 4 });
  checkOptionsObject(fn, options, ["rank"]);
  const d = vectors.shape[0];
  if (
    (d !== 2 && d !== 3) || vectors.shape[1] !== d ||
    vectors.shape.length !== d + 2
  ) {
    throw argumentError(
      fn,
      "vectors",
      vectors,
      "the eigenvectors of a 2-D or 3-D tensor field, of shape [2, 2, rows, cols] or [3, 3, planes, rows, cols] as structureTensorEigenvectors returns them",
    );
  }
  const { rank = 0 } = options;
  if (!Number.isInteger(rank) || rank < 0 || rank >= d) {
    throw argumentError(
      fn,
      "rank",
      rank,
      `an integer from 0 (the largest eigenvalue's vector) to ${d - 1}`,
    );
  }
  const { shape, size, values } = flattenStack(
    vectors.pick(rank),
  );
  const components = stackViews(values, d, size);
  if (d === 2) {
    const angle = new Float64Array(size);
    planeAnglesOf(components, size, angle, 0);
    return { angle: ndarray(angle, shape) };
  }
  const azimuth = new Float64Array(size);
  const elevation = new Float64Array(size);
  spaceAnglesOf(components, size, azimuth, elevation, 0);
  return {
    azimuth: ndarray(azimuth, shape),
    elevation: ndarray(elevation, shape),
  };
}
