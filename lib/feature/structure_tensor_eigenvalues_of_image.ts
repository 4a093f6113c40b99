import { checkAllocation } from "../_allocation.ts";
import { argumentError } from "../_errors.ts";
import { checkArgumentCount } from "../_options_object.ts";
import {
  checkNdArray,
  contiguousStrides,
  type NumericNdArray,
  sizeOf,
} from "../array/_strided.ts";
import { type NdArray, ndarray } from "../deps.ts";
import { resolveThreads } from "../parallel/_threads.ts";
import { checkTensorOptions } from "./_options.ts";
import {
  tensor3d,
  tensor3dAsync,
  type Tensor3dSettings,
} from "./_tensor_3d.ts";
import type { TensorJob } from "./_tensor_plan.ts";
import type { TensorWindowOptions } from "./tensor_window_options.ts";

/** Options of {@linkcode structureTensorEigenvaluesOfImage}. */
export interface StructureTensorEigenvaluesOfImageOptions
  extends TensorWindowOptions {
  /**
   * `"float64"` (default): the same values as
   * `structureTensorEigenvalues(structureTensor(image, options))`.
   * `"float32"`: every intermediate and the result in float32, computed in
   * float32 arithmetic on the WebAssembly SIMD kernels (half the memory of
   * every array, about twice the speed); the eigenvalues then differ from
   * the float64 ones by about 2e-6 of the largest eigenvalue's magnitude
   * (worst measured 2.3e-6 on the 16 × 512 × 512 benchmark volume, sigma
   * (1, 1.5, 2.5)); tested bound 1e-5 (see docs/scaling.md).
   */
  precision?: "float64" | "float32";
  /**
   * The calling thread plus `threads - 1` workers, each computing slabs of
   * planes along axis 0. Default: the number of logical cores (at most 8), or
   * 1 below 2^17 voxels. 1: no workers. The workers are the process's, as
   * `structureTensor`'s.
   */
  threads?: number;
}

/**
 * Eigenvalues of the structure tensor of a 3-D image in one fused pass:
 * `structureTensorEigenvalues(structureTensor(image, options))` without ever
 * holding the six tensor entries as whole volumes. Each thread computes a
 * slab of planes along axis 0 (with the halo the Sobel and Gaussian need
 * along Z): Sobel derivatives of the planes in its window, the Z pass of
 * the six Gaussians fused with the products `d_i · d_j`, the Y and X passes,
 * then the eigenvalues of each plane at once (Smith's closed form with
 * deflation for close pairs, as `structureTensorEigenvalues`), on
 * WebAssembly SIMD kernels where the runtime has them. Every pass keeps
 * SciPy's order and summation order, so float64 results equal the two-step
 * ones bit for bit.
 *
 * Memory: a shared copy of the image (its own integer type, converted as
 * rows are read), the result (3 × the image in float64, or float32 with
 * `precision: "float32"`), and per thread a window of about
 * `3·(2r+1) + 25` bands of `2^14 / X + 2·r_y + 2` rows, r and r_y the
 * Gaussian radii along Z and Y (`trunc(4·sigma + 0.5)`): about 10 MB in
 * float64 for 512-wide planes and sigma (1, 1.5, 2.5), whatever the number
 * of planes or rows. On 16 × 512 × 512 uint16 that is about a third of the
 * peak memory of scikit-image (see docs/scaling.md).
 *
 * NaN and infinite values: as `structureTensor`'s entries, then
 * `structureTensorEigenvalues`: every rank is NaN in the box of half-width
 * `1 + r_a` around a NaN or infinite voxel, r_a the Gaussian radius along
 * axis a; scikit-image raises on NaN instead.
 *
 * Reference: scikit-image's `structure_tensor` and
 * `structure_tensor_eigenvalues`; O. K. Smith, "Eigenvalues of a symmetric
 * 3 × 3 matrix", Commun. ACM 4(4), 1961.
 *
 * @param image A 3-D ndarray (any dtype, any strides); not modified.
 * @returns The eigenvalues, shape `[3, ...image.shape]`, largest first.
 *
 * @example
 * ```ts
 * import { ndarray } from "../array/ndarray.ts";
 * import { structureTensorEigenvaluesOfImage } from "./structure_tensor_eigenvalues_of_image.ts";
 *
 * const cube = ndarray(new Float64Array(5 * 5 * 5), [5, 5, 5]);
 * cube.set(2, 2, 2, 1);
 * const eigen = structureTensorEigenvaluesOfImage(cube, { sigma: 0.1 });
 * console.log(eigen.shape, eigen.get(0, 2, 2, 1)); // [3, 5, 5, 5] 16
 * ```
 */
export function structureTensorEigenvaluesOfImage(
  image: NdArray,
  options?: StructureTensorEigenvaluesOfImageOptions & {
    precision?: "float64";
  },
): NdArray<Float64Array>;
/** With `precision: "float32"`: a float32 result. */
export function structureTensorEigenvaluesOfImage(
  image: NdArray,
  options: StructureTensorEigenvaluesOfImageOptions & { precision: "float32" },
): NdArray<Float32Array>;
/** Float64 or float32, as `options.precision` says. */
export function structureTensorEigenvaluesOfImage(
  image: NdArray,
  options?: StructureTensorEigenvaluesOfImageOptions,
): NdArray<Float64Array | Float32Array>;
export function structureTensorEigenvaluesOfImage(
  image: NdArray,
  options: StructureTensorEigenvaluesOfImageOptions = {},
): NdArray<Float64Array | Float32Array> {
  const fn = "structureTensorEigenvaluesOfImage";
  checkArgumentCount(fn, arguments.length, ["image", "options"]);
  const { volume, settings } = checkRequest(fn, image, options);
  return eigenvaluesOf(tensor3d(volume, settings));
}

/**
 * {@linkcode structureTensorEigenvaluesOfImage}, computed on worker threads
 * while the calling thread's event loop stays free: the same options
 * (`threads` workers, 1 included, which still leaves this thread free) and
 * the same values, bit for bit. Invalid arguments reject the promise with
 * the error the synchronous form throws. Without read permission on the
 * library's own modules (which a worker needs to load them), the calling
 * thread computes, as the synchronous form does then.
 *
 * @param image A 3-D ndarray (any dtype, any strides); not modified while the promise is pending.
 * @returns The eigenvalues, shape `[3, ...image.shape]`, largest first.
 *
 * @example
 * ```ts
 * import { ndarray } from "../array/ndarray.ts";
 * import { structureTensorEigenvaluesOfImageAsync } from "./structure_tensor_eigenvalues_of_image.ts";
 *
 * const cube = ndarray(new Float64Array(5 * 5 * 5), [5, 5, 5]);
 * cube.set(2, 2, 2, 1);
 * const eigen = await structureTensorEigenvaluesOfImageAsync(cube, { sigma: 0.1 });
 * console.log(eigen.shape, eigen.get(0, 2, 2, 1)); // [3, 5, 5, 5] 16
 * ```
 */
export function structureTensorEigenvaluesOfImageAsync(
  image: NdArray,
  options?: StructureTensorEigenvaluesOfImageOptions & {
    precision?: "float64";
  },
): Promise<NdArray<Float64Array>>;
/** With `precision: "float32"`: a float32 result. */
export function structureTensorEigenvaluesOfImageAsync(
  image: NdArray,
  options: StructureTensorEigenvaluesOfImageOptions & { precision: "float32" },
): Promise<NdArray<Float32Array>>;
/** Float64 or float32, as `options.precision` says. */
export function structureTensorEigenvaluesOfImageAsync(
  image: NdArray,
  options?: StructureTensorEigenvaluesOfImageOptions,
): Promise<NdArray<Float64Array | Float32Array>>;
export async function structureTensorEigenvaluesOfImageAsync(
  image: NdArray,
  options: StructureTensorEigenvaluesOfImageOptions = {},
): Promise<NdArray<Float64Array | Float32Array>> {
  const fn = "structureTensorEigenvaluesOfImageAsync";
  checkArgumentCount(fn, arguments.length, ["image", "options"]);
  const { volume, settings } = checkRequest(fn, image, options);
  return eigenvaluesOf(await tensor3dAsync(volume, settings));
}

/** Checks the arguments of `fn`: the image and what `tensor3d` is to compute of it. */
function checkRequest(
  fn: string,
  image: NdArray,
  options: StructureTensorEigenvaluesOfImageOptions,
): { volume: NumericNdArray; settings: Tensor3dSettings } {
  checkNdArray(fn, "image", image, { minDims: 3 });
  if (image.shape.length !== 3) {
    throw argumentError(fn, "image", image, "a 3-D ndarray");
  }
  const settings = checkTensorOptions(fn, options, 3, ["threads"]);
  checkAllocation(
    fn,
    `the eigenvalues of shape [3, ${image.shape.join(", ")}]`,
    3 * sizeOf(image.shape),
    settings.precision === "float32" ? 4 : 8,
  );
  const threads = resolveThreads(fn, options.threads, sizeOf(image.shape));
  return {
    volume: image,
    settings: { ...settings, threads, output: "eigenvalues" },
  };
}

/** The eigenvalues of a computed job, as an ndarray `[3, ...shape]`. */
function eigenvaluesOf(job: TensorJob): NdArray<Float64Array | Float32Array> {
  const shape = [3, ...job.shape];
  return ndarray(job.eigen!, shape, contiguousStrides(shape), 0);
}
