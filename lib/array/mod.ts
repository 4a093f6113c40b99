/**
 * Arrays: the `ndarray` factory, scikit-image's `img_as_float`, reductions and
 * NumPy-style printing.
 *
 * @module
 */

export type { DType, NdArray, NdArrayData, NumericArray } from "./types.ts";
export { ndarray } from "./ndarray.ts";
export { imgAsFloat } from "./img_as_float.ts";
export { argmax } from "./argmax.ts";
export { unravelIndex } from "./unravel_index.ts";
export { max, min } from "./min_max.ts";
export { formatArray } from "./format_array.ts";
export { formatShape } from "./format_shape.ts";
