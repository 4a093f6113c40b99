/**
 * Private kernel: 1-D correlation along one axis of a flat C-contiguous
 * buffer, in place, with SciPy's `NI_Correlate1D` summation order (so float64
 * results agree with `scipy.ndimage.correlate1d` to the last bit or so).
 *
 * Each line is padded once (border positions looked up in a table built per
 * pass), then a tight dot-product loop runs over it. Lines along an inner axis
 * are processed as blocks of contiguous rows, so every memory access is
 * sequential. A float32 buffer is accumulated in float64 and rounded to float32
 * when stored, as SciPy does for float32 arrays.
 *
 * @module
 */

import { sourceIndex } from "./_boundary.ts";
import type { BoundaryMode } from "./boundary_mode.ts";

/** Columns processed together for inner axes: rows stay in L1 cache. */
const BLOCK = 512;
const DBL_EPSILON = 2.220446049250313e-16;

/**
 * Work buffers reused by every pass on this thread (each worker has its own
 * module instance), so that filtering plane after plane allocates nothing and
 * leaves no garbage to inflate the peak memory. Only buffers up to
 * `KEEP_LIMIT` values are kept; longer ones (very long lines) are allocated
 * per pass, so that no large buffer outlives its call.
 */
const KEEP_LIMIT = 1 << 20;
const scratchBuffers: Float64Array[] = [
  new Float64Array(0),
  new Float64Array(0),
];
let sourceBuffer = new Int32Array(0);

/** Work buffer `slot`, at least `length` long (contents unspecified). */
function scratch(slot: number, length: number): Float64Array {
  if (length > KEEP_LIMIT) return new Float64Array(length);
  if (scratchBuffers[slot].length < length) {
    scratchBuffers[slot] = new Float64Array(length);
  }
  return scratchBuffers[slot];
}

/** The source-index table of a pass, reused like `scratch`. */
function scratchSource(length: number): Int32Array {
  if (length > KEEP_LIMIT) return new Int32Array(length);
  if (sourceBuffer.length < length) sourceBuffer = new Int32Array(length);
  return sourceBuffer;
}

/** One correlation pass: weights, origin and boundary. */
export interface AxisPass {
  weights: Float64Array;
  origin: number;
  mode: BoundaryMode;
  cval: number;
}

/** 1 symmetric, -1 antisymmetric, 0 general: SciPy's test, with its DBL_EPSILON tolerance. */
function symmetryOf(weights: Float64Array): number {
  const size = weights.length;
  if ((size & 1) === 0) return 0;
  const c = size >> 1;
  let symmetric = true;
  for (let k = 1; k <= c; k++) {
    if (Math.abs(weights[c + k] - weights[c - k]) > DBL_EPSILON) {
      symmetric = false;
    }
  }
  if (symmetric) return 1;
  for (let k = 1; k <= c; k++) {
    if (Math.abs(weights[c + k] + weights[c - k]) > DBL_EPSILON) return 0;
  }
  return -1;
}

/**
 * Correlates every line of `data` (C-contiguous, `shape`) along `axis` with
 * `pass.weights`, writing the result over `data`:
 * `out[i] = Σ_t w[t] · x[i + t - floor(L/2) - origin]`.
 */
export function correlateAxis(
  data: Float64Array | Float32Array,
  shape: readonly number[],
  axis: number,
  pass: AxisPass,
): void {
  const n = shape[axis];
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d];
  if (n === 0 || inner === 0 || outer === 0) return;

  const w = pass.weights;
  const size = w.length;
  const size1 = size >> 1;
  const before = size1 + pass.origin;
  const after = size - size1 - 1 - pass.origin;
  const padded = n + before + after;
  // Source index of each padded position (-1: cval), shared by every line.
  const source = scratchSource(padded);
  for (let p = 0; p < padded; p++) {
    source[p] = sourceIndex(p - before, n, pass.mode);
  }
  const symmetry = symmetryOf(w);
  const cval = pass.cval;

  if (inner === 1) {
    const line = scratch(0, padded);
    const sums = scratch(1, n);
    for (let o = 0; o < outer; o++) {
      const base = o * n;
      for (let p = 0; p < before; p++) {
        const s = source[p];
        line[p] = s < 0 ? cval : data[base + s];
      }
      for (let i = 0; i < n; i++) line[before + i] = data[base + i];
      for (let p = before + n; p < padded; p++) {
        const s = source[p];
        line[p] = s < 0 ? cval : data[base + s];
      }
      filterLine(line, sums, data, base, n, w, size1, symmetry);
    }
    return;
  }

  const width = Math.min(BLOCK, inner);
  const block = scratch(0, padded * width);
  const acc = scratch(1, width);
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    for (let c0 = 0; c0 < inner; c0 += width) {
      const cols = Math.min(width, inner - c0);
      for (let p = 0; p < padded; p++) {
        const s = source[p];
        const row = p * width;
        if (s < 0) {
          block.fill(cval, row, row + cols);
        } else {
          const from = base + s * inner + c0;
          for (let c = 0; c < cols; c++) block[row + c] = data[from + c];
        }
      }
      for (let i = 0; i < n; i++) {
        const centre = (i + size1) * width;
        if (symmetry !== 0) {
          // Symmetric (1) or antisymmetric (-1) weights: pairs of taps; ±1·b is exact.
          const w0 = w[size1];
          for (let c = 0; c < cols; c++) acc[c] = block[centre + c] * w0;
          for (let k = size1; k >= 1; k--) {
            const wk = w[size1 - k];
            const left = centre - k * width;
            const right = centre + k * width;
            for (let c = 0; c < cols; c++) {
              acc[c] += (block[left + c] + symmetry * block[right + c]) * wk;
            }
          }
        } else {
          const first = i * width;
          const wl = w[size - 1];
          const lastRow = first + (size - 1) * width;
          for (let c = 0; c < cols; c++) acc[c] = block[lastRow + c] * wl;
          for (let t = 0; t < size - 1; t++) {
            const wt = w[t];
            const row = first + t * width;
            for (let c = 0; c < cols; c++) acc[c] += block[row + c] * wt;
          }
        }
        const to = base + i * inner + c0;
        for (let c = 0; c < cols; c++) data[to + c] = acc[c];
      }
    }
  }
}

/**
 * Filters one padded line into `out[base .. base + n)`. The loop over taps is
 * outside the loop over samples (each tap a pass over the whole line into
 * `acc`), so consecutive samples do not wait on one another's sums; each
 * sample's terms are still added in SciPy's order.
 */
function filterLine(
  line: Float64Array,
  acc: Float64Array,
  out: Float64Array | Float32Array,
  base: number,
  n: number,
  w: Float64Array,
  size1: number,
  symmetry: number,
): void {
  const size = w.length;
  if (symmetry !== 0) {
    const w0 = w[size1];
    for (let i = 0; i < n; i++) acc[i] = line[i + size1] * w0;
    for (let k = size1; k >= 1; k--) {
      const wk = w[size1 - k];
      const left = size1 - k;
      const right = size1 + k;
      if (symmetry > 0) {
        for (let i = 0; i < n; i++) {
          acc[i] += (line[left + i] + line[right + i]) * wk;
        }
      } else {
        for (let i = 0; i < n; i++) {
          acc[i] += (line[left + i] - line[right + i]) * wk;
        }
      }
    }
  } else {
    const wl = w[size - 1];
    for (let i = 0; i < n; i++) acc[i] = line[i + size - 1] * wl;
    for (let t = 0; t < size - 1; t++) {
      const wt = w[t];
      for (let i = 0; i < n; i++) acc[i] += line[i + t] * wt;
    }
  }
  for (let i = 0; i < n; i++) out[base + i] = acc[i];
}
