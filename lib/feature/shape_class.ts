import { checkArgumentCount, checkOptionsObject } from "../_options_object.ts";
import type { NdArray } from "../deps.ts";
import { ndarray } from "../array/ndarray.ts";
import { checkEigenvalues, stackViews } from "./_eigenvalue_input.ts";
import { checkShapeThresholds, shapeClassesOf } from "./_measure_kernels.ts";

/** The names of {@linkcode shapeClass}'s codes: `SHAPE_CLASSES[code]`. */
export const SHAPE_CLASSES = [
  "background",
  "sphere",
  "pancake",
  "cigar",
  "mixed",
] as const;

/** One of {@linkcode SHAPE_CLASSES}. */
export type ShapeClassName = typeof SHAPE_CLASSES[number];

/** Options of {@linkcode shapeClass}. */
export interface ShapeClassOptions {
  /** Largest ratio of two eigenvalues called "about equal" (default 2, the tutorial's factor 2); a number >= 1. */
  ratio?: number;
  /** Smallest ratio called "much larger" (default 10, an order of magnitude); a number > `ratio`. */
  gap?: number;
  /** Voxels whose trace `λ1 + λ2 + λ3` is at most this are background (default 0: only zero tensors); a number >= 0. */
  energy?: number;
}

/** What {@linkcode shapeClass} returns. */
export interface ShapeClassResult {
  /** One code per voxel, an index into `names`. */
  codes: NdArray<Uint8Array>;
  /** {@linkcode SHAPE_CLASSES}. */
  names: typeof SHAPE_CLASSES;
}

/**
 * Sorts every voxel of a 3-D tensor field into a shape class by the ratios
 * of its eigenvalues `λ1 >= λ2 >= λ3`, as scikit-image's tutorial _Estimate
 * anisotropy in a 3D microscopy image_ reads them ("about equal" within a
 * factor `ratio`, "much larger" by at least `gap`). The first rule that holds
 * decides:
 *
 * 1. `background` (code 0): the trace `λ1 + λ2 + λ3 <= energy` (with the
 *    default 0: a zero tensor, where `westinMeasures` gives all 0), or an
 *    eigenvalue is not finite.
 * 2. Before the ratios, `λ2` and `λ3` are raised to at least `λ1 / gap²`
 *    (a hundredth of `λ1` by default): two orders of magnitude below the
 *    largest, a value counts as zero. At a sheet both are leftovers of the
 *    discretisation whose ratio means nothing (measured from 9 to 7e7 on
 *    sampled sheets), and values negative by rounding count as zero too, so
 *    a computed `[1, 1e-17, -1e-17]` is the cigar that `[1, 0, 0]` is.
 * 3. `sphere` (1): `λ1 <= ratio·λ3`: all three about equal: a blob, a corner,
 *    or noise.
 * 4. `pancake` (2): `λ1 <= ratio·λ2` and `λ2 >= gap·λ3`: two large, one small
 *    (`λ1 ≈ λ2 ≫ λ3`): the gradients lie in a plane, as around a tube or
 *    fibre that runs along the smallest eigenvalue's vector.
 * 5. `cigar` (3): `λ1 >= gap·λ2` and `λ2 <= ratio·λ3`: one large
 *    (`λ1 ≫ λ2 ≈ λ3`): one gradient direction, as at a sheet or an edge.
 * 6. `mixed` (4): everything else (e.g. `[4, 2, 1]`, or `λ1 ≈ λ2` with `λ3`
 *    neither about equal nor an order of magnitude smaller).
 *
 * Because `gap > ratio`, rules 3 to 5 never overlap, so their order does not
 * matter. Apart from `energy`, which is absolute, the classes are scale
 * invariant. 3-D only: in 2-D the one ratio `λ1/λ2` says it all (see
 * `coherence`).
 *
 * NaN and infinite eigenvalues: the voxel is "background" (rule 1); the
 * codes have no NaN.
 *
 * @param eigenvalues Shape `[3, planes, rows, cols]`, decreasing along axis 0, as `structureTensorEigenvalues` returns them; any numeric ndarray or view.
 * @returns `codes`, a new C-contiguous Uint8 array of shape `[planes, rows, cols]`, and `names` ({@linkcode SHAPE_CLASSES}).
 *
 * @example
 * ```ts
 * import { ndarray } from "../array/ndarray.ts";
 * import { shapeClass } from "./shape_class.ts";
 *
 * // Five voxels: [1, 0, 0], [1, 1, 0], [1, 1, 1], zero, and [4, 2, 1].
 * const eigenvalues = ndarray(
 *   new Float64Array([1, 1, 1, 0, 4, 0, 1, 1, 0, 2, 0, 0, 1, 0, 1]),
 *   [3, 1, 1, 5],
 * );
 * const { codes, names } = shapeClass(eigenvalues);
 * console.log(Array.from(codes.data, (code) => names[code])); // ["cigar", "pancake", "sphere", "background", "mixed"]
 * ```
 */
export function shapeClass(
  eigenvalues: NdArray,
  options: ShapeClassOptions = {},
): ShapeClassResult {
  const fn = "shapeClass";
  checkArgumentCount(fn, arguments.length, ["eigenvalues", "options"]);
  checkOptionsObject(fn, options, ["ratio", "gap", "energy"]);
  const thresholds = checkShapeThresholds(fn, options);
  const { shape, size, values } = checkEigenvalues(
    fn,
    eigenvalues,
    [3],
    " (shape classes are 3-D only; in 2-D use coherence)",
  );
  const codes = new Uint8Array(size);
  shapeClassesOf(
    stackViews(values, 3, size),
    size,
    thresholds,
    codes,
    0,
  );
  return { codes: ndarray(codes, shape), names: SHAPE_CLASSES };
}
