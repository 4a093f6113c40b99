import { checkArgumentCount } from "../_options_object.ts";
import type { NdArray } from "../deps.ts";
import { ndarray } from "../array/ndarray.ts";
import { checkEigenvalues, stackViews } from "./_eigenvalue_input.ts";
import { fractionalAnisotropyOf } from "./_measure_kernels.ts";

/**
 * Fractional anisotropy of the tensor at every voxel (Basser & Pierpaoli,
 * "Microstructural and physiological features of tissues elucidated by
 * quantitative-diffusion-tensor MRI", J. Magn. Reson. B 111(3), 1996):
 *
 * `FA = sqrt(d / (d - 1)) · |λ - mean(λ)| / |λ|`
 *
 * over the `d` eigenvalues of each voxel (`|·|` the Euclidean norm). For a
 * positive semi-definite tensor (a structure tensor) it lies in [0, 1]: 0
 * exactly when the eigenvalues are equal (isotropic), 1 when one eigenvalue
 * holds everything (`[1, 0, 0]`). It is scale invariant: the eigenvalues are
 * divided by their largest magnitude first, so no square overflows.
 *
 * - A zero tensor (all eigenvalues 0) has FA 0: no anisotropy.
 * - A voxel with a non-finite eigenvalue has FA NaN.
 * - Values are capped at 1, which rounding, or a smallest eigenvalue that
 *   rounding made slightly negative, can otherwise exceed by a few units in
 *   the last place.
 *
 * NaN and infinite eigenvalues propagate: FA is NaN at that voxel only.
 *
 * @param eigenvalues Shape `[d, ...shape]` (d = 2 or 3, `shape` of d axes), decreasing along axis 0, as `structureTensorEigenvalues` returns them; any numeric ndarray or view.
 * @returns A new C-contiguous float64 array of `shape`.
 *
 * @example
 * ```ts
 * import { ndarray } from "../array/ndarray.ts";
 * import { fractionalAnisotropy } from "./fractional_anisotropy.ts";
 *
 * // Four 3-D voxels: a cigar, a pancake, a sphere and a zero tensor.
 * const eigenvalues = ndarray(
 *   new Float64Array([1, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0]),
 *   [3, 1, 1, 4],
 * );
 * console.log(Array.from(fractionalAnisotropy(eigenvalues).data)); // [1, 0.7071067811865476, 0, 0]
 * ```
 */
export function fractionalAnisotropy(
  eigenvalues: NdArray,
): NdArray<Float64Array> {
  checkArgumentCount("fractionalAnisotropy", arguments.length, ["eigenvalues"]);
  const { d, shape, size, values } = checkEigenvalues(
    "fractionalAnisotropy",
    eigenvalues,
    [2, 3],
  );
  const out = new Float64Array(size);
  fractionalAnisotropyOf(stackViews(values, d, size), size, out, 0);
  return ndarray(out, shape);
}
