/**
 * Private driver of the 3-D structure tensor: copies the image once into a
 * (shared, when threads > 1) buffer, converted to float unless the SIMD
 * kernels convert it as they read it, allocates the outputs, and runs the
 * slab kernel on every thread.
 *
 * @module
 */

import { floatInto, integerScaling } from "../array/_float_into.ts";
import {
  copyToContiguous,
  dtypeOf,
  type NumericNdArray,
  sizeOf,
} from "../array/_strided.ts";
import type { NumericArray } from "../array/types.ts";
import type { BoundaryMode } from "../filters/boundary_mode.ts";
import { runSlabs } from "../parallel/_slabs.ts";
import { floatArray } from "../parallel/_threads.ts";
import { simdKernels } from "../wasm/_simd_kernels.ts";
import type { Precision } from "./_options.ts";
import type { TensorJob } from "./_tensor_slab.ts";

/** The tensor entries or the eigenvalues of a 3-D image, as flat C-order arrays. */
export function tensor3d(
  image: NumericNdArray,
  settings: {
    sigmas: readonly number[];
    mode: BoundaryMode;
    cval: number;
    precision: Precision;
    threads: number;
    output: "elements" | "eigenvalues";
  },
): TensorJob {
  const { sigmas, mode, cval, precision, threads, output } = settings;
  const shape = image.shape.slice(0, 3) as [number, number, number];
  const size = sizeOf(shape);
  const shared = threads > 1 && shape[0] > 1;
  // Float32 input stays float32 throughout, as in scikit-image.
  const float32 = precision === "float32" || dtypeOf(image) === "float32";
  // The SIMD kernels compute float32 in float32 arithmetic, which is what
  // `precision: "float32"` asks for, but not SciPy's float64 sums of float32 input.
  const simd = simdKernels() !== null &&
    (precision === "float32" || !float32);
  // Integers go to the SIMD kernels as they are (a quarter of float64's
  // size for uint16), converted by each thread as it reads its rows.
  const conversion = simd ? integerScaling(dtypeOf(image)) : null;
  let input: TensorJob["input"];
  if (conversion !== null) {
    const Raw = image.data.constructor as new (
      buffer: ArrayBufferLike,
    ) => NumericArray;
    const bytes = size * image.data.BYTES_PER_ELEMENT;
    input = new Raw(
      shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes),
    );
    copyToContiguous(image, input);
  } else {
    input = floatArray(size, float32, shared);
    floatInto(image, input);
  }
  const job: TensorJob = {
    input,
    conversion,
    shape,
    sigmas,
    mode,
    cval,
    float32,
    simd,
    elements: output === "elements"
      ? Array.from({ length: 6 }, () => floatArray(size, float32, shared))
      : null,
    eigen: output === "eigenvalues"
      ? floatArray(3 * size, precision === "float32", shared)
      : null,
  };
  runSlabs({ kind: "tensor", job }, shape[0], threads);
  return job;
}
