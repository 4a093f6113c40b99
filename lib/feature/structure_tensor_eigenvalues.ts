import { checkAllocation } from "../_allocation.ts";
import { checkArgumentCount, checkOptionsObject } from "../_options_object.ts";
import { contiguousStrides } from "../array/_strided.ts";
import { type NdArray, ndarray } from "../deps.ts";
import {
  eigenvalues2,
  eigenvalues3,
  eigenvaluesN,
} from "./_symmetric_eigenvalues.ts";
import { checkPrecision } from "./_options.ts";
import { checkElements, contiguousValues } from "./_tensor_elements.ts";
import {
  type EigenJob,
  runEigenJob,
  runEigenJobAsync,
} from "./_tensor_kernel.ts";
import { type SimdKernels, simdKernels } from "../wasm/_simd_kernels.ts";
import { symmetric3Simd } from "./_symmetric_simd.ts";
import { stackViews } from "./_eigenvalue_input.ts";
import {
  floatArray,
  resolveThreads,
  sharedFloats,
} from "../parallel/_threads.ts";
import { releaseShared } from "../parallel/_shared_buffers.ts";

/** Options of {@linkcode structureTensorEigenvalues}. */
export interface StructureTensorEigenvaluesOptions {
  /**
   * `"float64"` (default) or `"float32"`: the type of the result. 3-D
   * float32 entries with `"float32"` are solved in float32 arithmetic on the
   * SIMD kernel; otherwise the arithmetic is float64, rounded once when
   * stored.
   */
  precision?: "float64" | "float32";
  /**
   * 3-D entries returned by `structureTensor` with worker threads (they live
   * in SharedArrayBuffers) are split into slabs of planes over the calling
   * thread plus `threads - 1` workers. Default: the number of logical cores
   * (at most 8), or 1 below 2^17 voxels. 1: no workers. The workers are the
   * process's, as `structureTensor`'s.
   */
  threads?: number;
}

/**
 * Eigenvalues of the structure tensor at every voxel, as scikit-image's
 * `skimage.feature.structure_tensor_eigenvalues`, sorted in decreasing order
 * along the new first axis: the result has shape `[ndim, ...image.shape]`
 * and index 0 holds the largest eigenvalue.
 *
 * - 2-D: scikit-image's closed form `(M00+M11)/2 ± sqrt(4·M01² + (M00-M11)²)/2`.
 * - 3-D: Smith's trigonometric closed form (Commun. ACM 4(4), 1961) on the
 *   scaled matrix, with cyclic Jacobi for nearly repeated eigenvalues;
 *   accurate to about 1e-15 of the largest entry, like LAPACK's `eigvalsh`.
 * - 4-D and up: cyclic Jacobi on the full matrix.
 *
 * A new C-contiguous array: float64 (float32 entries are widened), or
 * float32 with `precision: "float32"` (from float32 entries, as
 * `structureTensor` gives them with that option: float32 arithmetic on the
 * SIMD kernel, the same values as the fused `structureTensorEigenvaluesOfImage`;
 * otherwise float64 arithmetic, rounded once).
 * 3-D entries that live in SharedArrayBuffers (as `structureTensor` returns
 * them when it uses worker threads) are split over threads by planes; for
 * images whose six entries need not be kept, `structureTensorEigenvaluesOfImage`
 * computes the same values in one fused pass with far less memory.
 *
 * NaN and infinite entries: scikit-image raises (NumPy's "Eigenvalues did
 * not converge") on a NaN entry; stria returns NaN at every rank of that
 * voxel and leaves the other voxels as they are, so NaN-masked data can be
 * analysed. An infinite entry gives NaN at every rank in 3-D and above; in
 * 2-D the closed form `(a + c)/2 ± r/2` gives an infinity, and NaN or the
 * opposite infinity for the other eigenvalue.
 *
 * @param elements The upper-triangular entries in row-major order, as returned by `structureTensor`.
 *
 * @example
 * ```ts
 * import { ndarray } from "../array/ndarray.ts";
 * import { structureTensorEigenvalues } from "./structure_tensor_eigenvalues.ts";
 *
 * // One voxel holding the matrix [[2, 1], [1, 2]]: eigenvalues 3 and 1.
 * const entry = (v: number) => ndarray(new Float64Array([v]), [1]);
 * const eigen = structureTensorEigenvalues([entry(2), entry(1), entry(2)]);
 * console.log(eigen.shape, Array.from(eigen.data)); // [2, 1] [3, 1]
 * ```
 */
export function structureTensorEigenvalues(
  elements: readonly NdArray[],
  options?: StructureTensorEigenvaluesOptions & { precision?: "float64" },
): NdArray<Float64Array>;
/** With `precision: "float32"`: a float32 result. */
export function structureTensorEigenvalues(
  elements: readonly NdArray[],
  options: StructureTensorEigenvaluesOptions & { precision: "float32" },
): NdArray<Float32Array>;
/** Float64 or float32, as `options.precision` says. */
export function structureTensorEigenvalues(
  elements: readonly NdArray[],
  options?: StructureTensorEigenvaluesOptions,
): NdArray<Float64Array | Float32Array>;
export function structureTensorEigenvalues(
  elements: readonly NdArray[],
  options: StructureTensorEigenvaluesOptions = {},
): NdArray<Float64Array | Float32Array> {
  const fn = "structureTensorEigenvalues";
  checkArgumentCount(fn, arguments.length, ["elements", "options"]);
  const request = checkRequest(fn, elements, options, false);
  const { job, planes, threads } = request;
  if (job === null) eigenvaluesHere(request);
  else runEigenJob(job, planes, threads);
  releaseCopies(request);
  return resultOf(request);
}

/**
 * {@linkcode structureTensorEigenvalues}, computed on worker threads while
 * the calling thread's event loop stays free: the same options (`threads`
 * workers, 1 included, which still leaves this thread free) and the same
 * values, bit for bit. 3-D entries only go to the workers (entries outside
 * SharedArrayBuffers are first copied into one, as `structureTensorAsync`
 * returns them shared); others are computed on the calling thread before
 * the promise resolves. Invalid arguments reject the promise with the
 * error the synchronous form throws. Without read permission on the
 * library's own modules, the calling thread computes.
 *
 * @param elements The upper-triangular entries in row-major order, as returned by `structureTensorAsync`; not modified while the promise is pending.
 *
 * @example
 * ```ts
 * import { ndarray } from "../array/ndarray.ts";
 * import { structureTensorEigenvaluesAsync } from "./structure_tensor_eigenvalues.ts";
 *
 * // One voxel holding the matrix [[3, 0, 0], [0, 2, 0], [0, 0, 1]].
 * const entry = (v: number) => ndarray(new Float64Array([v]), [1, 1, 1]);
 * const eigen = await structureTensorEigenvaluesAsync([3, 0, 0, 2, 0, 1].map(entry));
 * console.log(eigen.shape, Array.from(eigen.data, (v) => v.toFixed(12))); // [3, 1, 1, 1] ["3.000000000000", "2.000000000000", "1.000000000000"]
 * ```
 */
export function structureTensorEigenvaluesAsync(
  elements: readonly NdArray[],
  options?: StructureTensorEigenvaluesOptions & { precision?: "float64" },
): Promise<NdArray<Float64Array>>;
/** With `precision: "float32"`: a float32 result. */
export function structureTensorEigenvaluesAsync(
  elements: readonly NdArray[],
  options: StructureTensorEigenvaluesOptions & { precision: "float32" },
): Promise<NdArray<Float32Array>>;
/** Float64 or float32, as `options.precision` says. */
export function structureTensorEigenvaluesAsync(
  elements: readonly NdArray[],
  options?: StructureTensorEigenvaluesOptions,
): Promise<NdArray<Float64Array | Float32Array>>;
export async function structureTensorEigenvaluesAsync(
  elements: readonly NdArray[],
  options: StructureTensorEigenvaluesOptions = {},
): Promise<NdArray<Float64Array | Float32Array>> {
  const fn = "structureTensorEigenvaluesAsync";
  checkArgumentCount(fn, arguments.length, ["elements", "options"]);
  const request = checkRequest(fn, elements, options, true);
  const { job, planes, threads } = request;
  if (job === null) eigenvaluesHere(request);
  else await runEigenJobAsync("eigen", job, planes, threads);
  releaseCopies(request);
  return resultOf(request);
}

/**
 * The checked arguments of `structureTensorEigenvalues`: the entries as
 * flat arrays, the result's array, and the job for worker threads (null:
 * computed on this thread).
 */
interface EigenRequest {
  ndim: number;
  shape: number[];
  size: number;
  flat: ArrayLike<number>[];
  /** Shared copies of entries made for the workers, handed back once computed. */
  copies: (Float64Array | Float32Array)[];
  out: Float64Array | Float32Array;
  kernels: SimdKernels | null;
  job: EigenJob | null;
  planes: number;
  threads: number;
}

/**
 * Checks the arguments of `fn` and allocates the result; with
 * `offThread`, 3-D entries always get a job for the workers.
 */
function checkRequest(
  fn: string,
  elements: readonly NdArray[],
  options: StructureTensorEigenvaluesOptions,
  offThread: boolean,
): EigenRequest {
  const { ndim, shape, size } = checkElements(fn, elements, "any");
  checkOptionsObject(fn, options, ["precision", "threads"]);
  const precision = checkPrecision(fn, options.precision);
  checkAllocation(
    fn,
    `the eigenvalues of shape [${ndim}, ${shape.join(", ")}]`,
    ndim * size,
    precision === "float32" ? 4 : 8,
  );
  const threads = resolveThreads(fn, options.threads, size);
  const given = elements.map((element) => contiguousValues(element, size));
  let flat = given;
  const inShared = flat.every((entry) =>
    ArrayBuffer.isView(entry) && entry.buffer instanceof SharedArrayBuffer
  );
  // Worker threads only read entries that are shared (as `structureTensor` returns them with threads).
  const shared = ndim === 3 &&
    (offThread || (threads > 1 && shape[0] > 1 && inShared));
  if (shared && !inShared) flat = flat.map(sharedFloats);
  // The shared copies made here, not entries that were shared already.
  const copies = flat.filter((entry, i) => entry !== given[i]) as (
    | Float64Array
    | Float32Array
  )[];
  const out = floatArray(ndim * size, precision === "float32", shared);
  // The SIMD kernel takes entries of the output's float type (float32 ones in float32 arithmetic).
  const Out = precision === "float32" ? Float32Array : Float64Array;
  const kernels = ndim === 3 && flat.every((entry) => entry instanceof Out)
    ? simdKernels()
    : null;
  const job = shared
    ? {
      entries: flat as (Float64Array | Float32Array)[],
      planeSize: size / shape[0],
      out,
      simd: kernels !== null,
    }
    : null;
  return {
    ndim,
    shape,
    size,
    flat,
    copies,
    out,
    kernels,
    job,
    planes: shape[0],
    threads,
  };
}

/** Hands back the shared copies a computed request made (see `releaseShared`). */
function releaseCopies({ copies }: EigenRequest): void {
  releaseShared(...copies.map((copy) => copy.buffer));
}

/** Computes the eigenvalues of a request without a job on this thread. */
function eigenvaluesHere(
  { ndim, size, flat, out, kernels }: EigenRequest,
): void {
  if (ndim === 2) eigenvalues2(flat, size, out);
  else if (kernels !== null) {
    symmetric3Simd(
      kernels,
      flat as (Float64Array | Float32Array)[],
      0,
      size,
      stackViews(out, 3, size),
      null,
    );
  } else if (ndim === 3) eigenvalues3(flat, size, out);
  else eigenvaluesN(flat, ndim, size, out);
}

/** The result of a computed request, shape `[ndim, ...shape]`. */
function resultOf(
  { ndim, shape, out }: EigenRequest,
): NdArray<Float64Array | Float32Array> {
  const outShape = [ndim, ...shape];
  return ndarray(out, outShape, contiguousStrides(outShape), 0);
}
