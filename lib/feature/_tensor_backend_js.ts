/**
 * Private: the JavaScript backend of the structure-tensor engine
 * (`_tensor_engine.ts`): every pass on plain typed arrays, in SciPy's order
 * and summation order. It runs wherever WebAssembly SIMD is missing, and for
 * float32 input without `precision: "float32"` (float32 storage, float64
 * sums, as SciPy does).
 *
 * @module
 */

import { sourceIndex } from "../filters/_boundary.ts";
import { type AxisPass, correlateAxis } from "../filters/_correlate_axis.ts";
import type { BoundaryMode } from "../filters/boundary_mode.ts";
import { stackViews } from "./_eigenvalue_input.ts";
import { eigenvalues3 } from "./_symmetric_eigenvalues.ts";
import { eigenvectors3 } from "./_symmetric_eigenvectors.ts";
import { analyzeBand, needsVectors } from "./_tensor_analysis.ts";
import { PlaneCache, type TensorBackend } from "./_tensor_engine.ts";
import {
  type Band,
  PAIRS,
  SMOOTHING,
  type TensorJob,
  type TensorPlan,
} from "./_tensor_plan.ts";

type Floats = Float64Array | Float32Array;

/** Voxels per tile of the fused products + Z pass: the window stays in L1/L2 cache. */
const TILE = 1024;

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
        // ±1·b is exact: the same sums as a + b and a - b.
        for (let x = 0; x < nx; x++) {
          acc[x] += (source[u + x] + sign * source[d + x]) * wk;
        }
      } else {
        for (let x = 0; x < nx; x++) {
          const a = up >= 0 ? source[sourceBase + slotOf[up] * nx + x] : cval;
          const b = down >= 0
            ? source[sourceBase + slotOf[down] * nx + x]
            : cval;
          acc[x] += (a + sign * b) * wk;
        }
      }
    }
    const to = j * nx;
    for (let x = 0; x < nx; x++) target[to + x] = acc[x];
  }
}

/** The JavaScript backend for `job` (float input only). */
export function jsTensorBackend(
  job: TensorJob,
  plan: TensorPlan,
): TensorBackend<Floats[]> {
  const { shape, mode, cval, float32, elements, eigen } = job;
  const analysis = job.analysis ?? null;
  if (job.conversion !== null) {
    throw new Error("internal: the JavaScript kernels need float input");
  }
  const input = job.input as Floats;
  const [, ny, nx] = shape;
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
  const [zWeights, yWeights, xWeights] = plan.weights;
  const xPass = xWeights === null ? null : pass(xWeights);
  const { radius } = plan;
  const [zDifference, yDifference, xDifference] = plan.differences;
  const difference = pass(xDifference);
  const smoothing = pass(SMOOTHING);
  // Outside the volume in constant mode: cval itself, unrounded, as SciPy's line buffers.
  const cvalRow = new Float64Array(nx).fill(cval);
  const identity = Int32Array.from({ length: ny }, (_, y) => y);
  const acc = new Float64Array(nx);
  const length1 = plan.most1 * nx, length2 = plan.most2 * nx;
  const scratchZ = new Plane(length2);
  // Accumulator of one tile of the Z pass, in float64 whatever the storage.
  const scratch = new Float64Array(TILE);
  const sums = PAIRS.map(() => new Plane(length1));
  const outs = PAIRS.map(() => new Plane(plan.bandRows * nx));
  // A band's eigenvalues when they are not an output, and its eigenvectors.
  const bandValues = eigen === null && analysis !== null
    ? new Float64Array(3 * plan.bandRows * nx)
    : null;
  const bandVectors = analysis !== null && needsVectors(analysis)
    ? stackViews(
      new Float64Array(9 * plan.bandRows * nx),
      9,
      plan.bandRows * nx,
    )
    : null;
  const differencesOf = new PlaneCache<Floats[]>(
    [],
    () => [new Plane(length1), new Plane(length2)],
  );
  let band: Band;

  /** Row y of input plane s (s < 0: the cval row) as [array, offset]. */
  const inputRow = (s: number, y: number): [Floats, number] =>
    s < 0 ? [cvalRow, 0] : [input, s * planeSize + y * nx];

  /** Differences of input plane s: along Y on rows1, along X on rows2. */
  const differences = (s: number) =>
    differencesOf.get(s, ([dy, dx]) => {
      const { rows1, rows2 } = band;
      gatherPassY(
        input,
        s * planeSize,
        identity,
        dy,
        rows1.rows,
        yDifference,
        -1,
        geometry,
        acc,
      );
      for (let j = 0; j < rows2.rows.length; j++) {
        const from = s * planeSize + rows2.rows[j] * nx;
        dx.set(input.subarray(from, from + nx), j * nx);
      }
      correlateAxis(dx, [rows2.rows.length, nx], 1, difference);
    });

  /** The product of entries i and j of `d` at voxel k, rounded to float32 in float32 mode. */
  const product = float32
    ? (d: Floats[], i: number, j: number, k: number) =>
      Math.fround(d[i][k] * d[j][k])
    : (d: Floats[], i: number, j: number, k: number) => d[i][k] * d[j][k];

  // The Z pass of entry p over voxels [start, end) of rows1, fused with the
  // products: sum = P(z)·w0 + Σ_{r=R..1} (P(z-r) + P(z+r))·w_r, SciPy's
  // symmetric order, and cval for planes outside the volume in constant mode.
  const zPassTile = (
    window: readonly (Floats[] | null)[],
    p: number,
    start: number,
    stop: number,
  ) => {
    const [i, j] = PAIRS[p];
    const sum = sums[p];
    const centre = window[radius]!;
    const ci = centre[i], cj = centre[j];
    const w0 = zWeights === null ? 1 : zWeights[radius];
    if (float32) {
      for (let k = start; k < stop; k++) {
        scratch[k - start] = Math.fround(ci[k] * cj[k]) * w0;
      }
    } else {
      for (let k = start; k < stop; k++) {
        scratch[k - start] = ci[k] * cj[k] * w0;
      }
    }
    for (let r = radius; r >= 1; r--) {
      const wr = zWeights![radius - r];
      const left = window[radius - r], right = window[radius + r];
      if (left !== null && right !== null) {
        const li = left[i], lj = left[j], ri = right[i], rj = right[j];
        if (float32) {
          for (let k = start; k < stop; k++) {
            scratch[k - start] +=
              (Math.fround(li[k] * lj[k]) + Math.fround(ri[k] * rj[k])) * wr;
          }
        } else {
          for (let k = start; k < stop; k++) {
            scratch[k - start] += (li[k] * lj[k] + ri[k] * rj[k]) * wr;
          }
        }
      } else {
        for (let k = start; k < stop; k++) {
          const l = left === null ? cval : product(left, i, j, k);
          const q = right === null ? cval : product(right, i, j, k);
          scratch[k - start] += (l + q) * wr;
        }
      }
    }
    for (let k = start; k < stop; k++) sum[k] = scratch[k - start];
  };

  return {
    beginBand(next) {
      band = next;
      differencesOf.clear();
    },
    derivativeSlots: Array.from(
      { length: 2 * radius + 1 },
      () => [new Plane(length1), new Plane(length1), new Plane(length1)],
    ),
    // SciPy's sobel: the difference along the derivative's axis first, then
    // the smoothing along the other axes in increasing order, each pass
    // padded by the boundary rule of its own input (so the order matters).
    derivatives(s, below, above, [d0, d1, d2]) {
      const { rows1, rows2 } = band;
      const n1 = rows1.rows.length, n2 = rows2.rows.length;
      differencesOf.retain([s, below, above]);
      // d0: difference along Z on rows2, smoothing along Y onto rows1, then along X.
      for (let j = 0; j < n2; j++) {
        const y = rows2.rows[j];
        const [b, bo] = inputRow(below, y);
        const [h, ho] = inputRow(s, y);
        const [a, ao] = inputRow(above, y);
        const to = j * nx;
        for (let x = 0; x < nx; x++) {
          scratchZ[to + x] = h[ho + x] * zDifference[1] +
            (b[bo + x] - a[ao + x]) * zDifference[0];
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
    },
    productsAlongZ(window) {
      const n1Size = band.rows1.rows.length * nx;
      for (let start = 0; start < n1Size; start += TILE) {
        const stop = Math.min(start + TILE, n1Size);
        for (let p = 0; p < PAIRS.length; p++) {
          zPassTile(window, p, start, stop);
        }
      }
    },
    smoothRows() {
      const { out, rows1 } = band;
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
      }
    },
    store(plane) {
      const bandSize = band.out.length * nx;
      const at = plane * planeSize + band.out[0] * nx;
      if (elements !== null) {
        for (let p = 0; p < PAIRS.length; p++) {
          elements[p].set(outs[p].subarray(0, bandSize), at);
        }
      }
      if (eigen === null && analysis === null) return;
      // The eigenvalues straight into the output, else into the band's own buffer.
      const values = eigen !== null
        ? stackViews(eigen, 3, size, at)
        : stackViews(bandValues!, 3, plan.bandRows * nx);
      if (eigen !== null) eigenvalues3(outs, bandSize, eigen, at, size);
      else eigenvalues3(outs, bandSize, bandValues!, 0, plan.bandRows * nx);
      if (analysis === null) return;
      if (bandVectors !== null) {
        eigenvectors3(outs, bandSize, values, bandVectors);
      }
      analyzeBand(analysis, values, bandVectors, bandSize, at);
    },
  };
}
