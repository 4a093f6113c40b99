/**
 * Private kernel of the 3-D structure tensor, one slab of planes at a time,
 * shared by the calling thread and the worker threads.
 *
 * A slab of output planes [z0, z1) needs the Sobel derivatives of the planes
 * within the Gaussian radius along Z (its halo), found through the boundary
 * rule, so slabs are independent and can run on any thread. Each plane is
 * further cut into bands of rows, each with its own halo of rows (Gaussian
 * radius along Y plus the Sobel's 1), so a thread's working set is a few
 * megabytes whatever the plane size. Per band and output plane: the Z pass
 * of the six Gaussians is fused with the products `d_i · d_j` (computed tile
 * by tile, never stored as volumes), then the Y and X passes run, then the
 * band is stored or reduced to eigenvalues at once. Every pass has SciPy's
 * order and summation order, and rows or planes outside the volume follow the
 * boundary rule of each intermediate array (cval in constant mode), so the
 * results equal the whole-volume computation bit for bit.
 *
 * @module
 */

import { sourceIndex } from "../filters/_boundary.ts";
import { type AxisPass, correlateAxis } from "../filters/_correlate_axis.ts";
import { gaussianKernel, gaussianRadius } from "../filters/_gaussian.ts";
import type { NumericArray } from "../array/types.ts";
import type { BoundaryMode } from "../filters/boundary_mode.ts";
import { eigenvalues3 } from "./_symmetric_eigenvalues.ts";

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
  sigmas: readonly number[];
  mode: BoundaryMode;
  cval: number;
  /**
   * Float32 data: on the JavaScript kernels, every intermediate is stored as
   * float32 and summed in float64 (as SciPy does for float32 input); on the
   * SIMD kernels, all arithmetic is float32.
   */
  float32: boolean;
  /** Run on the WebAssembly SIMD kernels (`_tensor_slab_simd.ts`) when the runtime has them. */
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
  /** Voxels per band of rows (default 2^14); tests use tiny bands to cross many band edges. */
  bandVoxels?: number;
}

type Floats = Float64Array | Float32Array;

/** Voxels per tile of the fused products + Z pass: the window stays in L1/L2 cache. */
const TILE = 1024;
/** Voxels per band of rows (before its halo): 32 rows of 512, a window of a few MB per thread, and enough bands to share between threads. */
const BAND_VOXELS = 1 << 14;
/** Entry (i, j) of the tensor, i <= j, in row-major upper-triangular order. */
const PAIRS: readonly (readonly [number, number])[] = [
  [0, 0],
  [0, 1],
  [0, 2],
  [1, 1],
  [1, 2],
  [2, 2],
];
/** Sobel's difference and smoothing kernels. */
export const DIFFERENCE = new Float64Array([-1, 0, 1]);
export const SMOOTHING = new Float64Array([1, 2, 1]);

/** The Gaussian weights for `sigma` (truncate 4), or null for an axis left unsmoothed. */
export function kernelOf(sigma: number): Float64Array | null {
  return sigma > 1e-15 ? gaussianKernel(sigma, gaussianRadius(sigma, 4)) : null;
}

/** Rows of a plane held in a buffer: `rows[slot]` is a real row, `slotOf[row]` its slot or -1. */
export interface RowSet {
  rows: Int32Array;
  slotOf: Int32Array;
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

/**
 * One pass along Y with a symmetric (`sign` 1) or antisymmetric (`sign` -1)
 * kernel, gathering rows: target row `j` is real row `targetRows[j]`, source
 * row y lives at `sourceBase + slotOf[y]·nx`; rows outside the plane follow
 * the boundary rule, or are cval. SciPy's summation order.
 */
function gatherPassY(
  source: Floats,
  sourceBase: number,
  slotOf: Int32Array,
  target: Floats,
  targetRows: Int32Array,
  weights: Float64Array,
  sign: number,
  geometry: { ny: number; nx: number; mode: BoundaryMode; cval: number },
  acc: Float64Array,
): void {
  const { ny, nx, mode, cval } = geometry;
  const half = weights.length >> 1;
  const w0 = weights[half];
  for (let j = 0; j < targetRows.length; j++) {
    const y = targetRows[j];
    const centre = sourceBase + slotOf[y] * nx;
    for (let x = 0; x < nx; x++) acc[x] = source[centre + x] * w0;
    for (let k = half; k >= 1; k--) {
      const wk = weights[half - k];
      const up = sourceIndex(y - k, ny, mode);
      const down = sourceIndex(y + k, ny, mode);
      if (up >= 0 && down >= 0) {
        const u = sourceBase + slotOf[up] * nx;
        const d = sourceBase + slotOf[down] * nx;
        if (sign > 0) {
          for (let x = 0; x < nx; x++) {
            acc[x] += (source[u + x] + source[d + x]) * wk;
          }
        } else {
          for (let x = 0; x < nx; x++) {
            acc[x] += (source[u + x] - source[d + x]) * wk;
          }
        }
      } else {
        for (let x = 0; x < nx; x++) {
          const a = up >= 0 ? source[sourceBase + slotOf[up] * nx + x] : cval;
          const b = down >= 0
            ? source[sourceBase + slotOf[down] * nx + x]
            : cval;
          acc[x] += (sign > 0 ? a + b : a - b) * wk;
        }
      }
    }
    const to = j * nx;
    for (let x = 0; x < nx; x++) target[to + x] = acc[x];
  }
}

/** Rows per band of `job`: about 2^14 voxels (or `job.bandVoxels`), at least one row. */
export function bandRowsOf(job: TensorJob): number {
  const [, ny, nx] = job.shape;
  return Math.max(
    1,
    Math.min(ny, Math.floor((job.bandVoxels ?? BAND_VOXELS) / Math.max(1, nx))),
  );
}

/** A band of output rows with the rows its passes read. */
export interface Band {
  out: Int32Array;
  /** The derivatives and Z sums the Y Gaussian reads. */
  rows1: RowSet;
  /** The inputs their Sobel reads. */
  rows2: RowSet;
}

/** The bands of rows [y0, y1) of `job`, and the most rows any band's passes read. */
export function bandsOf(
  job: TensorJob,
  y0: number,
  y1: number,
): { bands: Band[]; most1: number; most2: number; bandRows: number } {
  const [, ny] = job.shape;
  const yWeights = kernelOf(job.sigmas[1]);
  const yRadius = yWeights === null ? 0 : yWeights.length >> 1;
  const bandRows = bandRowsOf(job);
  const bands: Band[] = [];
  let most1 = 0, most2 = 0;
  for (let a = y0; a < y1; a += bandRows) {
    const out = Int32Array.from(
      { length: Math.min(bandRows, y1 - a) },
      (_, j) => a + j,
    );
    const rows1 = rowsWithin(out, yRadius, ny, job.mode);
    const rows2 = rowsWithin(rows1.rows, 1, ny, job.mode);
    bands.push({ out, rows1, rows2 });
    most1 = Math.max(most1, rows1.rows.length);
    most2 = Math.max(most2, rows2.rows.length);
  }
  return { bands, most1, most2, bandRows };
}

/** Computes rows [y0, y1) of output planes [z0, z1) of `job`, band by band. */
export function computeTensorSlab(
  job: TensorJob,
  z0: number,
  z1: number,
  y0 = 0,
  y1 = job.shape[1],
): void {
  const { shape, sigmas, mode, cval, float32, elements, eigen } = job;
  if (job.conversion !== null) {
    throw new Error("internal: the JavaScript kernels need float input");
  }
  const input = job.input as Floats;
  const [nz, ny, nx] = shape;
  const planeSize = ny * nx;
  const [first, end] = job.outputPlanes;
  const size = (end - first) * planeSize;
  const Plane = float32 ? Float32Array : Float64Array;
  const geometry = { ny, nx, mode, cval };
  const pass = (weights: Float64Array): AxisPass => ({
    weights,
    origin: 0,
    mode,
    cval,
  });
  const zWeights = kernelOf(sigmas[0]);
  const yWeights = kernelOf(sigmas[1]);
  const xWeights = kernelOf(sigmas[2]);
  const xPass = xWeights === null ? null : pass(xWeights);
  const radius = zWeights === null ? 0 : zWeights.length >> 1;
  const difference = pass(DIFFERENCE);
  const smoothing = pass(SMOOTHING);
  // Outside the volume in constant mode: cval itself, unrounded, as SciPy's line buffers.
  const cvalRow = new Float64Array(nx).fill(cval);
  const identity = Int32Array.from({ length: ny }, (_, y) => y);
  const acc = new Float64Array(nx);

  const { bands, most1, most2, bandRows } = bandsOf(job, y0, y1);
  const length1 = most1 * nx, length2 = most2 * nx;
  const outLength = bandRows * nx;
  const scratchZ = new Plane(length2);
  const derivativesOf = new Map<number, Floats[]>();
  const spareDerivatives: Floats[][] = [];
  const differencesOf = new Map<number, Floats[]>();
  const spareDifferences: Floats[][] = [];
  const sums = PAIRS.map(() => new Plane(length1));
  const outs = PAIRS.map(() => new Plane(outLength));
  const window = 2 * radius + 1;
  const sources = new Int32Array(window);

  for (const { out, rows1, rows2 } of bands) {
    const n1 = rows1.rows.length, n2 = rows2.rows.length;
    for (const buffers of derivativesOf.values()) {
      spareDerivatives.push(buffers);
    }
    derivativesOf.clear();
    for (const buffers of differencesOf.values()) {
      spareDifferences.push(buffers);
    }
    differencesOf.clear();

    /** Row y of input plane s (s < 0: the cval row) as [array, offset]. */
    const inputRow = (s: number, y: number): [Floats, number] =>
      s < 0 ? [cvalRow, 0] : [input, s * planeSize + y * nx];

    // Differences of input plane s: along Y on rows1, along X on rows2.
    const differences = (s: number): Floats[] => {
      const kept = differencesOf.get(s);
      if (kept !== undefined) return kept;
      const buffers = spareDifferences.pop() ??
        [new Plane(length1), new Plane(length2)];
      const [dy, dx] = buffers;
      gatherPassY(
        input,
        s * planeSize,
        identity,
        dy,
        rows1.rows,
        DIFFERENCE,
        -1,
        geometry,
        acc,
      );
      for (let j = 0; j < n2; j++) {
        dx.set(
          input.subarray(
            s * planeSize + rows2.rows[j] * nx,
            s * planeSize + (rows2.rows[j] + 1) * nx,
          ),
          j * nx,
        );
      }
      correlateAxis(dx, [n2, nx], 1, difference);
      differencesOf.set(s, buffers);
      return buffers;
    };

    // SciPy's sobel: the difference along the derivative's axis first, then
    // the smoothing along the other axes in increasing order, each pass
    // padded by the boundary rule of its own input (so the order matters).
    const computeDerivatives = (s: number, d: Floats[]) => {
      const below = sourceIndex(s - 1, nz, mode);
      const above = sourceIndex(s + 1, nz, mode);
      for (const [kept, buffers] of differencesOf) {
        if (kept !== s && kept !== below && kept !== above) {
          differencesOf.delete(kept);
          spareDifferences.push(buffers);
        }
      }
      const [d0, d1, d2] = d;
      // d0: difference along Z on rows2, smoothing along Y onto rows1, then along X.
      for (let j = 0; j < n2; j++) {
        const y = rows2.rows[j];
        const [b, bo] = inputRow(below, y);
        const [h, ho] = inputRow(s, y);
        const [a, ao] = inputRow(above, y);
        const to = j * nx;
        for (let x = 0; x < nx; x++) {
          scratchZ[to + x] = h[ho + x] * 0 + (b[bo + x] - a[ao + x]) * -1;
        }
      }
      gatherPassY(
        scratchZ,
        0,
        rows2.slotOf,
        d0,
        rows1.rows,
        SMOOTHING,
        1,
        geometry,
        acc,
      );
      correlateAxis(d0, [n1, nx], 1, smoothing);
      // d1: difference along Y (rows1), smoothing along Z, then along X.
      const [yHere, xHere] = differences(s);
      const [yBelow, xBelow] = below < 0
        ? [cvalRow, cvalRow]
        : differences(below);
      const [yAbove, xAbove] = above < 0
        ? [cvalRow, cvalRow]
        : differences(above);
      const stepBelow = below < 0 ? 0 : 1, stepAbove = above < 0 ? 0 : 1;
      for (let j = 0; j < n1; j++) {
        const at = j * nx, bAt = at * stepBelow, aAt = at * stepAbove;
        for (let x = 0; x < nx; x++) {
          d1[at + x] = yHere[at + x] * 2 + (yBelow[bAt + x] + yAbove[aAt + x]);
        }
      }
      correlateAxis(d1, [n1, nx], 1, smoothing);
      // d2: difference along X (rows2), smoothing along Z, then along Y onto rows1.
      for (let j = 0; j < n2; j++) {
        const at = j * nx, bAt = at * stepBelow, aAt = at * stepAbove;
        for (let x = 0; x < nx; x++) {
          scratchZ[at + x] = xHere[at + x] * 2 +
            (xBelow[bAt + x] + xAbove[aAt + x]);
        }
      }
      gatherPassY(
        scratchZ,
        0,
        rows2.slotOf,
        d2,
        rows1.rows,
        SMOOTHING,
        1,
        geometry,
        acc,
      );
    };

    // The Z pass of entry p over voxels [start, end) of rows1, fused with
    // the products: sum = P(z)·w0 + Σ_{r=R..1} (P(z-r) + P(z+r))·w_r, SciPy's
    // symmetric order, P the product (rounded to float32 in float32 mode),
    // and cval for planes outside the volume in constant mode.
    const zPassTile = (p: number, start: number, end: number) => {
      const [i, j] = PAIRS[p];
      const sum = sums[p];
      const centre = derivativesOf.get(sources[radius])!;
      const ci = centre[i], cj = centre[j];
      const w0 = zWeights === null ? 1 : zWeights[radius];
      if (float32) {
        for (let k = start; k < end; k++) {
          scratch[k - start] = Math.fround(ci[k] * cj[k]) * w0;
        }
      } else {
        for (let k = start; k < end; k++) {
          scratch[k - start] = ci[k] * cj[k] * w0;
        }
      }
      for (let r = radius; r >= 1; r--) {
        const wr = zWeights![radius - r];
        const sl = sources[radius - r], sr = sources[radius + r];
        if (sl >= 0 && sr >= 0) {
          const left = derivativesOf.get(sl)!, right = derivativesOf.get(sr)!;
          const li = left[i], lj = left[j], ri = right[i], rj = right[j];
          if (float32) {
            for (let k = start; k < end; k++) {
              scratch[k - start] +=
                (Math.fround(li[k] * lj[k]) + Math.fround(ri[k] * rj[k])) * wr;
            }
          } else {
            for (let k = start; k < end; k++) {
              scratch[k - start] += (li[k] * lj[k] + ri[k] * rj[k]) * wr;
            }
          }
        } else {
          const left = sl >= 0 ? derivativesOf.get(sl)! : null;
          const right = sr >= 0 ? derivativesOf.get(sr)! : null;
          for (let k = start; k < end; k++) {
            const l = left === null
              ? cval
              : float32
              ? Math.fround(left[i][k] * left[j][k])
              : left[i][k] * left[j][k];
            const q = right === null
              ? cval
              : float32
              ? Math.fround(right[i][k] * right[j][k])
              : right[i][k] * right[j][k];
            scratch[k - start] += (l + q) * wr;
          }
        }
      }
      for (let k = start; k < end; k++) sum[k] = scratch[k - start];
    };

    const bandSize = out.length * nx;
    const bandStart = out[0] * nx;
    for (let z = z0; z < z1; z++) {
      const needed = new Set<number>();
      for (let t = 0; t < window; t++) {
        sources[t] = sourceIndex(z - radius + t, nz, mode);
        if (sources[t] >= 0) needed.add(sources[t]);
      }
      for (const [s, buffers] of derivativesOf) {
        if (!needed.has(s)) {
          derivativesOf.delete(s);
          spareDerivatives.push(buffers);
        }
      }
      for (const s of needed) {
        if (derivativesOf.has(s)) continue;
        const buffers = spareDerivatives.pop() ??
          [new Plane(length1), new Plane(length1), new Plane(length1)];
        computeDerivatives(s, buffers);
        derivativesOf.set(s, buffers);
      }
      const n1Size = n1 * nx;
      for (let start = 0; start < n1Size; start += TILE) {
        const end = Math.min(start + TILE, n1Size);
        for (let p = 0; p < PAIRS.length; p++) zPassTile(p, start, end);
      }
      for (let p = 0; p < PAIRS.length; p++) {
        const target = outs[p];
        if (yWeights !== null) {
          gatherPassY(
            sums[p],
            0,
            rows1.slotOf,
            target,
            out,
            yWeights,
            1,
            geometry,
            acc,
          );
        } else {
          for (let j = 0; j < out.length; j++) {
            const from = rows1.slotOf[out[j]] * nx;
            target.set(sums[p].subarray(from, from + nx), j * nx);
          }
        }
        if (xPass !== null) correlateAxis(target, [out.length, nx], 1, xPass);
        if (elements !== null) {
          elements[p].set(
            target.subarray(0, bandSize),
            (z - first) * planeSize + bandStart,
          );
        }
      }
      if (eigen !== null) {
        eigenvalues3(
          outs,
          bandSize,
          eigen,
          (z - first) * planeSize + bandStart,
          size,
        );
      }
    }
  }
}

/** Accumulator of one tile of the Z pass, in float64 whatever the storage. */
const scratch = new Float64Array(TILE);
