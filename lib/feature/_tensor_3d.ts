/**
 * Private driver of the 3-D structure tensor: copies the image once into a
 * (shared, when worker threads take part) buffer, converted to float unless
 * the SIMD kernels convert it as they read it, allocates the outputs, and
 * runs the tensor engine (`_tensor_kernel.ts`) on every thread, the calling
 * one included, or (the `…Async` forms) on worker threads alone.
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
import { bufferOf, releaseShared } from "../parallel/_shared_buffers.ts";
import { simdKernels } from "../wasm/_simd_kernels.ts";
import type { Precision, TensorSettings } from "./_options.ts";
import type { AnalysisTargets } from "./_tensor_analysis.ts";
import { runTensorJob, runTensorJobAsync } from "./_tensor_kernel.ts";
import type { TensorJob } from "./_tensor_plan.ts";

/** What {@linkcode tensor3d} computes. */
export type Tensor3dSettings = TensorSettings & {
  threads: number;
  output: "elements" | "eigenvalues" | null;
  analysis?: AnalysisTargets;
};

/**
 * The tensor entries or the eigenvalues of a 3-D image, as flat C-order
 * arrays, and what `analysis` derives from them (its arrays allocated by the
 * caller, shared when `threads > 1`), computed on `threads` threads, this
 * one included.
 */
export function tensor3d(
  image: NumericNdArray,
  settings: Tensor3dSettings,
): TensorJob {
  // Workers split planes or bands of rows, so even one plane may use several threads.
  const job = tensorJob(image, settings, settings.threads > 1);
  runTensorJob(job, settings.threads);
  // The input's copy is this call's own: the next call of its size reuses it.
  releaseShared(job.input.buffer);
  return job;
}

/**
 * {@linkcode tensor3d} on `threads` worker threads, leaving this one free
 * (the arrays of `analysis` allocated by the caller, always shared).
 */
export async function tensor3dAsync(
  image: NumericNdArray,
  settings: Tensor3dSettings,
): Promise<TensorJob> {
  const job = tensorJob(image, settings, true);
  await runTensorJobAsync(job, settings.threads);
  releaseShared(job.input.buffer);
  return job;
}

/** The job of `tensor3d`: the image copied in, the outputs allocated (in SharedArrayBuffers when `shared`). */
function tensorJob(
  image: NumericNdArray,
  settings: Tensor3dSettings,
  shared: boolean,
): TensorJob {
  const { sigmas, spacing, mode, cval, precision, output } = settings;
  const shape = image.shape.slice(0, 3) as [number, number, number];
  const size = sizeOf(shape);
  const { float32, simd, conversion, inputArray } = kernelsFor(
    dtypeOf(image),
    precision,
  );
  const input = inputArray(size, shared);
  if (conversion !== null) copyToContiguous(image, input);
  else floatInto(image, input as Float64Array | Float32Array);
  return {
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

/** What is done for a block of `depth` planes whose output planes are [first, end). */
type PerBlock<Result> = (
  block: NumericArray,
  depth: number,
  first: number,
  end: number,
) => Result;

/**
 * Eigenvalues of the structure tensor of blocks of planes, one block after
 * another, in buffers allocated once (shared when `threads > 1`), so that
 * memory stays bounded over any number of blocks: each call copies a
 * block (`depth` planes of `settings.dtype`, C order) in, computes the
 * output planes [first, end) of it on `threads` threads, this one
 * included, and returns their eigenvalues, `[3, end - first, ny, nx]` in C
 * order, in a view that the next call overwrites.
 */
export function blockEigenvalues(
  settings: BlockSettings,
): PerBlock<Float64Array | Float32Array> {
  const { jobOf } = blockJobs(settings, settings.threads > 1);
  return (block, depth, first, end) => {
    const job = jobOf(block, depth, first, end);
    runTensorJob(job, settings.threads);
    return job.eigen!;
  };
}

/**
 * {@linkcode blockEigenvalues} on `threads` worker threads, leaving this
 * one free (its buffers always shared); call it again only once the
 * previous block's promise has resolved, and `release` it after the last
 * (its buffers go back to `releaseShared` for the next volume).
 */
export function blockEigenvaluesAsync(
  settings: BlockSettings,
): PerBlock<Promise<Float64Array | Float32Array>> & { release(): void } {
  const { jobOf, buffers } = blockJobs(settings, true);
  return Object.assign(
    async (block: NumericArray, depth: number, first: number, end: number) => {
      const job = jobOf(block, depth, first, end);
      await runTensorJobAsync(job, settings.threads);
      return job.eigen!;
    },
    { release: () => releaseShared(...buffers) },
  );
}

/** The jobs of `blockEigenvalues`, one per block, in buffers allocated once (in SharedArrayBuffers when `shared`). */
function blockJobs(
  settings: BlockSettings,
  shared: boolean,
): { jobOf: PerBlock<TensorJob>; buffers: ArrayBufferLike[] } {
  const { plane, maxDepth, maxOutputPlanes, dtype, precision } = settings;
  const planeSize = plane[0] * plane[1];
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
  const jobOf: PerBlock<TensorJob> = (block, depth, first, end) => {
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
    return {
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
  };
  return { jobOf, buffers: [input.buffer, eigen.buffer] };
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
    bufferOf(bytes, shared),
    0,
    length,
  );
}
