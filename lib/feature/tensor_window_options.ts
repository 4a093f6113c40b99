/**
 * The options every structure-tensor function shares: the Gaussian window,
 * the voxel size and the boundary rule.
 *
 * @module
 */

import type { BoundaryMode } from "../filters/boundary_mode.ts";

/**
 * The window of a structure tensor: its Gaussian, in voxels or (with
 * `spacing`) in physical units, and how the image is extended beyond its
 * edges. Shared by `structureTensor`, `structureTensorEigenvaluesOfImage`
 * and `structureTensorEigenvaluesTiff`.
 *
 * @example
 * ```ts
 * import type { TensorWindowOptions } from "./tensor_window_options.ts";
 *
 * // The kidney's voxels, 1.25 µm deep and 1.24 µm wide; a window of 2 µm.
 * const window: TensorWindowOptions = { sigma: 2, spacing: [1.25, 1.24, 1.24] };
 * console.log(window.spacing); // [1.25, 1.24, 1.24]
 * ```
 */
export interface TensorWindowOptions {
  /** Standard deviation of the Gaussian window, one for all axes or one per axis (default 1). */
  sigma?: number | readonly number[];
  /**
   * A voxel's physical size along each axis (one number for all, or one per
   * axis), e.g. the kidney's `[1.25, 1.24, 1.24]` µm, or a file's
   * `metadata.physicalSizes` as `[Z, Y, X]`. With it, `sigma` is in the same
   * units (the Gaussian along axis a has `sigma[a] / spacing[a]` voxels) and
   * the derivative along axis a is divided by `spacing[a]`, so the entries
   * are in (intensity / unit)² and directions are in the physical frame.
   * Without it (default) every voxel is 1 on each side and the results are
   * scikit-image's, bit for bit.
   */
  spacing?: number | readonly number[];
  /** Boundary mode of the Sobel derivatives and of the smoothing (default `"constant"`). */
  mode?: BoundaryMode;
  /** Value outside the edges in `"constant"` mode (default 0). */
  cval?: number;
}
