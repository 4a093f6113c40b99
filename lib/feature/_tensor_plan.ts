/**
 * Private: what one 3-D structure-tensor computation does, and how it is cut
 * into units of work, decided once for every backend and thread.
 *
 * A slab of output planes [z0, z1) needs the Sobel derivatives of the planes
 * within the Gaussian radius along Z (its halo), found through the boundary
 * rule, so slabs are independent and can run on any thread. Each plane is
 * further cut into bands of rows, each with its own halo of rows (Gaussian
 * radius along Y plus the Sobel's 1), so a thread's working set is a few
 * megabytes whatever the plane size. The plan holds the Gaussian weights and
 * the bands' extents and buffer sizes; `bandOf` gives a band's rows (what its
 * passes read, boundary-mapped) when a thread starts it, and `tensorUnits`
 * the units (planes × band) handed to threads.
 *
 * @module
 */

import { sourceIndex } from "../filters/_boundary.ts";
import { gaussianKernel, gaussianRadius } from "../filters/_gaussian.ts";
import type { NumericArray } from "../array/types.ts";
import type { BoundaryMode } from "../filters/boundary_mode.ts";
import type { AnalysisTargets } from "./_tensor_analysis.ts";

/** What one structure-tensor run computes; the arrays may live in SharedArrayBuffers. */
export interface TensorJob {
  /**
   * The image after `imgAsFloat`, C-contiguous, of `shape`; or, with
   * `conversion` (SIMD kernels only), its raw integers, converted as rows
   * are read.
   */
  input: Float64Array | Float32Array | NumericArray;
  /** `imgAsFloat`'s rule for integer `input`: `x · scale`, clamped at -1 when signed. */
  conversion: { scale: number; signed: boolean } | null;
  shape: readonly [number, number, number];
  /** The Gaussian's sigma along Z, Y and X, in voxels. */
  sigmas: readonly number[];
  /** A voxel's size along Z, Y and X, which divides each derivative; null: 1 (scikit-image's). */
  spacing: readonly number[] | null;
  mode: BoundaryMode;
  cval: number;
  /**
   * Float32 data: on the JavaScript kernels, every intermediate is stored as
   * float32 and summed in float64 (as SciPy does for float32 input); on the
   * SIMD kernels, all arithmetic is float32.
   */
  float32: boolean;
  /** Run on the WebAssembly SIMD kernels when the runtime has them. */
  simd: boolean;
  /**
   * The planes whose results are stored, [first, end) (the whole volume, or
   * a block's planes without its halo): plane z of an entry or an
   * eigenvalue rank is at `(z - first)·planeSize`, and each entry or rank
   * spans `(end - first)·planeSize` values.
   */
  outputPlanes: readonly [number, number];
  /** Where to write the six tensor entries (each of `outputPlanes`' size), or null. */
  elements: (Float64Array | Float32Array)[] | null;
  /** Where to write the eigenvalues, `[3, end - first, ny, nx]`, or null. */
  eigen: Float64Array | Float32Array | null;
  /** What the fused analysis derives from them, and where it writes it (absent: nothing). */
  analysis?: AnalysisTargets | null;
  /** Voxels per band of rows (default 2^14); tests use tiny bands to cross many band edges. */
  bandVoxels?: number;
}

/** Rows of a plane held in a buffer: `rows[slot]` is a real row, `slotOf[row]` its slot or -1. */
interface RowSet {
  rows: Int32Array;
  slotOf: Int32Array;
}

/** A band of output rows with the rows its passes read. */
export interface Band {
  out: Int32Array;
  /** The derivatives and Z sums the Y Gaussian reads. */
  rows1: RowSet;
  /** The inputs their Sobel reads. */
  rows2: RowSet;
}

/** The decisions shared by every backend and thread for one job. */
export interface TensorPlan {
  /** Gaussian weights along Z, Y and X; null for an axis left unsmoothed. */
  weights: readonly [
    Float64Array | null,
    Float64Array | null,
    Float64Array | null,
  ];
  /**
   * Sobel's difference kernel along Z, Y and X, divided by the voxel size
   * along that axis (exactly `DIFFERENCE` without spacing).
   */
  differences: readonly [Float64Array, Float64Array, Float64Array];
  /** The Gaussian radius along Z: each output plane reads `2·radius + 1` planes. */
  radius: number;
  /** The Gaussian radius along Y. */
  yRadius: number;
  /** How many bands of `bandRows` output rows cover a plane. */
  bands: number;
  /** The most rows any band's passes read (rows1, rows2), and output rows per band. */
  most1: number;
  most2: number;
  bandRows: number;
}

/** Entry (i, j) of the tensor, i <= j, in row-major upper-triangular order. */
export const PAIRS: readonly (readonly [number, number])[] = [
  [0, 0],
  [0, 1],
  [0, 2],
  [1, 1],
  [1, 2],
  [2, 2],
];
/** Sobel's difference and smoothing kernels. */
const DIFFERENCE = new Float64Array([-1, 0, 1]);
export const SMOOTHING = new Float64Array([1, 2, 1]);

/** Voxels per band of rows (before its halo): 32 rows of 512, a window of a few MB per thread, and enough bands to share between threads. */
const BAND_VOXELS = 1 << 14;

/** The Gaussian weights for `sigma` (truncate 4), or null for an axis left unsmoothed. */
function kernelOf(sigma: number): Float64Array | null {
  return sigma > 1e-15 ? gaussianKernel(sigma, gaussianRadius(sigma, 4)) : null;
}

/** The rows `from` needs along Y within `reach` rows (boundary-mapped), as a set. */
function rowsWithin(
  from: Int32Array,
  reach: number,
  ny: number,
  mode: BoundaryMode,
): RowSet {
  const marked = new Uint8Array(ny);
  for (const y of from) {
    for (let k = -reach; k <= reach; k++) {
      const s = sourceIndex(y + k, ny, mode);
      if (s >= 0) marked[s] = 1;
    }
  }
  const slotOf = new Int32Array(ny).fill(-1);
  const rows: number[] = [];
  for (let y = 0; y < ny; y++) {
    if (marked[y] === 1) {
      slotOf[y] = rows.length;
      rows.push(y);
    }
  }
  return { rows: Int32Array.from(rows), slotOf };
}

/** Band `b` of `plan`: its output rows and the rows its passes read. */
export function bandOf(job: TensorJob, plan: TensorPlan, b: number): Band {
  const ny = job.shape[1];
  const y0 = b * plan.bandRows;
  const out = Int32Array.from(
    { length: Math.min(plan.bandRows, ny - y0) },
    (_, j) => y0 + j,
  );
  const rows1 = rowsWithin(out, plan.yRadius, ny, job.mode);
  const rows2 = rowsWithin(rows1.rows, 1, ny, job.mode);
  return { out, rows1, rows2 };
}

/** The plan of `job`: weights, and the size of the bands of rows of every plane. */
export function planTensor(job: TensorJob): TensorPlan {
  const [, ny, nx] = job.shape;
  const weights = [
    kernelOf(job.sigmas[0]),
    kernelOf(job.sigmas[1]),
    kernelOf(job.sigmas[2]),
  ] as const;
  const bandRows = Math.max(
    1,
    Math.min(ny, Math.floor((job.bandVoxels ?? BAND_VOXELS) / Math.max(1, nx))),
  );
  const differenceAlong = (axis: number) =>
    job.spacing === null
      ? DIFFERENCE
      : DIFFERENCE.map((w) => w / job.spacing![axis]);
  const plan: TensorPlan = {
    weights,
    differences: [differenceAlong(0), differenceAlong(1), differenceAlong(2)],
    radius: weights[0] === null ? 0 : weights[0].length >> 1,
    yRadius: weights[1] === null ? 0 : weights[1].length >> 1,
    bands: Math.ceil(ny / bandRows),
    most1: 0,
    most2: 0,
    bandRows,
  };
  // Buffers are sized for the band that reads the most rows (each band's
  // row sets are built again, and dropped, by the thread that runs it).
  for (let b = 0; b < plan.bands; b++) {
    const { rows1, rows2 } = bandOf(job, plan, b);
    plan.most1 = Math.max(plan.most1, rows1.rows.length);
    plan.most2 = Math.max(plan.most2, rows2.rows.length);
  }
  return plan;
}

/** Splits planes [first, end) into `slabs` nearly equal slabs: their bounds. */
export function slabBounds(
  first: number,
  end: number,
  slabs: number,
): number[] {
  return Array.from(
    { length: slabs + 1 },
    (_, s) => first + Math.round((s * (end - first)) / slabs),
  );
}

/** Numbers per unit of work: output planes [z0, z1) of band b (0 in eigenvalue jobs). */
export const UNIT_WIDTH = 3;

/**
 * Units of work for `threads` threads over output planes [first, end): when
 * a plane has at least as many bands as there are threads, one band over all
 * planes per unit (so no plane's derivatives are computed twice, and a thread
 * that starts late takes fewer bands); else slabs of planes × bands.
 */
export function tensorUnits(
  plan: TensorPlan,
  [first, end]: readonly [number, number],
  threads: number,
): Int32Array {
  const slabs = plan.bands >= threads
    ? 1
    : Math.min(end - first, Math.ceil(threads / plan.bands));
  const bounds = slabBounds(first, end, slabs);
  const units: number[] = [];
  for (let s = 0; s < slabs; s++) {
    for (let b = 0; b < plan.bands; b++) {
      units.push(bounds[s], bounds[s + 1], b);
    }
  }
  return Int32Array.from(units);
}
