/**
 * Private driver of the 3-D structure tensor: copies the image once into a
 * (shared, when threads > 1) buffer, converted to float unless the SIMD
 * kernels convert it as they read it, allocates the outputs, and runs the
 * tensor engine (`_tensor_kernel.ts`) on every thread.
 *
 * @module
 */

import { floatInto, integerScaling } from "../array/_float_into.ts";
import {
  ARRAY_TYPES,
  copyToContiguous,
  dtypeOf,
  type NumericNdArray,
  sizeOf,
} from "../array/_strided.ts";
import type { DType, NumericArray } from "../array/types.ts";
import { ndarray } from "../deps.ts";
import { floatArray } from "../parallel/_threads.ts";
import { simdKernels } from "../wasm/_simd_kernels.ts";
import type { Precision, TensorSettings } from "./_options.ts";
import type { AnalysisTargets } from "./_tensor_analysis.ts";
import { runTensorJob } from "./_tensor_kernel.ts";
import type { TensorJob } from "./_tensor_plan.ts";

/**
 * The tensor entries or the eigenvalues of a 3-D image, as flat C-order
 * arrays, and what `analysis` derives from them (its arrays allocated by the
 * caller, shared when `threads > 1`).
 */
export function tensor3d(
  image: NumericNdArray,
  settings: TensorSettings & {
    threads: number;
    output: "elements" | "eigenvalues" | null;
    analysis?: AnalysisTargets;
  },
): TensorJob {
  const { sigmas, spacing, mode, cval, precision, threads, output } = settings;
  const shape = image.shape.slice(0, 3) as [number, number, number];
  const size = sizeOf(shape);
  // Workers split planes or bands of rows, so even one plane may use several threads.
  const shared = threads > 1;
  const { float32, simd, conversion, inputArray } = kernelsFor(
    dtypeOf(image),
    precision,
  );
  const input = inputArray(size, shared);
  if (conversion !== null) copyToContiguous(image, input);
  else floatInto(image, input as Float64Array | Float32Array);
  const job: TensorJob = {
    input,
    conversion,
    shape,
    sigmas,
    spacing,
    mode,
    cval,
    float32,
    simd,
    outputPlanes: [0, shape[0]],
    elements: output === "elements"
      ? Array.from({ length: 6 }, () => floatArray(size, float32, shared))
      : null,
    eigen: output === "eigenvalues"
      ? floatArray(3 * size, precision === "float32", shared)
      : null,
    analysis: settings.analysis ?? null,
  };
  runTensorJob(job, threads);
  return job;
}

/** What `blockEigenvalues` computes: blocks of planes of one volume. */
export interface BlockSettings extends TensorSettings {
  /** Rows and columns of every plane. */
  plane: readonly [number, number];
  /** The most planes of any block (its output planes and its halo). */
  maxDepth: number;
  /** The most output planes of any block. */
  maxOutputPlanes: number;
  /** The sample type of the blocks' data. */
  dtype: DType;
  threads: number;
}

/**
 * Eigenvalues of the structure tensor of blocks of planes, one block after
 * another, in buffers allocated once (shared when `threads > 1`), so that
 * memory stays bounded over any number of blocks: each call copies a
 * block (`depth` planes of `settings.dtype`, C order) in, computes the
 * output planes [first, end) of it, and returns their eigenvalues,
 * `[3, end - first, ny, nx]` in C order, in a view that the next call
 * overwrites.
 */
export function blockEigenvalues(
  settings: BlockSettings,
): (
  block: NumericArray,
  depth: number,
  first: number,
  end: number,
) => Float64Array | Float32Array {
  const { plane, maxDepth, maxOutputPlanes, dtype, precision, threads } =
    settings;
  const planeSize = plane[0] * plane[1];
  const shared = threads > 1;
  const { float32, simd, conversion, inputArray } = kernelsFor(
    dtype,
    precision,
  );
  const input = inputArray(maxDepth * planeSize, shared);
  const eigen = floatArray(
    3 * maxOutputPlanes * planeSize,
    precision === "float32",
    shared,
  );
  return (block, depth, first, end) => {
    const shape: [number, number, number] = [depth, plane[0], plane[1]];
    const blockInput = input.subarray(0, depth * planeSize);
    if (conversion !== null) {
      (blockInput as typeof block).set(block as typeof blockInput);
    } else {
      floatInto(
        ndarray(block, shape),
        blockInput as Float64Array | Float32Array,
      );
    }
    const job: TensorJob = {
      input: blockInput,
      conversion,
      shape,
      sigmas: settings.sigmas,
      spacing: settings.spacing,
      mode: settings.mode,
      cval: settings.cval,
      float32,
      simd,
      outputPlanes: [first, end],
      elements: null,
      eigen: eigen.subarray(0, 3 * (end - first) * planeSize),
    };
    runTensorJob(job, threads);
    return job.eigen!;
  };
}

/**
 * How an image of `dtype` is computed with `precision`: float32 storage or
 * not, on the SIMD kernels or not, with integers converted as rows are read
 * or not, and the array type that holds the input.
 */
function kernelsFor(dtype: DType, precision: Precision): {
  float32: boolean;
  simd: boolean;
  conversion: TensorJob["conversion"];
  inputArray: (length: number, shared: boolean) => TensorJob["input"];
} {
  // Float32 input stays float32 throughout, as in scikit-image.
  const float32 = precision === "float32" || dtype === "float32";
  // The SIMD kernels compute float32 in float32 arithmetic, which is what
  // `precision: "float32"` asks for, but not SciPy's float64 sums of float32 input.
  const simd = simdKernels() !== null &&
    (precision === "float32" || !float32);
  // Integers go to the SIMD kernels as they are (a quarter of float64's
  // size for uint16), converted by each thread as it reads its rows.
  const conversion = simd ? integerScaling(dtype) : null;
  return {
    float32,
    simd,
    conversion,
    inputArray: (length, shared) =>
      conversion !== null
        ? integerArray(dtype, length, shared)
        : floatArray(length, float32, shared),
  };
}

/** An integer array of `dtype` and `length`, in a SharedArrayBuffer when `shared`. */
function integerArray(
  dtype: DType,
  length: number,
  shared: boolean,
): NumericArray {
  const Type = ARRAY_TYPES[dtype];
  const bytes = length * Type.BYTES_PER_ELEMENT;
  return new Type(
    shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes),
  );
}
