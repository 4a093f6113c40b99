/**
 * Private: the WebAssembly SIMD backend of the structure-tensor engine
 * (`_tensor_engine.ts`), on the kernels of `lib/wasm/_simd_kernels.ts`. The
 * rows a band needs are copied into the kernels' memory (16-bit integers
 * raw, then converted by a kernel; other integers converted as they are
 * read), every pass runs there, and the band's results are copied out. A
 * plane's three derivatives are interleaved by vectors in its slot of the Z
 * window, so the fused products + Z pass reads one stream per plane. With float64 data every voxel's terms are added in the same
 * order as the JavaScript backend, so the results are identical to it bit
 * for bit; float32 data (the opt-in `precision: "float32"`) is computed in
 * float32 throughout.
 *
 * @module
 */

import { sourceIndex } from "../filters/_boundary.ts";
import { SimdArena, type SimdKernels } from "../wasm/_simd_kernels.ts";
import { finishFlagged } from "./_symmetric_simd.ts";
import { analyzeBand, needsVectors } from "./_tensor_analysis.ts";
import { PlaneCache, type TensorBackend } from "./_tensor_engine.ts";
import {
  type Band,
  SMOOTHING,
  type TensorJob,
  type TensorPlan,
} from "./_tensor_plan.ts";

/** Byte offset of one plane's three derivatives, interleaved by vectors, in the kernels' memory. */
type Slot = number;

/** The SIMD backend for `job`, its buffers laid out once in the kernels' memory. */
export function simdTensorBackend(
  job: TensorJob,
  plan: TensorPlan,
  kernels: SimdKernels,
): TensorBackend<Slot> {
  const { input, conversion, shape, mode, cval, float32 } = job;
  const { elements, eigen } = job;
  const analysis = job.analysis ?? null;
  const [, ny, nx] = shape;
  const planeSize = ny * nx;
  const [first, end] = job.outputPlanes;
  const size = (end - first) * planeSize;
  const bytes = float32 ? 4 : 8;
  const combineRows = float32 ? kernels.combineRows32 : kernels.combineRows64;
  const correlateRows = float32
    ? kernels.correlateRows32
    : kernels.correlateRows64;
  const productsAlongZ = float32
    ? kernels.productsAlongZ32
    : kernels.productsAlongZ64;
  const eigenvaluesOf3 = float32
    ? kernels.eigenvaluesOf3x32
    : kernels.eigenvaluesOf3x64;
  const eigenvectorsOf3 = float32
    ? kernels.eigenvectorsOf3x32
    : kernels.eigenvectorsOf3x64;
  const convert16 = float32 ? kernels.convert16x32 : kernels.convert16x64;
  const interleave3 = float32 ? kernels.interleave3x32 : kernels.interleave3x64;
  // 16-bit integers (most microscopes' images) are copied in raw, then
  // converted by a kernel; other integer types value by value here.
  const raw16 = conversion !== null &&
      (input instanceof Uint16Array || input instanceof Int16Array)
    ? input
    : null;
  const { most1, most2, bandRows, radius } = plan;
  const unsmoothed = new Float64Array([1]);
  const zWeights = plan.weights[0] ?? unsmoothed;
  const yWeights = plan.weights[1] ?? unsmoothed;
  const xWeights = plan.weights[2];
  const yRadius = yWeights.length >> 1;
  const xRadius = xWeights === null ? 0 : xWeights.length >> 1;
  const window = 2 * radius + 1;

  // Layout of the kernels' memory for this unit of work.
  const arena = new SimdArena(kernels);
  const floats = (count: number) => arena.take(count * bytes);
  const length1 = most1 * nx, length2 = most2 * nx;
  const outLength = bandRows * nx;
  const weightsAt = (w: Float64Array) => ({ w, at: floats(w.length) });
  const zW = weightsAt(zWeights), yW = weightsAt(yWeights);
  const xW = xWeights === null ? null : weightsAt(xWeights);
  const [differenceZ, differenceY, differenceX] = plan.differences.map(
    weightsAt,
  );
  const smoothingW = weightsAt(SMOOTHING);
  const cvalRow = floats(nx);
  const lineReach = Math.max(1, xRadius);
  // The padded line, then the addresses of its 2R+1 shifted copies.
  const line = arena.take(
    (nx + 2 * lineReach) * bytes + 4 * (2 * lineReach + 1),
  );
  const source1 = arena.take(4 * (nx + 2));
  const sourceX = arena.take(4 * (nx + 2 * xRadius));
  // Row tables: absolute addresses (planes change), and per band, offsets
  // into a buffer of rows2 or rows1 rows followed by one row of cval.
  const table = arena.take(4 * Math.max(3 * most2, 6));
  const rows2To1 = arena.take(4 * 3 * most1);
  const yTable = arena.take(4 * bandRows * (2 * yRadius + 1));
  const planeTable = arena.take(4 * window);
  const sumTable = arena.take(4 * 6);
  const targetTable = arena.take(4 * 3);
  const scratchZ = floats(length2 + nx);
  const staging = raw16 === null ? 0 : arena.take(2 * length2);
  const sums = Array.from({ length: 6 }, () => floats(length1 + nx));
  const outs = Array.from({ length: 6 }, () => floats(outLength));
  const targets = Array.from({ length: 3 }, () => floats(outLength));
  const vectorTargets = analysis !== null && needsVectors(analysis)
    ? Array.from({ length: 9 }, () => floats(outLength))
    : [];
  const vectorTable = arena.take(4 * 9);
  const flags = arena.take(outLength);
  const pair = arena.take(kernels.EIGEN_SCRATCH_BYTES.value);
  // Slots for planes: input rows, differences along Y and X, derivatives.
  const inputSlots = Array.from({ length: 3 }, () => floats(length2 + nx));
  const differenceSlots = Array.from(
    { length: 3 },
    () => [floats(length1), floats(length2)],
  );
  // A plane's derivatives, then interleaved into its slot of the Z window.
  const [d0, d1, d2] = Array.from({ length: 3 }, () => floats(length1));
  const derivativeSlots = Array.from(
    { length: window },
    () => arena.take(3 * (length1 * bytes + 16)),
  );
  const views = arena.commit();
  const data = float32 ? views.f32 : views.f64;
  const stagingRows = raw16 === null
    ? null
    : raw16 instanceof Uint16Array
    ? new Uint16Array(kernels.memory.buffer, staging, length2)
    : new Int16Array(kernels.memory.buffer, staging, length2);
  const index = (address: number) => address / bytes;
  const inputsOf = new PlaneCache<number>(inputSlots);
  const differencesOf = new PlaneCache<number[]>(differenceSlots);
  let band: Band;

  for (
    const weights of [
      zW,
      yW,
      xW,
      differenceZ,
      differenceY,
      differenceX,
      smoothingW,
    ]
  ) {
    if (weights !== null) data.set(weights.w, index(weights.at));
  }
  // The cval row, alone and after each buffer that row tables address relatively.
  const cvalRows = [
    index(cvalRow),
    ...[scratchZ, ...inputSlots].map((at) => index(at) + length2),
    ...sums.map((at) => index(at) + length1),
  ];
  for (const row of cvalRows) data.fill(cval, row, row + nx);
  const sourceTable = (at: number, reach: number) => {
    for (let p = 0; p < nx + 2 * reach; p++) {
      views.i32[at / 4 + p] = sourceIndex(p - reach, nx, mode);
    }
  };
  sourceTable(source1, 1);
  if (xW !== null) sourceTable(sourceX, xRadius);
  views.i32.set(sums, sumTable / 4);
  views.i32.set(targets, targetTable / 4);
  views.i32.set(vectorTargets, vectorTable / 4);
  const rowBytes = nx * bytes;

  /** Correlates rows along X in place: Sobel's 3-tap kernels, or the Gaussian `xW`. */
  const along = (
    address: number,
    rows: number,
    w: { w: Float64Array; at: number },
    sign: number,
  ) => {
    const sobel = w === differenceX || w === smoothingW;
    correlateRows(
      address,
      rows,
      nx,
      w.at,
      sobel ? 1 : xRadius,
      sign,
      sobel ? source1 : sourceX,
      cval,
      line,
    );
  };

  /** Input plane s (rows2), copied in on first use. */
  const inputOf = (s: number) =>
    inputsOf.get(s, (slot) => {
      const rows = band.rows2.rows;
      if (stagingRows !== null) {
        for (let j = 0; j < rows.length; j++) {
          const from = s * planeSize + rows[j] * nx;
          stagingRows.set(raw16!.subarray(from, from + nx), j * nx);
        }
        convert16(
          staging,
          rows.length * nx,
          conversion!.scale,
          conversion!.signed ? 1 : 0,
          slot,
        );
        return;
      }
      for (let j = 0; j < rows.length; j++) {
        const from = s * planeSize + rows[j] * nx;
        const to = index(slot) + j * nx;
        if (conversion === null) {
          data.set(input.subarray(from, from + nx), to);
        } else if (conversion.signed) {
          for (let x = 0; x < nx; x++) {
            const value = input[from + x] * conversion.scale;
            data[to + x] = value < -1 ? -1 : value;
          }
        } else {
          for (let x = 0; x < nx; x++) {
            data[to + x] = input[from + x] * conversion.scale;
          }
        }
      }
    });

  /** Differences of input plane s: along Y on rows1, along X on rows2. */
  const differences = (s: number) =>
    differencesOf.get(s, ([dy, dx]) => {
      const n1 = band.rows1.rows.length, n2 = band.rows2.rows.length;
      const slot = inputOf(s);
      combineRows(dy, rowBytes, slot, rows2To1, n1, differenceY.at, 1, nx, -1);
      views.u8.copyWithin(dx, slot, slot + n2 * nx * bytes);
      along(dx, n2, differenceX, -1);
    });

  /**
   * `combineRows` along Z: target row j from row j of the planes below,
   * here and above (buffers of `count` rows; -1: outside, the cval row).
   */
  const alongZ = (
    target: number,
    planes: readonly number[],
    count: number,
    weights: number,
    sign: number,
  ) => {
    let t = table / 4;
    for (let j = 0; j < count; j++) {
      for (const slot of planes) {
        views.i32[t++] = slot < 0 ? cvalRow : slot + j * rowBytes;
      }
    }
    combineRows(target, rowBytes, 0, table, count, weights, 1, nx, sign);
  };

  /** `combineRows` along Y: rows1 of `target` from the rows2 in `scratchZ`. */
  const smoothY = (target: number) =>
    combineRows(
      target,
      rowBytes,
      scratchZ,
      rows2To1,
      band.rows1.rows.length,
      smoothingW.at,
      1,
      nx,
      1,
    );

  return {
    beginBand(next) {
      band = next;
      inputsOf.clear();
      differencesOf.clear();
      const { out, rows1, rows2 } = band;
      // Rows1 from a rows2 buffer (±1 row) and output rows from rows1 sums (±yRadius).
      let t = rows2To1 / 4;
      for (const y of rows1.rows) {
        for (let k = -1; k <= 1; k++) {
          const s = sourceIndex(y + k, ny, mode);
          views.i32[t++] = (s < 0 ? most2 : rows2.slotOf[s]) * rowBytes;
        }
      }
      t = yTable / 4;
      for (const y of out) {
        for (let k = -yRadius; k <= yRadius; k++) {
          const s = sourceIndex(y + k, ny, mode);
          views.i32[t++] = (s < 0 ? most1 : rows1.slotOf[s]) * rowBytes;
        }
      }
    },
    derivativeSlots,
    // SciPy's sobel, pass for pass as in the JavaScript backend.
    derivatives(s, below, above, slot) {
      const n1 = band.rows1.rows.length, n2 = band.rows2.rows.length;
      const keep = [below, s, above];
      inputsOf.retain(keep);
      differencesOf.retain(keep);
      const here = inputOf(s);
      const belowRows = below < 0 ? -1 : inputOf(below);
      const aboveRows = above < 0 ? -1 : inputOf(above);
      // d0: difference along Z on rows2, smoothing along Y onto rows1, then along X.
      alongZ(scratchZ, [belowRows, here, aboveRows], n2, differenceZ.at, -1);
      smoothY(d0);
      along(d0, n1, smoothingW, 1);
      // d1: difference along Y (rows1), smoothing along Z, then along X.
      const [yHere, xHere] = differences(s);
      const [yBelow, xBelow] = below < 0 ? [-1, -1] : differences(below);
      const [yAbove, xAbove] = above < 0 ? [-1, -1] : differences(above);
      alongZ(d1, [yBelow, yHere, yAbove], n1, smoothingW.at, 1);
      along(d1, n1, smoothingW, 1);
      // d2: difference along X (rows2), smoothing along Z, then along Y onto rows1.
      alongZ(scratchZ, [xBelow, xHere, xAbove], n2, smoothingW.at, 1);
      smoothY(d2);
      interleave3(d0, d1, d2, slot, n1 * nx);
    },
    productsAlongZ(planes) {
      for (let t = 0; t < window; t++) {
        views.i32[planeTable / 4 + t] = planes[t] ?? 0;
      }
      const n1Size = band.rows1.rows.length * nx;
      productsAlongZ(sumTable, planeTable, zW.at, radius, n1Size, cval);
    },
    smoothRows() {
      const rows = band.out.length;
      for (let p = 0; p < 6; p++) {
        combineRows(
          outs[p],
          rowBytes,
          sums[p],
          yTable,
          rows,
          yW.at,
          yRadius,
          nx,
          1,
        );
        if (xW !== null) along(outs[p], rows, xW, 1);
      }
    },
    store(plane) {
      const bandSize = band.out.length * nx;
      const at = plane * planeSize + band.out[0] * nx;
      if (elements !== null) {
        for (let p = 0; p < 6; p++) {
          const from = index(outs[p]);
          elements[p].set(data.subarray(from, from + bandSize), at);
        }
      }
      if (eigen === null && analysis === null) return;
      views.i32.set(outs, table / 4);
      views.u8.fill(0, flags, flags + bandSize);
      let flagged = eigenvaluesOf3(
        table,
        bandSize,
        targetTable,
        flags,
        pair,
      );
      if (vectorTargets.length > 0) {
        flagged += eigenvectorsOf3(
          table,
          bandSize,
          targetTable,
          vectorTable,
          flags,
          pair,
        );
      }
      const view = (address: number) =>
        data.subarray(index(address), index(address) + bandSize);
      const values = targets.map(view);
      const vectors = vectorTargets.length > 0 ? vectorTargets.map(view) : null;
      if (flagged > 0) {
        finishFlagged(
          outs.map(view),
          views.u8.subarray(flags, flags + bandSize),
          bandSize,
          values,
          vectors,
        );
      }
      if (eigen !== null) {
        values.forEach((value, k) => eigen.set(value, k * size + at));
      }
      if (analysis !== null) {
        analyzeBand(analysis, values, vectors, bandSize, at);
      }
    },
  };
}
