import { checkAllocation } from "../_allocation.ts";
import { checkArgumentCount } from "../_options_object.ts";
import { contiguousStrides } from "../array/_strided.ts";
import { type NdArray, ndarray } from "../deps.ts";
import {
  floatArray,
  resolveThreads,
  sharedFloats,
} from "../parallel/_threads.ts";
import { releaseShared } from "../parallel/_shared_buffers.ts";
import { simdKernels } from "../wasm/_simd_kernels.ts";
import { stackViews } from "./_eigenvalue_input.ts";
import { eigenvectors2 } from "./_symmetric_eigenvectors.ts";
import { checkElements, contiguousValues } from "./_tensor_elements.ts";
import { eigenvectorsOfRange, runEigenJobAsync } from "./_tensor_kernel.ts";

/**
 * Unit eigenvectors of the structure tensor at every voxel, in 2-D and 3-D:
 * a new C-contiguous float64 array of shape `[ndim, ndim, ...shape]` whose
 * element `[rank, component, ...index]` is component `component` (axis
 * order: z, y, x in 3-D; row, col in 2-D) of the eigenvector of the
 * `rank`-th largest eigenvalue, ranks as in `structureTensorEigenvalues`
 * (decreasing), so `vectors[rank, :, ...index]` pairs with
 * `eigenvalues[rank, ...index]`.
 *
 * - Orthonormal at every voxel. A repeated (or nearly repeated) eigenvalue
 *   gets an orthonormal basis of its eigenspace.
 * - Sign rule: each vector's component of largest magnitude is positive,
 *   the first in axis order among components of equal magnitude. The three
 *   vectors of a 3-D voxel therefore need not form a right-handed frame.
 * - A zero tensor or a multiple of the identity gives the coordinate axes:
 *   rank k along axis k. A tensor with a non-finite entry gives NaN.
 *
 * NaN and infinite entries: every component of every vector of that voxel
 * is NaN, the other voxels unchanged (scikit-image has no eigenvector
 * function; NumPy's `eigh` raises).
 *
 * Method, on the matrix scaled by its largest entry (as the eigenvalue
 * solver, so tiny, subnormal and huge tensors work alike, up to the float64
 * maximum where the eigenvalues themselves overflow):
 * - 2-D: the Jacobi rotation of the 2×2 matrix, (h + r, a01) or (a01, r - h)
 *   with h = (a00 - a11)/2 and r = sqrt(h² + a01²), whichever has no
 *   cancellation (Golub & Van Loan, "Matrix Computations", §8.5).
 * - 3-D: the eigenvalues of `structureTensorEigenvalues` (Smith's closed
 *   form, O. K. Smith, Commun. ACM 4(4), 1961, with deflation of close
 *   pairs); the more isolated extreme eigenvalue μ gets the largest cross
 *   product of two rows of A - μI (J. Kopp, "Efficient numerical
 *   diagonalization of hermitian 3x3 matrices", Int. J. Mod. Phys. C 19,
 *   523, 2008, arXiv:physics/0610206); the other two are the 2×2 rotation of A
 *   restricted to the plane orthogonal to it, which resolves close and
 *   equal pairs as the solver's deflation does.
 *
 * Accuracy, relative to the largest entry (measured on 2·10^5 rotated
 * tensors with gaps from 0 to 0.5): ‖Av - vᵀAv·v‖ below 2e-15, ‖Av - λv‖
 * with `structureTensorEigenvalues`' λ below 2e-14 (the eigenvalues' own
 * error near the solver's deflation threshold), ‖VᵀV - I‖ below 2e-15; a
 * direction is accurate to about 1e-16 divided by the gap to the nearest
 * other eigenvalue.
 *
 * @param elements The upper-triangular entries in row-major order, as
 * returned by `structureTensor`: [Arr, Arc, Acc] in 2-D, [Azz, Azy, Azx,
 * Ayy, Ayx, Axx] in 3-D; ndarrays (views accepted) of one shape.
 *
 * @example
 * ```ts
 * import { ndarray } from "../array/ndarray.ts";
 * import { structureTensorEigenvectors } from "./structure_tensor_eigenvectors.ts";
 *
 * // One voxel holding [[2, 1], [1, 2]]: eigenvalue 3 along (1, 1)/√2, 1 along (1, -1)/√2.
 * const entry = (v: number) => ndarray(new Float64Array([v]), [1]);
 * const vectors = structureTensorEigenvectors([entry(2), entry(1), entry(2)]);
 * console.log(vectors.shape, Array.from(vectors.data, (v) => v.toFixed(4))); // [2, 2, 1] ["0.7071", "0.7071", "0.7071", "-0.7071"]
 * ```
 */
export function structureTensorEigenvectors(
  elements: readonly NdArray[],
): NdArray<Float64Array> {
  const fn = "structureTensorEigenvectors";
  checkArgumentCount(fn, arguments.length, ["elements"]);
  const request = checkRequest(fn, elements, false);
  const { ndim, flat, size, out } = request;
  if (ndim === 2) eigenvectors2(flat, size, stackViews(out, 4, size));
  else eigenvectorsOfRange(flat, 0, size, out);
  return resultOf(request);
}

/**
 * {@linkcode structureTensorEigenvectors}, computed on worker threads (the
 * number of logical cores, at most 8, or 1 below 2^17 voxels) while the
 * calling thread's event loop stays free: the same vectors, bit for bit.
 * 3-D entries only go to the workers (entries outside SharedArrayBuffers
 * are first copied into one, as `structureTensorAsync` returns them
 * shared); 2-D ones are computed on the calling thread before the promise
 * resolves. Invalid arguments reject the promise with the error the
 * synchronous form throws. Without read permission on the library's own
 * modules, the calling thread computes.
 *
 * @param elements The upper-triangular entries in row-major order, as returned by `structureTensorAsync`; not modified while the promise is pending.
 *
 * @example
 * ```ts
 * import { ndarray } from "../array/ndarray.ts";
 * import { structureTensorEigenvectorsAsync } from "./structure_tensor_eigenvectors.ts";
 *
 * // One voxel holding diag(1, 3, 2): rank 0 (eigenvalue 3) along y, rank 1 along x, rank 2 along z.
 * const entry = (v: number) => ndarray(new Float64Array([v]), [1, 1, 1]);
 * const vectors = await structureTensorEigenvectorsAsync([1, 0, 0, 3, 0, 2].map(entry));
 * console.log(vectors.shape, Array.from(vectors.data)); // [3, 3, 1, 1, 1] [0, 1, 0, 0, 0, 1, 1, 0, 0]
 * ```
 */
export async function structureTensorEigenvectorsAsync(
  elements: readonly NdArray[],
): Promise<NdArray<Float64Array>> {
  const fn = "structureTensorEigenvectorsAsync";
  checkArgumentCount(fn, arguments.length, ["elements"]);
  const request = checkRequest(fn, elements, true);
  const { ndim, shape, flat, size, out } = request;
  if (ndim === 2) eigenvectors2(flat, size, stackViews(out, 4, size));
  else {
    const entries = flat.map(sharedFloats);
    await runEigenJobAsync(
      "vectors",
      {
        entries,
        planeSize: size / shape[0],
        out,
        simd: simdKernels() !== null &&
          entries.every((entry) => entry instanceof Float64Array),
      },
      shape[0],
      resolveThreads(fn, undefined, size),
    );
    // The shared copies made here (not entries that were shared already) are this call's own.
    releaseShared(
      ...entries.filter((entry, i) => entry !== flat[i]).map((e) => e.buffer),
    );
  }
  return resultOf(request);
}

/** The checked entries of `fn` as flat arrays, and the result's array (shared for workers with `offThread`). */
function checkRequest(
  fn: string,
  elements: readonly NdArray[],
  offThread: boolean,
): {
  ndim: number;
  shape: number[];
  size: number;
  flat: ArrayLike<number>[];
  out: Float64Array;
} {
  const { ndim, shape, size } = checkElements(fn, elements, [2, 3]);
  checkAllocation(
    fn,
    `the eigenvectors of shape [${ndim}, ${ndim}, ${shape.join(", ")}]`,
    ndim * ndim * size,
    8,
  );
  const flat = elements.map((element) => contiguousValues(element, size));
  const out = floatArray(
    ndim * ndim * size,
    false,
    offThread && ndim === 3,
  ) as Float64Array;
  return { ndim, shape, size, flat, out };
}

/** The vectors of a computed request, shape `[ndim, ndim, ...shape]`. */
function resultOf(
  { ndim, shape, out }: { ndim: number; shape: number[]; out: Float64Array },
): NdArray<Float64Array> {
  const outShape = [ndim, ndim, ...shape];
  return ndarray(out, outShape, contiguousStrides(outShape), 0);
}
