import { checkArgumentCount } from "../_options_object.ts";
import type { NdArray } from "../deps.ts";
import { ndarray } from "../array/ndarray.ts";
import { checkEigenvalues, stackViews } from "./_eigenvalue_input.ts";
import { coherenceOf } from "./_measure_kernels.ts";

/**
 * Coherency of a 2-D tensor at every pixel, as OrientationJ computes it
 * (Rezakhaniha et al., "Experimental investigation of collagen waviness and
 * orientation in the arterial adventitia using confocal laser scanning
 * microscopy", Biomech. Model. Mechanobiol. 11(3-4), 2012; Püspöki, Storath,
 * Sage & Unser, "Transforms and operators for directional bioimage analysis:
 * a survey", Adv. Anat. Embryol. Cell Biol. 219, 2016):
 *
 * `coherence = (λ1 - λ2) / (λ1 + λ2)`
 *
 * for eigenvalues `λ1 >= λ2`: 1 where all gradients share one direction (a
 * straight edge or fibre), 0 where no direction dominates. Scale invariant.
 *
 * - A zero tensor (`λ1 + λ2 <= 0`) has coherence 0. OrientationJ adds a small
 *   epsilon (a setting) to the denominator instead; here the formula is
 *   exact wherever the tensor is not zero.
 * - A pixel with a non-finite eigenvalue has coherence NaN.
 * - Values are capped at 1, which a smaller eigenvalue that rounding made
 *   slightly negative could otherwise exceed.
 *
 * 2-D only (in 3-D use `fractionalAnisotropy` or `westinMeasures`).
 *
 * NaN and infinite eigenvalues propagate: coherence is NaN at that pixel only.
 *
 * @param eigenvalues Shape `[2, rows, cols]`, decreasing along axis 0, as `structureTensorEigenvalues` returns them; any numeric ndarray or view.
 * @returns A new C-contiguous float64 array of shape `[rows, cols]`.
 *
 * @example
 * ```ts
 * import { ndarray } from "../array/ndarray.ts";
 * import { coherence } from "./coherence.ts";
 *
 * // Three pixels: eigenvalues [3, 1], [2, 2] and [0, 0].
 * const eigenvalues = ndarray(new Float64Array([3, 2, 0, 1, 2, 0]), [2, 1, 3]);
 * console.log(Array.from(coherence(eigenvalues).data)); // [0.5, 0, 0]
 * ```
 */
export function coherence(eigenvalues: NdArray): NdArray<Float64Array> {
  checkArgumentCount("coherence", arguments.length, ["eigenvalues"]);
  const { shape, size, values } = checkEigenvalues(
    "coherence",
    eigenvalues,
    [2],
    " (coherence is 2-D only; in 3-D use fractionalAnisotropy or westinMeasures)",
  );
  const out = new Float64Array(size);
  coherenceOf(stackViews(values, 2, size), size, out, 0);
  return ndarray(out, shape);
}
