import { checkArgumentCount } from "../_options_object.ts";
import type { NdArray } from "../deps.ts";
import { ndarray } from "../array/ndarray.ts";
import { checkEigenvalues, stackViews } from "./_eigenvalue_input.ts";
import { westinMeasuresOf } from "./_measure_kernels.ts";

/** What {@linkcode westinMeasures} returns: three float64 arrays of the voxel grid. */
export interface WestinMeasures {
  /** `(λ1 - λ2) / Σ`: one dominant direction (1 for `[1, 0, 0]`). */
  linear: NdArray<Float64Array>;
  /** `2(λ2 - λ3) / Σ`: two dominant directions (1 for `[1, 1, 0]`). */
  planar: NdArray<Float64Array>;
  /** `3λ3 / Σ`: no dominant direction (1 for `[1, 1, 1]`). */
  spherical: NdArray<Float64Array>;
}

/**
 * Westin's linear, planar and spherical measures of a 3-D tensor at every
 * voxel, with the trace normalisation of Westin, Maier, Mamata, Nabavi,
 * Jolesz & Kikinis, "Processing and visualization for diffusion tensor MRI",
 * Medical Image Analysis 6(2), 2002:
 *
 * `linear = (λ1 - λ2) / Σ`, `planar = 2(λ2 - λ3) / Σ`, `spherical = 3λ3 / Σ`,
 * `Σ = λ1 + λ2 + λ3`,
 *
 * for eigenvalues `λ1 >= λ2 >= λ3`. For a positive semi-definite tensor each
 * lies in [0, 1] and the three sum to 1 (up to rounding); they are scale
 * invariant. In structure-tensor terms, `linear` is high at an edge or a
 * sheet (one gradient direction), `planar` around a tube or fibre (gradients
 * in a plane) and `spherical` in blobs and noise.
 *
 * - A zero tensor (`Σ <= 0`: all eigenvalues 0, up to rounding) has no shape:
 *   all three measures are 0 there, which is where `shapeClass` says
 *   "background" with its default `energy: 0`.
 * - A voxel with a non-finite eigenvalue (or whose sum overflows, beyond
 *   1e308) gets NaN in all three.
 *
 * 3-D only: the planar measure needs three eigenvalues (in 2-D use
 * `coherence`).
 *
 * NaN and infinite eigenvalues propagate: the three measures are NaN at
 * that voxel only.
 *
 * @param eigenvalues Shape `[3, planes, rows, cols]`, decreasing along axis 0, as `structureTensorEigenvalues` returns them; any numeric ndarray or view.
 * @returns New C-contiguous float64 arrays of shape `[planes, rows, cols]`.
 *
 * @example
 * ```ts
 * import { ndarray } from "../array/ndarray.ts";
 * import { westinMeasures } from "./westin_measures.ts";
 *
 * // Two voxels: eigenvalues [4, 2, 2] and a zero tensor.
 * const eigenvalues = ndarray(new Float64Array([4, 0, 2, 0, 2, 0]), [3, 1, 1, 2]);
 * const { linear, planar, spherical } = westinMeasures(eigenvalues);
 * console.log(Array.from(linear.data), Array.from(planar.data), Array.from(spherical.data)); // [0.25, 0] [0, 0] [0.75, 0]
 * ```
 */
export function westinMeasures(eigenvalues: NdArray): WestinMeasures {
  checkArgumentCount("westinMeasures", arguments.length, ["eigenvalues"]);
  const { shape, size, values } = checkEigenvalues(
    "westinMeasures",
    eigenvalues,
    [3],
    " (Westin's measures are 3-D only; in 2-D use coherence)",
  );
  const linear = new Float64Array(size);
  const planar = new Float64Array(size);
  const spherical = new Float64Array(size);
  westinMeasuresOf(
    stackViews(values, 3, size),
    size,
    linear,
    planar,
    spherical,
    0,
  );
  return {
    linear: ndarray(linear, shape),
    planar: ndarray(planar, shape),
    spherical: ndarray(spherical, shape),
  };
}
