import { checkAllocation } from "../_allocation.ts";
import { checkArgumentCount } from "../_options_object.ts";
import { type NdArray, ndarray } from "../deps.ts";
import { floatInto } from "./_float_into.ts";
import {
  checkNdArray,
  contiguousStrides,
  copyToContiguous,
  dtypeOf,
  type NumericNdArray,
  sizeOf,
} from "./_strided.ts";

/**
 * Converts an image to floating point with scikit-image's `img_as_float` rules
 * (scikit-image 0.19, `skimage.util.dtype._convert`):
 *
 * - unsigned integers become float64 `x * (1 / max)`, in [0, 1];
 * - signed integers become float64 `max(x * (1 / max), -1)`, in [-1, 1];
 * - float32 stays float32 and float64 stays float64, values unchanged.
 *
 * The result is always a new C-contiguous ndarray; the input is not modified.
 *
 * NaN and infinite values: float input keeps them as they are, as
 * scikit-image does (integer input has none).
 *
 * @param image An ndarray over any supported typed array, any strides.
 * @returns A float64 (or, for float32 input, float32) C-contiguous copy.
 *
 * @example
 * ```ts
 * import { ndarray } from "./ndarray.ts";
 * import { imgAsFloat } from "./img_as_float.ts";
 *
 * const image = ndarray(new Uint8Array([0, 51, 255]), [3]);
 * const floats = imgAsFloat(image);
 * console.log(Array.from(floats.data)); // [0, 0.2, 1]
 * ```
 */
export function imgAsFloat(
  image: NdArray,
): NdArray<Float64Array | Float32Array> {
  const fn = "imgAsFloat";
  checkArgumentCount(fn, arguments.length, ["image"]);
  checkNdArray(fn, "image", image, { minDims: 0, nonEmpty: false });
  checkAllocation(
    fn,
    `the result of shape [${image.shape.join(", ")}]`,
    sizeOf(image.shape),
    dtypeOf(image) === "float32" ? 4 : 8,
  );
  return toFloatContiguous(image);
}

/**
 * `imgAsFloat` without argument checking, for callers that validated `image`
 * already. Exported for the filters and features of this package.
 */
export function toFloatContiguous(
  image: NumericNdArray,
): NdArray<Float64Array | Float32Array> {
  const dtype = dtypeOf(image);
  const shape = image.shape.slice();
  const size = sizeOf(shape);
  const data = dtype === "float32"
    ? new Float32Array(size)
    : new Float64Array(size);
  floatInto(image, data);
  return ndarray(data, shape, contiguousStrides(shape), 0);
}

/**
 * Copies `image` into a new C-contiguous float buffer without scaling:
 * float32 stays float32, everything else becomes float64. Used by the filters,
 * which (like SciPy) filter values as they are.
 */
export function toFloatUnscaled(
  image: NumericNdArray,
): Float64Array | Float32Array {
  const size = sizeOf(image.shape);
  const data = dtypeOf(image) === "float32"
    ? new Float32Array(size)
    : new Float64Array(size);
  copyToContiguous(image, data);
  return data;
}
