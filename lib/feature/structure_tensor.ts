import { checkAllocation } from "../_allocation.ts";
import { argumentError } from "../_errors.ts";
import { checkArgumentCount } from "../_options_object.ts";
import {
  checkNdArray,
  contiguousStrides,
  dtypeOf,
  type NumericNdArray,
  sizeOf,
} from "../array/_strided.ts";
import { toFloatContiguous } from "../array/img_as_float.ts";
import { type NdArray, ndarray } from "../deps.ts";
import { gaussianInPlace } from "../filters/_gaussian.ts";
import { sobelInPlace } from "../filters/_sobel.ts";
import { resolveThreads } from "../parallel/_threads.ts";
import {
  checkTensorOptions,
  TENSOR_TRUNCATE,
  type TensorSettings,
} from "./_options.ts";
import {
  tensor3d,
  tensor3dAsync,
  type Tensor3dSettings,
} from "./_tensor_3d.ts";
import type { TensorJob } from "./_tensor_plan.ts";
import type { TensorWindowOptions } from "./tensor_window_options.ts";

/** Options of {@linkcode structureTensor}. */
export interface StructureTensorOptions extends TensorWindowOptions {
  /**
   * `"rc"` (default): derivatives in axis order, giving (Arr, Arc, Acc) in 2-D.
   * `"xy"`: 2-D only, derivatives in reverse order, giving (Acc, Arc, Arr).
   */
  order?: "rc" | "xy";
  /**
   * `"float64"` (default) or `"float32"`: every intermediate and the
   * entries as float32, computed in float32 arithmetic on the WebAssembly
   * SIMD kernels (four voxels per instruction): half the memory of every
   * array and about twice the speed. Entries then differ from the float64
   * ones by float32 rounding: worst measured 3.2e-7 of the entry's largest
   * magnitude (16 × 512 × 512 benchmark volume, sigma (1, 1.5, 2.5)); tested
   * bound 2e-6 (see docs/scaling.md). Without WebAssembly SIMD, float32
   * storage with float64 sums (scikit-image's way with float32 input, which
   * float32 input without this option always gets).
   */
  precision?: "float64" | "float32";
  /**
   * Threads for 3-D images: the calling thread plus `threads - 1` workers,
   * each computing slabs of planes along axis 0. Default: the number of
   * logical cores (at most 8), or 1 below 2^17 voxels. 1: no workers. The
   * workers are the process's: started on the first call, reused by every
   * later one, at most 8 (more threads split the work finer, on the same
   * workers); the `…Async` form runs on `threads` workers.
   */
  threads?: number;
}

/**
 * Structure tensor of an n-D image, as scikit-image 0.19's
 * `skimage.feature.structure_tensor`: the image is converted with
 * `imgAsFloat`, differentiated with the Sobel operator along every axis
 * (`mode`/`cval` as given), and each product `d_i · d_j`, i <= j, is smoothed
 * with a Gaussian (`sigma`, same `mode`/`cval`). Returns the
 * `ndim·(ndim+1)/2` upper-triangular entries in row-major order: in 3-D
 * (0,0), (0,1), (0,2), (1,1), (1,2), (2,2).
 *
 * Float32 input is kept in float32 as scikit-image does (float64
 * accumulation, float32 storage after every pass), so its results carry
 * float32 rounding; every other type gives float64. Unlike scikit-image,
 * axes of length 1 are not squeezed away, and images of more than 5
 * dimensions are accepted.
 *
 * 3-D images are computed slab by slab along axis 0 (Sobel derivatives of
 * the planes within the Gaussian radius, the Z pass fused with the products,
 * then the Y and X passes per plane), on `threads` threads sharing the
 * result through SharedArrayBuffers; the values are the same as the
 * whole-volume steps, bit for bit. See docs/scaling.md.
 *
 * NaN and infinite values propagate, as in scikit-image: a NaN voxel makes
 * every entry NaN in the box of half-width `1 + r_a` around it along each
 * axis a (1 for the Sobel derivative, `r_a = trunc(4·sigma_a + 0.5)` for the
 * Gaussian, in voxels) and leaves the rest untouched, so voxels masked as
 * NaN spoil only their neighbourhood; an infinite voxel gives NaN or
 * infinite entries in the same box.
 *
 * Reference: https://en.wikipedia.org/wiki/Structure_tensor
 *
 * @param image A 2-D or higher ndarray; not modified.
 * @returns The tensor entries, each a C-contiguous array of the image's shape.
 *
 * @example
 * ```ts
 * import { ndarray } from "../array/ndarray.ts";
 * import { structureTensor } from "./structure_tensor.ts";
 *
 * const square = ndarray(new Float64Array(25), [5, 5]);
 * square.set(2, 2, 1);
 * const [arr, arc, acc] = structureTensor(square, { sigma: 0.1 });
 * console.log(acc.get(2, 1), arr.get(1, 2), arc.get(1, 1)); // 4 4 1
 * ```
 */
export function structureTensor(
  image: NdArray,
  options: StructureTensorOptions = {},
): NdArray<Float64Array | Float32Array>[] {
  const fn = "structureTensor";
  checkArgumentCount(fn, arguments.length, ["image", "options"]);
  const request = checkRequest(fn, image, options);
  if (request.settings === null) return wholeImageTensor(request);
  return entriesOf(tensor3d(request.image, request.settings));
}

/**
 * {@linkcode structureTensor}, computed on worker threads while the calling
 * thread's event loop stays free: the same options (`threads` workers, 1
 * included, which still leaves this thread free) and the same entries, bit
 * for bit, in SharedArrayBuffers (so `structureTensorEigenvaluesAsync`
 * reads them without a copy). 3-D images only go to the workers: others
 * are computed on the calling thread, as by `structureTensor`, before the
 * promise resolves. Invalid arguments reject the promise with the error
 * the synchronous form throws. Without read permission on the library's
 * own modules (which a worker needs to load them), the calling thread
 * computes.
 *
 * @param image A 2-D or higher ndarray; not modified while the promise is pending.
 * @returns The tensor entries, each a C-contiguous array of the image's shape.
 *
 * @example
 * ```ts
 * import { ndarray } from "../array/ndarray.ts";
 * import { structureTensorAsync } from "./structure_tensor.ts";
 *
 * const cube = ndarray(new Float64Array(5 * 5 * 5), [5, 5, 5]);
 * cube.set(2, 2, 2, 1);
 * const entries = await structureTensorAsync(cube, { sigma: 0.1 });
 * console.log(entries.length, entries[0].get(1, 2, 2)); // 6 16
 * ```
 */
export async function structureTensorAsync(
  image: NdArray,
  options: StructureTensorOptions = {},
): Promise<NdArray<Float64Array | Float32Array>[]> {
  const fn = "structureTensorAsync";
  checkArgumentCount(fn, arguments.length, ["image", "options"]);
  const request = checkRequest(fn, image, options);
  if (request.settings === null) return wholeImageTensor(request);
  return entriesOf(await tensor3dAsync(request.image, request.settings));
}

/** The checked arguments of `structureTensor`: `settings` for `tensor3d` (3-D) or null. */
interface TensorRequest {
  image: NumericNdArray;
  options: StructureTensorOptions;
  checked: TensorSettings;
  settings: Tensor3dSettings | null;
}

/** Checks the arguments of `fn`. */
function checkRequest(
  fn: string,
  image: NdArray,
  options: StructureTensorOptions,
): TensorRequest {
  checkNdArray(fn, "image", image, { minDims: 2 });
  const ndim = image.shape.length;
  const checked = checkTensorOptions(fn, options, ndim, ["order", "threads"]);
  const { order = "rc" } = options;
  if (order !== "rc" && order !== "xy") {
    throw argumentError(fn, "order", order, `"rc" or "xy"`);
  }
  if (order === "xy" && ndim > 2) {
    throw argumentError(
      fn,
      "order",
      order,
      `"rc" for a ${ndim}-D image ("xy" is 2-D only)`,
    );
  }
  const entries = (ndim * (ndim + 1)) / 2;
  checkAllocation(
    fn,
    `the ${entries} entries of shape [${image.shape.join(", ")}]`,
    entries * sizeOf(image.shape),
    checked.precision === "float32" || dtypeOf(image) === "float32" ? 4 : 8,
  );
  const threads = resolveThreads(fn, options.threads, sizeOf(image.shape));
  const settings = ndim === 3
    ? { ...checked, threads, output: "elements" as const }
    : null;
  return { image, options, checked, settings };
}

/** The entries of a computed 3-D job, as ndarrays of its shape. */
function entriesOf(job: TensorJob): NdArray<Float64Array | Float32Array>[] {
  const shape = job.shape.slice();
  const strides = contiguousStrides(shape);
  return job.elements!.map((entry) => ndarray(entry, shape, strides, 0));
}

/** The entries of a 2-D or n-D (n > 3) image, whole-volume step by step on this thread. */
function wholeImageTensor(
  { image, options, checked }: TensorRequest,
): NdArray<Float64Array | Float32Array>[] {
  const { sigmas, spacing, mode, cval, precision } = checked;
  const { order = "rc" } = options;
  const ndim = image.shape.length;
  const shape = image.shape.slice();
  const strides = contiguousStrides(shape);
  const size = sizeOf(shape);
  const floats = precision === "float32"
    ? Float32Array.from(toFloatContiguous(image).data)
    : toFloatContiguous(image).data;
  const derivatives: (Float64Array | Float32Array)[] = [];
  for (let axis = 0; axis < ndim; axis++) {
    // The last derivative may overwrite the converted image, which is no longer needed.
    const derivative = axis === ndim - 1 ? floats : floats.slice();
    sobelInPlace(derivative, shape, axis, mode, cval);
    if (spacing !== null) {
      // The derivative per unit of length along the axis.
      const inverse = 1 / spacing[axis];
      for (let k = 0; k < size; k++) derivative[k] *= inverse;
    }
    derivatives.push(derivative);
  }
  if (order === "xy") derivatives.reverse();

  const elements: NdArray<Float64Array | Float32Array>[] = [];
  for (let i = 0; i < ndim; i++) {
    for (let j = i; j < ndim; j++) {
      const di = derivatives[i];
      const dj = derivatives[j];
      // Entry (i, ndim-1) is the last use of d_i: its product may overwrite d_i's buffer.
      const product = j === ndim - 1
        ? di
        : floats instanceof Float32Array
        ? new Float32Array(size)
        : new Float64Array(size);
      for (let k = 0; k < size; k++) product[k] = di[k] * dj[k];
      gaussianInPlace(product, shape, sigmas, mode, cval, TENSOR_TRUNCATE);
      elements.push(ndarray(product, shape, strides, 0));
    }
  }
  return elements;
}
