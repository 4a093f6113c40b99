/**
 * Private: the WebAssembly SIMD kernels (source `scripts/wasm/simd_kernels.ts`),
 * instantiated once per thread, with a bump allocator over their memory.
 *
 * Every argument that names an array is a byte offset into `memory`. When
 * the runtime has no WebAssembly or no SIMD, `simdKernels()` returns null and
 * callers keep to the JavaScript kernels, which compute the same values.
 *
 * @module
 */

import { SIMD_KERNELS_BASE64 } from "./_simd_kernels_bytes.ts";

/** The exports of the SIMD module, for float64 (`…64`) and float32 (`…32`) data. */
export interface SimdKernels {
  memory: WebAssembly.Memory;
  /** Symmetric (sign 1) or antisymmetric (-1) sum of rows given by a table of row addresses. */
  combineRows64: CombineRows;
  combineRows32: CombineRows;
  /** In-place correlation of contiguous rows along the row, padded by a source-index table. */
  correlateRows64: CorrelateRows;
  correlateRows32: CorrelateRows;
  /** `imgAsFloat` of 16-bit integers (copied in raw), as the JavaScript conversion does. */
  convert16x64: Convert16;
  convert16x32: Convert16;
  /** A plane's three derivatives interleaved by vectors, as the Z pass reads them. */
  interleave3x64: Interleave3;
  interleave3x32: Interleave3;
  /** The Z pass of the six tensor entries, fused with the derivative products. */
  productsAlongZ64: ProductsAlongZ;
  productsAlongZ32: ProductsAlongZ;
  /** Closed-form 3×3 eigenvalues; flags the voxels left to the scalar path and returns their count. */
  eigenvaluesOf3x64: EigenvaluesOf3;
  eigenvaluesOf3x32: EigenvaluesOf3;
  /** Their eigenvectors, given the eigenvalues; flags the voxels left to the scalar path and returns how many it newly flagged. */
  eigenvectorsOf3x64: EigenvectorsOf3;
  eigenvectorsOf3x32: EigenvectorsOf3;
  /** Bytes of scratch the eigen kernels take (their `pair` and `scratch` arguments). */
  EIGEN_SCRATCH_BYTES: WebAssembly.Global;
  /** Where the module's static data (the eigen kernels' constants) ends: arrays go after it. */
  DATA_END: WebAssembly.Global;
}

type CombineRows = (
  target: number,
  stride: number,
  base: number,
  table: number,
  count: number,
  weights: number,
  radius: number,
  n: number,
  sign: number,
) => void;
type CorrelateRows = (
  data: number,
  rows: number,
  n: number,
  weights: number,
  radius: number,
  sign: number,
  source: number,
  cval: number,
  line: number,
) => void;
type Convert16 = (
  source: number,
  n: number,
  scale: number,
  signed: number,
  target: number,
) => void;
type Interleave3 = (
  d0: number,
  d1: number,
  d2: number,
  target: number,
  n: number,
) => void;
type ProductsAlongZ = (
  sums: number,
  planes: number,
  weights: number,
  radius: number,
  n: number,
  cval: number,
) => void;
type EigenvaluesOf3 = (
  entries: number,
  n: number,
  targets: number,
  flags: number,
  pair: number,
) => number;
type EigenvectorsOf3 = (
  entries: number,
  n: number,
  values: number,
  targets: number,
  flags: number,
  scratch: number,
) => number;

let compiled: WebAssembly.Module | null | undefined;
let instance: SimdKernels | null | undefined;

/** The compiled SIMD module, or null where WebAssembly SIMD is unavailable; compiled once per thread. */
export function simdModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (typeof WebAssembly !== "object") return compiled;
  const bytes = Uint8Array.from(
    atob(SIMD_KERNELS_BASE64),
    (c) => c.charCodeAt(0),
  );
  if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
  return compiled;
}

/**
 * Makes this thread use `module` (posted by the thread that compiled it)
 * unless it already has its own. A worker then runs the code the engine has
 * already optimized for the sender, instead of compiling again and running
 * the baseline tier until its own optimized code is ready.
 */
export function adoptSimdModule(module: WebAssembly.Module): void {
  compiled ??= module;
}

/** This thread's instance of the SIMD kernels, or null where WebAssembly SIMD is unavailable. */
export function simdKernels(): SimdKernels | null {
  if (instance !== undefined) return instance;
  const module = simdModule();
  instance = module === null
    ? null
    : new WebAssembly.Instance(module, {}).exports as unknown as SimdKernels;
  return instance;
}

/** Bytes kept free at address 0, so that 0 can mean "no row" in the kernels' tables. */
const RESERVED = 64;
const PAGE = 65536;

/**
 * Lays out arrays in the kernels' memory, after their static data:
 * `take` hands out 16-byte aligned offsets (each array followed by 16 spare
 * bytes, which vector tails may touch), `commit` grows the memory to fit,
 * after which `views` are valid.
 */
export class SimdArena {
  #next: number;
  readonly kernels: SimdKernels;

  constructor(kernels: SimdKernels) {
    this.kernels = kernels;
    this.#next = Math.ceil(Math.max(RESERVED, kernels.DATA_END.value) / 16) *
      16;
  }

  /** Reserves `bytes` bytes; returns their offset. */
  take(bytes: number): number {
    const offset = this.#next;
    this.#next = Math.ceil((offset + bytes + 16) / 16) * 16;
    return offset;
  }

  /** Grows the memory to hold everything taken; returns views of all of it. */
  commit(): {
    f64: Float64Array;
    f32: Float32Array;
    i32: Int32Array;
    u8: Uint8Array;
  } {
    const memory = this.kernels.memory;
    const missing = this.#next - memory.buffer.byteLength;
    if (missing > 0) {
      try {
        memory.grow(Math.ceil(missing / PAGE));
      } catch (error) {
        throw new RangeError(
          `the SIMD kernels need ${this.#next} bytes of WebAssembly memory, ` +
            `over its 4 GiB limit or what the system grants (planes too wide?)`,
          { cause: error },
        );
      }
    }
    const buffer = memory.buffer;
    return {
      f64: new Float64Array(buffer),
      f32: new Float32Array(buffer),
      i32: new Int32Array(buffer),
      u8: new Uint8Array(buffer),
    };
  }
}
