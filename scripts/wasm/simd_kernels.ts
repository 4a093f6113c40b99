// AssemblyScript source of stria's WebAssembly SIMD kernels (compiled by
// `scripts/build_wasm.ts` into `lib/wasm/_simd_kernels_bytes.ts`).
//
// Each kernel exists for float64 (f64x2, two voxels per instruction) and
// float32 (f32x4, four). Every voxel's terms are added in the same order as
// the JavaScript kernels in `lib/filters/_correlate_axis.ts`,
// `lib/feature/_tensor_backend_js.ts` and `lib/feature/_symmetric_eigenvalues.ts`
// (SciPy's order), with no fused multiply-add, so the float64 kernels give
// the JavaScript results bit for bit. Arguments are byte offsets into this
// module's memory; tables of row addresses are i32 arrays.

// The eigenvalue solver's thresholds and coefficients: `scripts/build_wasm.ts`
// compiles lib/feature/_eigen_constants.ts as "eigen_constants".
import {
  COS_THIRD_C0, COS_THIRD_C1, COS_THIRD_C2, COS_THIRD_C3, COS_THIRD_C4, COS_THIRD_C5,
  EQUAL_SPREAD, EQUAL_SPREAD_FLOAT32, NEAR_DEGENERATE, NEAR_DEGENERATE_FLOAT32, SQRT3,
  TINY_SCALE, TINY_SCALE_FLOAT32,
} from "./eigen_constants";

// Constants of the eigen kernels, one table per element type in the
// module's data: V8 builds a v128 constant anew at every use inside a loop
// (three or four instructions), where `vConst`'s load from a constant address
// is one and needs no bounds check.
const K_ZERO: usize = 0, K_HALF: usize = 1, K_ONE: usize = 2, K_TWO: usize = 3, K_THREE: usize = 4;
const K_FOUR: usize = 5, K_SIX: usize = 6, K_TWELVE: usize = 7, K_THIRD: usize = 8, K_SIXTH: usize = 9;
const K_SQRT3: usize = 10, K_INFINITY: usize = 11, K_TINY: usize = 12, K_EQUAL_SPREAD: usize = 13;
const K_NEAR_DEGENERATE: usize = 14, K_COS_C0: usize = 15, K_COS_C1: usize = 16, K_COS_C2: usize = 17;
const K_COS_C3: usize = 18, K_COS_C4: usize = 19, K_COS_C5: usize = 20;
const CONSTANTS64 = memory.data<f64>([
  0, 0.5, 1, 2, 3, 4, 6, 12, 1.0 / 3.0, 1.0 / 6.0, SQRT3, Infinity,
  TINY_SCALE, EQUAL_SPREAD, NEAR_DEGENERATE,
  COS_THIRD_C0, COS_THIRD_C1, COS_THIRD_C2, COS_THIRD_C3, COS_THIRD_C4, COS_THIRD_C5,
]);
// The same values rounded to float32 once (as `f32x4.splat(<f32>x)` did), with float32's thresholds.
const CONSTANTS32 = memory.data<f32>([
  0, 0.5, 1, 2, 3, 4, 6, 12, <f32>(1.0 / 3.0), <f32>(1.0 / 6.0), <f32>SQRT3, Infinity,
  <f32>TINY_SCALE_FLOAT32, <f32>EQUAL_SPREAD_FLOAT32, <f32>NEAR_DEGENERATE_FLOAT32,
  <f32>COS_THIRD_C0, <f32>COS_THIRD_C1, <f32>COS_THIRD_C2, <f32>COS_THIRD_C3, <f32>COS_THIRD_C4, <f32>COS_THIRD_C5,
]);

// Everything but the sign bit, and the sign bit: `vAbs` and `vNeg` as bitwise
// operations on a loaded mask, where V8 loads its own mask's address first.
const SIGN_MASKS64 = memory.data<u64>([0x7FFFFFFFFFFFFFFF, 0x8000000000000000]);
const SIGN_MASKS32 = memory.data<u32>([0x7FFFFFFF, 0x80000000]);

/** The address where the kernels' static data ends: callers lay out their arrays after it. */
export const DATA_END: i32 = <i32>__heap_base;

// Vector helpers that pick f64x2 or f32x4 by the element type T at compile time.
// @ts-ignore: decorator
@inline function vSplat<T>(x: f64): v128 {
  return sizeof<T>() == 8 ? f64x2.splat(x) : f32x4.splat(<f32>x);
}
// Constant k of the tables above, in every lane.
// @ts-ignore: decorator
@inline function vConst<T>(k: usize): v128 {
  return sizeof<T>() == 8 ? v128.load64_splat(CONSTANTS64 + (k << 3)) : v128.load32_splat(CONSTANTS32 + (k << 2));
}
// @ts-ignore: decorator
@inline function vAdd<T>(a: v128, b: v128): v128 {
  return sizeof<T>() == 8 ? f64x2.add(a, b) : f32x4.add(a, b);
}
// @ts-ignore: decorator
@inline function vSub<T>(a: v128, b: v128): v128 {
  return sizeof<T>() == 8 ? f64x2.sub(a, b) : f32x4.sub(a, b);
}
// @ts-ignore: decorator
@inline function vMul<T>(a: v128, b: v128): v128 {
  return sizeof<T>() == 8 ? f64x2.mul(a, b) : f32x4.mul(a, b);
}
// @ts-ignore: decorator
@inline function vDiv<T>(a: v128, b: v128): v128 {
  return sizeof<T>() == 8 ? f64x2.div(a, b) : f32x4.div(a, b);
}
// @ts-ignore: decorator
@inline function vSqrt<T>(a: v128): v128 {
  return sizeof<T>() == 8 ? f64x2.sqrt(a) : f32x4.sqrt(a);
}
// @ts-ignore: decorator
@inline function vAbs<T>(a: v128): v128 {
  return v128.and(a, sizeof<T>() == 8 ? v128.load64_splat(SIGN_MASKS64) : v128.load32_splat(SIGN_MASKS32));
}
// @ts-ignore: decorator
@inline function vMax<T>(a: v128, b: v128): v128 {
  return sizeof<T>() == 8 ? f64x2.max(a, b) : f32x4.max(a, b);
}
// Lanes where a < b (false for NaN).
// @ts-ignore: decorator
@inline function vLt<T>(a: v128, b: v128): v128 {
  return sizeof<T>() == 8 ? f64x2.lt(a, b) : f32x4.lt(a, b);
}
// Lanes where a >= b (false for NaN).
// @ts-ignore: decorator
@inline function vGe<T>(a: v128, b: v128): v128 {
  return sizeof<T>() == 8 ? f64x2.ge(a, b) : f32x4.ge(a, b);
}

// Lanes where a <= b (false for NaN).
// @ts-ignore: decorator
@inline function vLe<T>(a: v128, b: v128): v128 {
  return sizeof<T>() == 8 ? f64x2.le(a, b) : f32x4.le(a, b);
}
// Lanes where a > b (false for NaN).
// @ts-ignore: decorator
@inline function vGt<T>(a: v128, b: v128): v128 {
  return sizeof<T>() == 8 ? f64x2.gt(a, b) : f32x4.gt(a, b);
}
// Lanes where a == b.
// @ts-ignore: decorator
@inline function vEq<T>(a: v128, b: v128): v128 {
  return sizeof<T>() == 8 ? f64x2.eq(a, b) : f32x4.eq(a, b);
}
// @ts-ignore: decorator
@inline function vNeg<T>(a: v128): v128 {
  return v128.xor(a, sizeof<T>() == 8 ? v128.load64_splat(SIGN_MASKS64 + 8) : v128.load32_splat(SIGN_MASKS32 + 4));
}
// @ts-ignore: decorator
@inline function vMin<T>(a: v128, b: v128): v128 {
  return sizeof<T>() == 8 ? f64x2.min(a, b) : f32x4.min(a, b);
}
// b < a ? a : b: one instruction on x64, where max takes eight for its NaN and -0 rules.
// @ts-ignore: decorator
@inline function vPmax<T>(a: v128, b: v128): v128 {
  return sizeof<T>() == 8 ? f64x2.pmax(a, b) : f32x4.pmax(a, b);
}
// a where mask is set, else b.
// @ts-ignore: decorator
@inline function vSelect(a: v128, b: v128, mask: v128): v128 {
  return v128.bitselect(a, b, mask);
}
// One bit per lane: bit i set where lane i of mask is set.
// @ts-ignore: decorator
@inline function vBits<T>(mask: v128): i32 {
  return sizeof<T>() == 8 ? i64x2.bitmask(mask) : i32x4.bitmask(mask);
}

// @ts-ignore: decorator
@inline function pointerAt(table: usize, index: i32): usize {
  return <usize>load<i32>(table + (<usize>index << 2));
}

/**
 * Symmetric (sign 1) or antisymmetric (sign -1) combination of rows, for
 * `count` target rows of `n` values: target row j (at `target + j·stride`
 * bytes) is `c·w[R] + Σ_{k=R..1} (l_k ± r_k)·w[R-k]`, where the 2R+1 source
 * rows of target j are at `base + table[j·(2R+1) + R + t]`, t = -R..R.
 */
function combineRows<T>(
  target: usize,
  stride: usize,
  base: usize,
  table: usize,
  count: i32,
  weights: usize,
  radius: i32,
  n: i32,
  sign: i32,
): void {
  const lanes = 16 / sizeof<T>();
  const size = <usize>sizeof<T>();
  const taps = 2 * radius + 1;
  const w0 = <f64>load<T>(weights + <usize>radius * size);
  const w0v = vSplat<T>(w0);
  for (let j = 0; j < count; j++) {
    const rowTable = table + (<usize>(j * taps) << 2);
    const centre = base + pointerAt(rowTable, radius);
    const out = target + <usize>j * stride;
    let x = 0;
    // Eight vectors at a time: each tap's row addresses and weight are loaded once for all eight.
    for (; x + 8 * lanes <= n; x += 8 * lanes) {
      const o = <usize>x * size;
      let acc0 = vMul<T>(v128.load(centre + o, 0), w0v);
      let acc1 = vMul<T>(v128.load(centre + o, 16), w0v);
      let acc2 = vMul<T>(v128.load(centre + o, 32), w0v);
      let acc3 = vMul<T>(v128.load(centre + o, 48), w0v);
      let acc4 = vMul<T>(v128.load(centre + o, 64), w0v);
      let acc5 = vMul<T>(v128.load(centre + o, 80), w0v);
      let acc6 = vMul<T>(v128.load(centre + o, 96), w0v);
      let acc7 = vMul<T>(v128.load(centre + o, 112), w0v);
      for (let k = radius; k >= 1; k--) {
        const l = base + pointerAt(rowTable, radius - k) + o;
        const r = base + pointerAt(rowTable, radius + k) + o;
        const wk = vSplat<T>(<f64>load<T>(weights + <usize>(radius - k) * size));
        if (sign > 0) {
          acc0 = vAdd<T>(acc0, vMul<T>(vAdd<T>(v128.load(l, 0), v128.load(r, 0)), wk));
          acc1 = vAdd<T>(acc1, vMul<T>(vAdd<T>(v128.load(l, 16), v128.load(r, 16)), wk));
          acc2 = vAdd<T>(acc2, vMul<T>(vAdd<T>(v128.load(l, 32), v128.load(r, 32)), wk));
          acc3 = vAdd<T>(acc3, vMul<T>(vAdd<T>(v128.load(l, 48), v128.load(r, 48)), wk));
          acc4 = vAdd<T>(acc4, vMul<T>(vAdd<T>(v128.load(l, 64), v128.load(r, 64)), wk));
          acc5 = vAdd<T>(acc5, vMul<T>(vAdd<T>(v128.load(l, 80), v128.load(r, 80)), wk));
          acc6 = vAdd<T>(acc6, vMul<T>(vAdd<T>(v128.load(l, 96), v128.load(r, 96)), wk));
          acc7 = vAdd<T>(acc7, vMul<T>(vAdd<T>(v128.load(l, 112), v128.load(r, 112)), wk));
        } else {
          acc0 = vAdd<T>(acc0, vMul<T>(vSub<T>(v128.load(l, 0), v128.load(r, 0)), wk));
          acc1 = vAdd<T>(acc1, vMul<T>(vSub<T>(v128.load(l, 16), v128.load(r, 16)), wk));
          acc2 = vAdd<T>(acc2, vMul<T>(vSub<T>(v128.load(l, 32), v128.load(r, 32)), wk));
          acc3 = vAdd<T>(acc3, vMul<T>(vSub<T>(v128.load(l, 48), v128.load(r, 48)), wk));
          acc4 = vAdd<T>(acc4, vMul<T>(vSub<T>(v128.load(l, 64), v128.load(r, 64)), wk));
          acc5 = vAdd<T>(acc5, vMul<T>(vSub<T>(v128.load(l, 80), v128.load(r, 80)), wk));
          acc6 = vAdd<T>(acc6, vMul<T>(vSub<T>(v128.load(l, 96), v128.load(r, 96)), wk));
          acc7 = vAdd<T>(acc7, vMul<T>(vSub<T>(v128.load(l, 112), v128.load(r, 112)), wk));
        }
      }
      v128.store(out + o, acc0, 0);
      v128.store(out + o, acc1, 16);
      v128.store(out + o, acc2, 32);
      v128.store(out + o, acc3, 48);
      v128.store(out + o, acc4, 64);
      v128.store(out + o, acc5, 80);
      v128.store(out + o, acc6, 96);
      v128.store(out + o, acc7, 112);
    }
    for (; x + lanes <= n; x += lanes) {
      const o = <usize>x * size;
      let acc = vMul<T>(v128.load(centre + o), w0v);
      for (let k = radius; k >= 1; k--) {
        const l = v128.load(base + pointerAt(rowTable, radius - k) + o);
        const r = v128.load(base + pointerAt(rowTable, radius + k) + o);
        const wk = vSplat<T>(<f64>load<T>(weights + <usize>(radius - k) * size));
        acc = vAdd<T>(acc, vMul<T>(sign > 0 ? vAdd<T>(l, r) : vSub<T>(l, r), wk));
      }
      v128.store(out + o, acc);
    }
    for (; x < n; x++) {
      const o = <usize>x * size;
      let acc: T = load<T>(centre + o) * <T>w0;
      for (let k = radius; k >= 1; k--) {
        const l = load<T>(base + pointerAt(rowTable, radius - k) + o);
        const r = load<T>(base + pointerAt(rowTable, radius + k) + o);
        const wk = load<T>(weights + <usize>(radius - k) * size);
        acc += (sign > 0 ? l + r : l - r) * wk;
      }
      store<T>(out + o, acc);
    }
  }
}

/**
 * In-place symmetric (sign 1) or antisymmetric (sign -1) correlation of
 * `rows` contiguous rows of `n` values along the row, each row padded into
 * `line` first: padded position p takes row value `source[p]` (an i32 table
 * of n + 2R entries), or `cval` where that is -1. The padded line is then
 * `combineRows` of its 2R+1 shifted copies, whose addresses are kept after
 * the line (the caller leaves room for n + 2R values and 2R+1 i32).
 */
function correlateRows<T>(
  data: usize,
  rows: i32,
  n: i32,
  weights: usize,
  radius: i32,
  sign: i32,
  source: usize,
  cval: f64,
  line: usize,
): void {
  const size = <usize>sizeof<T>();
  const padded = n + 2 * radius;
  const shifted = line + <usize>padded * size;
  for (let t = 0; t <= 2 * radius; t++) {
    store<i32>(shifted + (<usize>t << 2), <i32>(line + <usize>t * size));
  }
  for (let j = 0; j < rows; j++) {
    const row = data + <usize>j * <usize>n * size;
    for (let p = 0; p < radius; p++) {
      const s = load<i32>(source + (<usize>p << 2));
      store<T>(line + <usize>p * size, s < 0 ? <T>cval : load<T>(row + <usize>s * size));
    }
    memory.copy(line + <usize>radius * size, row, <usize>n * size);
    for (let p = n + radius; p < padded; p++) {
      const s = load<i32>(source + (<usize>p << 2));
      store<T>(line + <usize>p * size, s < 0 ? <T>cval : load<T>(row + <usize>s * size));
    }
    combineRows<T>(row, 0, 0, shifted, 1, weights, radius, n, sign);
  }
}

/**
 * `imgAsFloat` of `n` 16-bit integers at `source` (signed when `signed` is
 * 1) into `target`: `x · scale` in float64, clamped at -1 when signed, then
 * stored as T, as the JavaScript conversion of `_tensor_backend_simd.ts`
 * does value by value (a float32 target rounds the float64 product once).
 */
function convert16<T>(source: usize, n: i32, scale: f64, signed: i32, target: usize): void {
  const size = <usize>sizeof<T>();
  const sv = f64x2.splat(scale), minus = f64x2.splat(-1);
  let x = 0;
  for (; x + 4 <= n; x += 4) {
    const raw = v128.load64_zero(source + (<usize>x << 1));
    const wide = signed != 0 ? i32x4.extend_low_i16x8_s(raw) : i32x4.extend_low_i16x8_u(raw);
    let low = f64x2.mul(f64x2.convert_low_i32x4_s(wide), sv);
    let high = f64x2.mul(f64x2.convert_low_i32x4_s(v128.shuffle<i32>(wide, wide, 2, 3, 2, 3)), sv);
    if (signed != 0) {
      // value < -1 ? -1 : value
      low = f64x2.pmax(minus, low);
      high = f64x2.pmax(minus, high);
    }
    const o = <usize>x * size;
    if (sizeof<T>() == 8) {
      v128.store(target + o, low);
      v128.store(target + o, high, 16);
    } else {
      v128.store(target + o, v128.shuffle<i64>(f32x4.demote_f64x2_zero(low), f32x4.demote_f64x2_zero(high), 0, 2));
    }
  }
  for (; x < n; x++) {
    const at = source + (<usize>x << 1);
    let value = (signed != 0 ? <f64>load<i16>(at) : <f64>load<u16>(at)) * scale;
    if (signed != 0 && value < -1) value = -1;
    store<T>(target + <usize>x * size, <T>value);
  }
}

/**
 * Interleaves a plane's three derivatives (`n` values each) by vectors into
 * `target`: group g holds vector g of d0, then of d1, then of d2 (48 bytes),
 * so that `productsAlongZ` reads one stream per plane instead of three. The
 * last group may hold the padding after each array.
 */
function interleave3(d0: usize, d1: usize, d2: usize, target: usize, n: i32, size: usize): void {
  const groups = <usize>((<usize>n * size + 15) >> 4);
  for (let g: usize = 0; g < groups; g++) {
    const o = g << 4, t = target + g * 48;
    v128.store(t, v128.load(d0 + o));
    v128.store(t, v128.load(d1 + o), 16);
    v128.store(t, v128.load(d2 + o), 32);
  }
}

/**
 * One vector of `productsAlongZ` (at byte offset `o` of each sum); `inside`
 * (a constant where it is inlined): every plane is inside the volume.
 */
// @ts-ignore: decorator
@inline function productsVectorV<T>(
  s0: usize, s1: usize, s2: usize, s3: usize, s4: usize, s5: usize,
  planes: usize, c: usize, weights: usize, w0: v128, radius: i32, cv: v128, o: usize, inside: bool,
): void {
  const size = <usize>sizeof<T>();
  // Group x / lanes of every plane's interleaved derivatives.
  const g = o * 3;
  const a = v128.load(c + g), b = v128.load(c + g, 16), d = v128.load(c + g, 32);
  let p00 = vMul<T>(vMul<T>(a, a), w0);
  let p01 = vMul<T>(vMul<T>(a, b), w0);
  let p02 = vMul<T>(vMul<T>(a, d), w0);
  let p11 = vMul<T>(vMul<T>(b, b), w0);
  let p12 = vMul<T>(vMul<T>(b, d), w0);
  let p22 = vMul<T>(vMul<T>(d, d), w0);
  for (let k = radius; k >= 1; k--) {
    const wk = vSplat<T>(<f64>load<T>(weights + <usize>(radius - k) * size));
    const left = pointerAt(planes, radius - k), right = pointerAt(planes, radius + k);
    if (inside || (left != 0 && right != 0)) {
      const la = v128.load(left + g), lb = v128.load(left + g, 16), ld = v128.load(left + g, 32);
      const ra = v128.load(right + g), rb = v128.load(right + g, 16), rd = v128.load(right + g, 32);
      p00 = vAdd<T>(p00, vMul<T>(vAdd<T>(vMul<T>(la, la), vMul<T>(ra, ra)), wk));
      p01 = vAdd<T>(p01, vMul<T>(vAdd<T>(vMul<T>(la, lb), vMul<T>(ra, rb)), wk));
      p02 = vAdd<T>(p02, vMul<T>(vAdd<T>(vMul<T>(la, ld), vMul<T>(ra, rd)), wk));
      p11 = vAdd<T>(p11, vMul<T>(vAdd<T>(vMul<T>(lb, lb), vMul<T>(rb, rb)), wk));
      p12 = vAdd<T>(p12, vMul<T>(vAdd<T>(vMul<T>(lb, ld), vMul<T>(rb, rd)), wk));
      p22 = vAdd<T>(p22, vMul<T>(vAdd<T>(vMul<T>(ld, ld), vMul<T>(rd, rd)), wk));
    } else {
      let q00 = cv, q01 = cv, q02 = cv, q11 = cv, q12 = cv, q22 = cv;
      let u00 = cv, u01 = cv, u02 = cv, u11 = cv, u12 = cv, u22 = cv;
      if (left != 0) {
        const la = v128.load(left + g), lb = v128.load(left + g, 16), ld = v128.load(left + g, 32);
        q00 = vMul<T>(la, la), q01 = vMul<T>(la, lb), q02 = vMul<T>(la, ld);
        q11 = vMul<T>(lb, lb), q12 = vMul<T>(lb, ld), q22 = vMul<T>(ld, ld);
      }
      if (right != 0) {
        const ra = v128.load(right + g), rb = v128.load(right + g, 16), rd = v128.load(right + g, 32);
        u00 = vMul<T>(ra, ra), u01 = vMul<T>(ra, rb), u02 = vMul<T>(ra, rd);
        u11 = vMul<T>(rb, rb), u12 = vMul<T>(rb, rd), u22 = vMul<T>(rd, rd);
      }
      p00 = vAdd<T>(p00, vMul<T>(vAdd<T>(q00, u00), wk));
      p01 = vAdd<T>(p01, vMul<T>(vAdd<T>(q01, u01), wk));
      p02 = vAdd<T>(p02, vMul<T>(vAdd<T>(q02, u02), wk));
      p11 = vAdd<T>(p11, vMul<T>(vAdd<T>(q11, u11), wk));
      p12 = vAdd<T>(p12, vMul<T>(vAdd<T>(q12, u12), wk));
      p22 = vAdd<T>(p22, vMul<T>(vAdd<T>(q22, u22), wk));
    }
  }
  v128.store(s0 + o, p00);
  v128.store(s1 + o, p01);
  v128.store(s2 + o, p02);
  v128.store(s3 + o, p11);
  v128.store(s4 + o, p12);
  v128.store(s5 + o, p22);
}

/**
 * The Z pass of the six tensor entries fused with the products of the
 * derivatives: `sums[p][x] = P(0)·w[R] + Σ_{k=R..1} (P(-k) + P(k))·w[R-k]`,
 * P(t) = d_i·d_j of plane t for the pair p = (i, j) in (0,0), (0,1), (0,2),
 * (1,1), (1,2), (2,2), and `cval` for a plane outside the volume. `planes`
 * holds the address of each plane's interleaved derivatives (`interleave3`),
 * t = -R..R (0: outside); `sums` six target addresses.
 */
function productsAlongZ<T>(
  sums: usize,
  planes: usize,
  weights: usize,
  radius: i32,
  n: i32,
  cval: f64,
): void {
  const lanes = 16 / sizeof<T>();
  const size = <usize>sizeof<T>();
  const w0 = vSplat<T>(<f64>load<T>(weights + <usize>radius * size));
  const cv = vSplat<T>(cval);
  const s0 = pointerAt(sums, 0), s1 = pointerAt(sums, 1), s2 = pointerAt(sums, 2);
  const s3 = pointerAt(sums, 3), s4 = pointerAt(sums, 4), s5 = pointerAt(sums, 5);
  const c = pointerAt(planes, radius);
  let inside = true;
  for (let t = 0; t <= 2 * radius; t++) inside = inside && pointerAt(planes, t) != 0;
  let x = 0;
  // With every plane inside the volume (all but the first and last few), taps need no test.
  if (inside) {
    for (; x + lanes <= n; x += lanes) {
      productsVectorV<T>(s0, s1, s2, s3, s4, s5, planes, c, weights, w0, radius, cv, <usize>x * size, true);
    }
  }
  for (; x + lanes <= n; x += lanes) {
    productsVectorV<T>(s0, s1, s2, s3, s4, s5, planes, c, weights, w0, radius, cv, <usize>x * size, false);
  }
  for (; x < n; x++) {
    const o = <usize>x * size;
    // Value x is lane x % lanes of group x / lanes; derivative i 16·i bytes further.
    const at = <usize>(x / lanes) * 48 + <usize>(x % lanes) * size;
    for (let p = 0; p < 6; p++) {
      const i = <usize>(p < 3 ? 0 : p < 5 ? 1 : 2) << 4;
      const j = <usize>(p < 3 ? p : p < 5 ? p - 2 : 2) << 4;
      let acc: T = load<T>(c + at + i) * load<T>(c + at + j) *
        load<T>(weights + <usize>radius * size);
      for (let k = radius; k >= 1; k--) {
        const wk = load<T>(weights + <usize>(radius - k) * size);
        const left = pointerAt(planes, radius - k), right = pointerAt(planes, radius + k);
        const l: T = left != 0 ? load<T>(left + at + i) * load<T>(left + at + j) : <T>cval;
        const r: T = right != 0 ? load<T>(right + at + i) * load<T>(right + at + j) : <T>cval;
        acc += (l + r) * wk;
      }
      store<T>(pointerAt(sums, p) + o, acc);
    }
  }
}


/** cos(acos(r) / 3) lane by lane, as `cosThirdArccos` in `_symmetric_eigenvalues.ts`. */
// @ts-ignore: decorator
@inline function cosThirdArccosV<T>(r: v128): v128 {
  const u = vAdd<T>(vConst<T>(K_ONE), r);
  return cosThirdRefineV<T>(cosThirdStartV<T>(u), u);
}

/** The start of `cosThirdArccosV` for u = 1 + r: the quintic fit in sqrt(u) of cos(acos(r) / 3) - 1/2. */
// @ts-ignore: decorator
@inline function cosThirdStartV<T>(u: v128): v128 {
  const t = vSqrt<T>(u);
  return vAdd<T>(vConst<T>(K_COS_C0), vMul<T>(t, vAdd<T>(vConst<T>(K_COS_C1),
    vMul<T>(t, vAdd<T>(vConst<T>(K_COS_C2), vMul<T>(t, vAdd<T>(vConst<T>(K_COS_C3),
    vMul<T>(t, vAdd<T>(vConst<T>(K_COS_C4), vMul<T>(t, vConst<T>(K_COS_C5)))))))))));
}

/** The rest of `cosThirdArccosV`: Newton steps from `cosThirdStartV`'s e, then 1/2 + e. */
// @ts-ignore: decorator
@inline function cosThirdRefineV<T>(start: v128, u: v128): v128 {
  const one = vConst<T>(K_ONE), six = vConst<T>(K_SIX), four = vConst<T>(K_FOUR), twelve = vConst<T>(K_TWELVE);
  let e = start;
  // From within 3e-6, Newton doubles the digits: one step suffices for float32.
  for (let step = 0; step < (sizeof<T>() == 8 ? 2 : 1); step++) {
    e = vSub<T>(e, vDiv<T>(
      vSub<T>(vMul<T>(vMul<T>(e, e), vAdd<T>(six, vMul<T>(four, e))), u),
      vMul<T>(vMul<T>(twelve, e), vAdd<T>(one, e)),
    ));
  }
  return vAdd<T>(vConst<T>(K_HALF), e);
}

/**
 * `isolatedEigenvector` of `_symmetric_frame.ts` lane by lane, operation for
 * operation: the largest cross product of two rows of M − μI, stored to
 * `out` (x, y, z, squared norm: four vectors).
 */
// @ts-ignore: decorator
@inline function isolatedEigenvectorV<T>(
  m00: v128, m11: v128, m22: v128, m01: v128, m02: v128, m12: v128, mu: v128, out: usize,
): void {
  const c00 = vSub<T>(m00, mu), c11 = vSub<T>(m11, mu), c22 = vSub<T>(m22, mu);
  const x1 = vSub<T>(vMul<T>(m01, m12), vMul<T>(m02, c11));
  const y1 = vSub<T>(vMul<T>(m02, m01), vMul<T>(c00, m12));
  const z1 = vSub<T>(vMul<T>(c00, c11), vMul<T>(m01, m01));
  const x2 = vSub<T>(vMul<T>(m01, c22), vMul<T>(m02, m12));
  const y2 = vSub<T>(vMul<T>(m02, m02), vMul<T>(c00, c22));
  const z2 = vSub<T>(vMul<T>(c00, m12), vMul<T>(m01, m02));
  const x3 = vSub<T>(vMul<T>(c11, c22), vMul<T>(m12, m12));
  const y3 = vSub<T>(vMul<T>(m12, m02), vMul<T>(m01, c22));
  const z3 = vSub<T>(vMul<T>(m01, m12), vMul<T>(c11, m02));
  const n1 = vAdd<T>(vAdd<T>(vMul<T>(x1, x1), vMul<T>(y1, y1)), vMul<T>(z1, z1));
  const n2 = vAdd<T>(vAdd<T>(vMul<T>(x2, x2), vMul<T>(y2, y2)), vMul<T>(z2, z2));
  const n3 = vAdd<T>(vAdd<T>(vMul<T>(x3, x3), vMul<T>(y3, y3)), vMul<T>(z3, z3));
  const take2 = vGt<T>(n2, n1);
  let vx = vSelect(x2, x1, take2), vy = vSelect(y2, y1, take2), vz = vSelect(z2, z1, take2);
  let norm = vSelect(n2, n1, take2);
  const take3 = vGt<T>(n3, norm);
  v128.store(out, vSelect(x3, vx, take3));
  v128.store(out, vSelect(y3, vy, take3), 16);
  v128.store(out, vSelect(z3, vz, take3), 32);
  v128.store(out, vSelect(n3, norm, take3), 48);
}

/**
 * `complementPair` of `_symmetric_frame.ts` lane by lane, operation for
 * operation: for unit vectors v, the frame vectors u, w and M's restriction
 * [u w]ᵀ M [u w], stored to `out` (ux, uy, uz, wx, wy, wz, p00, p01, p11:
 * nine vectors).
 */
// @ts-ignore: decorator
@inline function complementPairV<T>(
  vx: v128, vy: v128, vz: v128,
  m00: v128, m11: v128, m22: v128, m01: v128, m02: v128, m12: v128, out: usize,
): void {
  const one = vConst<T>(K_ONE), zero = vConst<T>(K_ZERO);
  const ax = vAbs<T>(vx), ay = vAbs<T>(vy), az = vAbs<T>(vz);
  const first = v128.and(vLe<T>(ax, ay), vLe<T>(ax, az));
  const second = v128.andnot(vLe<T>(ay, az), first);
  // first: (0, vz, -vy); second: (-vz, 0, vx); else (vy, -vx, 0).
  let ux = vSelect(zero, vSelect(vNeg<T>(vz), vy, second), first);
  let uy = vSelect(vz, vSelect(zero, vNeg<T>(vx), second), first);
  let uz = vSelect(vNeg<T>(vy), vSelect(vx, zero, second), first);
  const un = vDiv<T>(one, vSqrt<T>(vAdd<T>(vAdd<T>(vMul<T>(ux, ux), vMul<T>(uy, uy)), vMul<T>(uz, uz))));
  ux = vMul<T>(ux, un), uy = vMul<T>(uy, un), uz = vMul<T>(uz, un);
  const wx = vSub<T>(vMul<T>(vy, uz), vMul<T>(vz, uy));
  const wy = vSub<T>(vMul<T>(vz, ux), vMul<T>(vx, uz));
  const wz = vSub<T>(vMul<T>(vx, uy), vMul<T>(vy, ux));
  const mux = vAdd<T>(vAdd<T>(vMul<T>(m00, ux), vMul<T>(m01, uy)), vMul<T>(m02, uz));
  const muy = vAdd<T>(vAdd<T>(vMul<T>(m01, ux), vMul<T>(m11, uy)), vMul<T>(m12, uz));
  const muz = vAdd<T>(vAdd<T>(vMul<T>(m02, ux), vMul<T>(m12, uy)), vMul<T>(m22, uz));
  const mwx = vAdd<T>(vAdd<T>(vMul<T>(m00, wx), vMul<T>(m01, wy)), vMul<T>(m02, wz));
  const mwy = vAdd<T>(vAdd<T>(vMul<T>(m01, wx), vMul<T>(m11, wy)), vMul<T>(m12, wz));
  const mwz = vAdd<T>(vAdd<T>(vMul<T>(m02, wx), vMul<T>(m12, wy)), vMul<T>(m22, wz));
  v128.store(out, ux);
  v128.store(out, uy, 16);
  v128.store(out, uz, 32);
  v128.store(out, wx, 48);
  v128.store(out, wy, 64);
  v128.store(out, wz, 80);
  v128.store(out, vAdd<T>(vAdd<T>(vMul<T>(ux, mux), vMul<T>(uy, muy)), vMul<T>(uz, muz)), 96);
  v128.store(out, vAdd<T>(vAdd<T>(vMul<T>(wx, mux), vMul<T>(wy, muy)), vMul<T>(wz, muz)), 112);
  v128.store(out, vAdd<T>(vAdd<T>(vMul<T>(wx, mwx), vMul<T>(wy, mwy)), vMul<T>(wz, mwz)), 128);
}

/**
 * `deflated` of `_symmetric_eigenvalues.ts` lane by lane, operation for
 * operation, in three steps so that `eigenvaluesOf3` runs each over all of a
 * chunk's vectors that deflate. First the isolated eigenvalue μ of B (trace
 * 0, two eigenvalues nearly coincide): the closed form's start refined by
 * one Newton step on the characteristic polynomial.
 */
// @ts-ignore: decorator
@inline function deflationShiftV<T>(p2: v128, det: v128): v128 {
  const one = vConst<T>(K_ONE), two = vConst<T>(K_TWO), zero = vConst<T>(K_ZERO);
  const p = vSqrt<T>(vDiv<T>(p2, vConst<T>(K_SIX)));
  const r = vDiv<T>(det, vMul<T>(vMul<T>(vMul<T>(two, p), p), p));
  const cosPhi = cosThirdArccosV<T>(vMax<T>(vNeg<T>(one), vMin<T>(one, r)));
  const sinPhi = vSqrt<T>(vSub<T>(one, vMul<T>(cosPhi, cosPhi)));
  const start = vSelect(
    vMul<T>(vMul<T>(two, p), cosPhi),
    vMul<T>(vNeg<T>(p), vAdd<T>(cosPhi, vMul<T>(vConst<T>(K_SQRT3), sinPhi))),
    vGt<T>(r, zero),
  );
  const j2 = vDiv<T>(p2, two);
  return vSub<T>(start, vDiv<T>(
    vSub<T>(vMul<T>(start, vSub<T>(vMul<T>(start, start), j2)), det),
    vSub<T>(vMul<T>(vConst<T>(K_THREE), vMul<T>(start, start)), j2),
  ));
}

/**
 * The deflation's second step: μ's unit eigenvector and B's restriction to
 * its orthogonal complement, stored to `out` as `complementPairV` does
 * (nine vectors); returns the mask of lanes where the eigenvector could be
 * formed.
 */
// @ts-ignore: decorator
@inline function deflationFrameV<T>(
  b00: v128, b11: v128, b22: v128, b01: v128, b02: v128, b12: v128, mu: v128, out: usize,
): v128 {
  const one = vConst<T>(K_ONE), zero = vConst<T>(K_ZERO);
  isolatedEigenvectorV<T>(b00, b11, b22, b01, b02, b12, mu, out);
  const norm = v128.load(out, 48);
  const formed = v128.and(vGt<T>(norm, zero), vLt<T>(norm, vConst<T>(K_INFINITY)));
  const inv = vDiv<T>(one, vSqrt<T>(norm));
  const vx = vMul<T>(v128.load(out), inv);
  const vy = vMul<T>(v128.load(out, 16), inv);
  const vz = vMul<T>(v128.load(out, 32), inv);
  complementPairV<T>(vx, vy, vz, b00, b11, b22, b01, b02, b12, out);
  return formed;
}

/**
 * The deflation's last step: the three eigenvalues of B (decreasing), μ
 * and the 2×2 closed form of the restriction that `deflationFrameV` left
 * at `frame`, stored to `out` (three vectors).
 */
// @ts-ignore: decorator
@inline function deflatedPairV<T>(mu: v128, frame: usize, out: usize): void {
  const two = vConst<T>(K_TWO);
  const m00 = v128.load(frame, 96), m01 = v128.load(frame, 112), m11 = v128.load(frame, 128);
  const mean = vDiv<T>(vAdd<T>(m00, m11), two);
  const half = vDiv<T>(vSub<T>(m00, m11), two);
  const radius = vSqrt<T>(vAdd<T>(vMul<T>(half, half), vMul<T>(m01, m01)));
  const high = vAdd<T>(mean, radius);
  const low = vSub<T>(mean, radius);
  // mu >= high: (mu, high, low); else mu <= low: (high, low, mu); else (high, mu, low).
  const top = vGe<T>(mu, high);
  const bottom = v128.andnot(vLe<T>(mu, low), top);
  v128.store(out, vSelect(mu, high, top));
  v128.store(out, vSelect(high, vSelect(low, mu, bottom), top), 16);
  v128.store(out, vSelect(low, vSelect(mu, low, bottom), top), 32);
}

/**
 * The largest absolute value of six entries, by pseudo-maxima: equal to
 * max's wherever no entry is NaN (absolute values have no -0), and the
 * kernels leave the lanes with a NaN entry, where the two differ, to the
 * scalar path (`orderedLanes6`), as max's NaN did.
 */
// @ts-ignore: decorator
@inline function largestAbs6<T>(x00: v128, x01: v128, x02: v128, x11: v128, x12: v128, x22: v128): v128 {
  return vPmax<T>(
    vPmax<T>(vPmax<T>(vAbs<T>(x00), vAbs<T>(x01)), vPmax<T>(vAbs<T>(x02), vAbs<T>(x11))),
    vPmax<T>(vAbs<T>(x12), vAbs<T>(x22)),
  );
}

/**
 * Lanes whose six entries hold no NaN: their sum is not NaN (it is also NaN
 * for infinities of both signs, lanes the kernels' range checks reject anyway).
 */
// @ts-ignore: decorator
@inline function orderedLanes6<T>(x00: v128, x01: v128, x02: v128, x11: v128, x12: v128, x22: v128): v128 {
  const sum = vAdd<T>(vAdd<T>(vAdd<T>(x00, x01), vAdd<T>(x02, x11)), vAdd<T>(x12, x22));
  return vEq<T>(sum, sum);
}

/**
 * Vectors of voxels per chunk of the eigen kernels: each step of the closed
 * form runs over a whole chunk before the next step starts, so the core
 * overlaps the long dependency chains (divisions, square roots, the Newton
 * steps) of many voxels instead of waiting out one vector's; a chunk's
 * intermediates stay in L1.
 */
const CHUNK_VECTORS = 32;
/** Bytes of one intermediate over a chunk (one v128 per vector). */
const CHUNK_BYTES: usize = CHUNK_VECTORS * 16;
/** The deflation's and the frame steps' own scratch (nine vectors) before the chunk's intermediates. */
const FRAME_BYTES: usize = 144;
/**
 * Slots of the eigenvalue kernel's chunk scratch, `CHUNK_BYTES` each: the
 * closed form's intermediates, the list of vectors to deflate (their masks
 * and first voxels) and μ, then one frame per listed vector.
 */
const S_A01: usize = 0, S_A02: usize = 1, S_A12: usize = 2, S_B00: usize = 3, S_B11: usize = 4, S_B22: usize = 5;
const S_Q: usize = 6, S_P2: usize = 7, S_DET: usize = 8, S_SCALE: usize = 9, S_ORDERED: usize = 10;
const S_P: usize = 11, S_R: usize = 12, S_COS: usize = 13, S_SIN: usize = 14;
const S_NEAR: usize = 15, S_NEAR_AT: usize = 16, S_MU: usize = 17, S_FRAMES: usize = 18;
/** Bytes of the eigenvalue kernel's chunk scratch. */
const EIGENVALUE_CHUNK_BYTES: usize = S_FRAMES * CHUNK_BYTES + CHUNK_VECTORS * FRAME_BYTES;
/**
 * Byte offsets of one vector's record in the eigenvector kernel's chunk
 * scratch: the scaled entries, masks, the cross product, the unit vector,
 * the frame and the rotation, each written by one step and read by a later.
 */
const R_A00: usize = 0, R_A01: usize = 16, R_A02: usize = 32, R_A11: usize = 48, R_A12: usize = 64, R_A22: usize = 80;
const R_SCALE: usize = 96, R_TOP: usize = 112, R_FLAT_ORDERED: usize = 128, R_IN_RANGE: usize = 144;
const R_CROSS: usize = 160, R_UNIT: usize = 224, R_FRAME: usize = 272, R_ROTATION: usize = 416, R_GOOD: usize = 448;
const RECORD_BYTES: usize = R_GOOD + 16;

/** Bytes of scratch each eigen kernel needs (`pair`, `scratch`): the frame steps' own, then a chunk's intermediates. */
export const EIGEN_SCRATCH_BYTES: i32 = <i32>(FRAME_BYTES + max(EIGENVALUE_CHUNK_BYTES, CHUNK_VECTORS * RECORD_BYTES));

/**
 * Eigenvalues of the 3×3 symmetric matrices of `n` voxels, entries read
 * from the six addresses in `entries` (upper triangle, row-major), written
 * in decreasing order to the three addresses in `targets`: the closed form
 * of `eigenvalues3` in `_symmetric_eigenvalues.ts`, with its deflation where
 * two eigenvalues nearly coincide, operation for operation (`pair`:
 * `EIGEN_SCRATCH_BYTES` of scratch); a zero matrix has eigenvalues 0. Voxels
 * it leaves to the scalar path (a tiny or non-finite largest entry, three
 * nearly equal eigenvalues, or no eigenvector for the deflation) get
 * `flags[x] = 1`; returns how many. Runs chunk by chunk, in steps over the
 * whole chunk (see `CHUNK_VECTORS`): the scaled, centred matrix; p and r; the
 * angle's start, then its Newton steps; the eigenvalues; the deflation of the
 * vectors that need it.
 */
function eigenvaluesOf3<T>(entries: usize, n: i32, targets: usize, flags: usize, pair: usize): i32 {
  const lanes = 16 / sizeof<T>();
  const size = <usize>sizeof<T>();
  const e00 = pointerAt(entries, 0), e01 = pointerAt(entries, 1), e02 = pointerAt(entries, 2);
  const e11 = pointerAt(entries, 3), e12 = pointerAt(entries, 4), e22 = pointerAt(entries, 5);
  const t0 = pointerAt(targets, 0), t1 = pointerAt(targets, 1), t2 = pointerAt(targets, 2);
  const one = vConst<T>(K_ONE), two = vConst<T>(K_TWO), three = vConst<T>(K_THREE);
  const sqrt3 = vConst<T>(K_SQRT3);
  const tiny = vConst<T>(K_TINY);
  const huge = vConst<T>(K_INFINITY);
  const p2Floor = vConst<T>(K_EQUAL_SPREAD);
  const gap = vConst<T>(K_NEAR_DEGENERATE);
  // The chunk's intermediates (see S_A01).
  const slots = pair + FRAME_BYTES;
  const sNear = slots + S_NEAR * CHUNK_BYTES, sNearAt = slots + S_NEAR_AT * CHUNK_BYTES;
  const sMu = slots + S_MU * CHUNK_BYTES, sFrames = slots + S_FRAMES * CHUNK_BYTES;
  let flagged = 0;
  for (let x0 = 0; x0 < n; x0 += CHUNK_VECTORS * lanes) {
    // The last vector may reach past n: it reads and writes the padding that the caller leaves after each row.
    const end = min(n, x0 + CHUNK_VECTORS * lanes);
    let nearCount = 0;
    // Step 1: the matrix scaled by its largest entry, centred by its mean eigenvalue q.
    for (let x = x0; x < end; x += lanes) {
      const o = <usize>x * size, s = <usize>(x - x0) / lanes * 16;
      const x00 = v128.load(e00 + o), x01 = v128.load(e01 + o), x02 = v128.load(e02 + o);
      const x11 = v128.load(e11 + o), x12 = v128.load(e12 + o), x22 = v128.load(e22 + o);
      const scale = largestAbs6<T>(x00, x01, x02, x11, x12, x22);
      const inv = vDiv<T>(one, scale);
      const a00 = vMul<T>(x00, inv), a01 = vMul<T>(x01, inv), a02 = vMul<T>(x02, inv);
      const a11 = vMul<T>(x11, inv), a12 = vMul<T>(x12, inv), a22 = vMul<T>(x22, inv);
      const q = vMul<T>(vAdd<T>(vAdd<T>(a00, a11), a22), vConst<T>(K_THIRD));
      const b00 = vSub<T>(a00, q), b11 = vSub<T>(a11, q), b22 = vSub<T>(a22, q);
      const p2 = vAdd<T>(
        vAdd<T>(vAdd<T>(vMul<T>(b00, b00), vMul<T>(b11, b11)), vMul<T>(b22, b22)),
        vMul<T>(two, vAdd<T>(vAdd<T>(vMul<T>(a01, a01), vMul<T>(a02, a02)), vMul<T>(a12, a12))),
      );
      const det = vAdd<T>(
        vSub<T>(
          vMul<T>(b00, vSub<T>(vMul<T>(b11, b22), vMul<T>(a12, a12))),
          vMul<T>(a01, vSub<T>(vMul<T>(a01, b22), vMul<T>(a12, a02))),
        ),
        vMul<T>(a02, vSub<T>(vMul<T>(a01, a12), vMul<T>(b11, a02))),
      );
      v128.store(slots + s, a01, S_A01 * CHUNK_BYTES);
      v128.store(slots + s, a02, S_A02 * CHUNK_BYTES);
      v128.store(slots + s, a12, S_A12 * CHUNK_BYTES);
      v128.store(slots + s, b00, S_B00 * CHUNK_BYTES);
      v128.store(slots + s, b11, S_B11 * CHUNK_BYTES);
      v128.store(slots + s, b22, S_B22 * CHUNK_BYTES);
      v128.store(slots + s, q, S_Q * CHUNK_BYTES);
      v128.store(slots + s, p2, S_P2 * CHUNK_BYTES);
      v128.store(slots + s, det, S_DET * CHUNK_BYTES);
      v128.store(slots + s, scale, S_SCALE * CHUNK_BYTES);
      v128.store(slots + s, orderedLanes6<T>(x00, x01, x02, x11, x12, x22), S_ORDERED * CHUNK_BYTES);
    }
    // Step 2: p and r = det / (2p³).
    for (let x = x0; x < end; x += lanes) {
      const s = <usize>(x - x0) / lanes * 16;
      const p = vSqrt<T>(vMul<T>(v128.load(slots + s, S_P2 * CHUNK_BYTES), vConst<T>(K_SIXTH)));
      const r = vDiv<T>(v128.load(slots + s, S_DET * CHUNK_BYTES), vMul<T>(vMul<T>(vMul<T>(two, p), p), p));
      v128.store(slots + s, p, S_P * CHUNK_BYTES);
      v128.store(slots + s, r, S_R * CHUNK_BYTES);
    }
    // Step 3: cos(acos(r) / 3), its start and then its Newton steps, and its sine.
    for (let x = x0; x < end; x += lanes) {
      const s = <usize>(x - x0) / lanes * 16;
      const u = vAdd<T>(one, v128.load(slots + s, S_R * CHUNK_BYTES));
      v128.store(slots + s, cosThirdStartV<T>(u), S_COS * CHUNK_BYTES);
    }
    for (let x = x0; x < end; x += lanes) {
      const s = <usize>(x - x0) / lanes * 16;
      const u = vAdd<T>(one, v128.load(slots + s, S_R * CHUNK_BYTES));
      const cosPhi = cosThirdRefineV<T>(v128.load(slots + s, S_COS * CHUNK_BYTES), u);
      v128.store(slots + s, cosPhi, S_COS * CHUNK_BYTES);
      v128.store(slots + s, vSqrt<T>(vSub<T>(one, vMul<T>(cosPhi, cosPhi))), S_SIN * CHUNK_BYTES);
    }
    // Step 4: the eigenvalues and the flags; the vectors with lanes to deflate listed.
    for (let x = x0; x < end; x += lanes) {
      const o = <usize>x * size, s = <usize>(x - x0) / lanes * 16;
      const scale = v128.load(slots + s, S_SCALE * CHUNK_BYTES), ordered = v128.load(slots + s, S_ORDERED * CHUNK_BYTES);
      const q = v128.load(slots + s, S_Q * CHUNK_BYTES), p2 = v128.load(slots + s, S_P2 * CHUNK_BYTES), p = v128.load(slots + s, S_P * CHUNK_BYTES), r = v128.load(slots + s, S_R * CHUNK_BYTES);
      // Lanes for the closed form: no NaN entry, tiny <= scale < inf and p2 >= floor (false for NaN) ...
      const valid = v128.and(
        v128.and(v128.and(vGe<T>(scale, tiny), vLt<T>(scale, huge)), ordered),
        vGe<T>(p2, p2Floor),
      );
      // ... unless two eigenvalues nearly coincide (1 - |r| < gap): deflation.
      const near = v128.andnot(valid, vGe<T>(vSub<T>(one, vAbs<T>(r)), gap));
      const cosPhi = v128.load(slots + s, S_COS * CHUNK_BYTES), sinPhi = v128.load(slots + s, S_SIN * CHUNK_BYTES);
      const largest = vAdd<T>(q, vMul<T>(vMul<T>(two, p), cosPhi));
      const smallest = vSub<T>(q, vMul<T>(p, vAdd<T>(cosPhi, vMul<T>(sqrt3, sinPhi))));
      // Kept within [smallest, largest], as in the scalar path.
      const middle = vMin<T>(
        vMax<T>(vSub<T>(vSub<T>(vMul<T>(three, q), largest), smallest), smallest),
        largest,
      );
      const v0 = vMul<T>(largest, scale), v1 = vMul<T>(middle, scale), v2 = vMul<T>(smallest, scale);
      // A zero matrix (a flat region, common in microscopy) has eigenvalues 0, as in the scalar path.
      const flat = vEq<T>(scale, vConst<T>(K_ZERO));
      v128.store(t0 + o, vSelect(vConst<T>(K_ZERO), v0, flat));
      v128.store(t1 + o, vSelect(vConst<T>(K_ZERO), v1, flat));
      v128.store(t2 + o, vSelect(vConst<T>(K_ZERO), v2, flat));
      // Lanes to deflate are flagged here and unflagged by step 5 where their eigenvector forms.
      const goodBits = vBits<T>(v128.and(v128.or(v128.andnot(valid, near), flat), ordered));
      if (goodBits != (1 << lanes) - 1) {
        for (let lane = 0; lane < lanes && x + lane < n; lane++) {
          const bad = ((goodBits >> lane) & 1) ^ 1;
          store<u8>(flags + <usize>(x + lane), <u8>bad);
          flagged += bad;
        }
      }
      if (vBits<T>(near) != 0) {
        v128.store(sNear + <usize>nearCount * 16, near);
        store<i32>(sNearAt + (<usize>nearCount << 2), x);
        nearCount++;
      }
    }
    // Step 5: the deflation, in three steps over the vectors with lanes that need it.
    for (let k = 0; k < nearCount; k++) {
      const s = <usize>(load<i32>(sNearAt + (<usize>k << 2)) - x0) / lanes * 16;
      v128.store(sMu + <usize>k * 16, deflationShiftV<T>(v128.load(slots + s, S_P2 * CHUNK_BYTES), v128.load(slots + s, S_DET * CHUNK_BYTES)));
    }
    for (let k = 0; k < nearCount; k++) {
      const s = <usize>(load<i32>(sNearAt + (<usize>k << 2)) - x0) / lanes * 16;
      const formed = deflationFrameV<T>(
        v128.load(slots + s, S_B00 * CHUNK_BYTES), v128.load(slots + s, S_B11 * CHUNK_BYTES), v128.load(slots + s, S_B22 * CHUNK_BYTES),
        v128.load(slots + s, S_A01 * CHUNK_BYTES), v128.load(slots + s, S_A02 * CHUNK_BYTES), v128.load(slots + s, S_A12 * CHUNK_BYTES),
        v128.load(sMu + <usize>k * 16), sFrames + <usize>k * FRAME_BYTES,
      );
      v128.store(sNear + <usize>k * 16, v128.and(v128.load(sNear + <usize>k * 16), formed));
    }
    for (let k = 0; k < nearCount; k++) {
      const x = load<i32>(sNearAt + (<usize>k << 2));
      const o = <usize>x * size, s = <usize>(x - x0) / lanes * 16;
      deflatedPairV<T>(v128.load(sMu + <usize>k * 16), sFrames + <usize>k * FRAME_BYTES, pair);
      const use = v128.load(sNear + <usize>k * 16);
      const q = v128.load(slots + s, S_Q * CHUNK_BYTES), scale = v128.load(slots + s, S_SCALE * CHUNK_BYTES);
      v128.store(t0 + o, vSelect(vMul<T>(vAdd<T>(v128.load(pair), q), scale), v128.load(t0 + o), use));
      v128.store(t1 + o, vSelect(vMul<T>(vAdd<T>(v128.load(pair, 16), q), scale), v128.load(t1 + o), use));
      v128.store(t2 + o, vSelect(vMul<T>(vAdd<T>(v128.load(pair, 32), q), scale), v128.load(t2 + o), use));
      const useBits = vBits<T>(use);
      for (let lane = 0; lane < lanes && x + lane < n; lane++) {
        if (((useBits >> lane) & 1) != 0) {
          store<u8>(flags + <usize>(x + lane), 0);
          flagged--;
        }
      }
    }
  }
  return flagged;
}

/**
 * `rotation` of `pairRotation` in `_symmetric_eigenvectors.ts` lane by lane,
 * operation for operation: (c, s), the unit eigenvector of the larger
 * eigenvalue of [[m00, m01], [m01, m11]], (1, 0) where the two are equal;
 * stored to `out` (two vectors).
 */
// @ts-ignore: decorator
@inline function pairRotationV<T>(m00: v128, m01: v128, m11: v128, out: usize): void {
  const one = vConst<T>(K_ONE), zero = vConst<T>(K_ZERO);
  const half = vDiv<T>(vSub<T>(m00, m11), vConst<T>(K_TWO));
  // Pseudo-max: max's wherever half and m01 are not NaN, and a NaN here comes from a lane the kernel flags.
  const big = vPmax<T>(vAbs<T>(half), vAbs<T>(m01));
  const h = vDiv<T>(half, big), b = vDiv<T>(m01, big);
  const r = vSqrt<T>(vAdd<T>(vMul<T>(h, h), vMul<T>(b, b)));
  const upper = vGe<T>(h, zero);
  const c = vSelect(vAdd<T>(h, r), b, upper);
  const s = vSelect(b, vSub<T>(r, h), upper);
  const inv = vDiv<T>(one, vSqrt<T>(vAdd<T>(vMul<T>(c, c), vMul<T>(s, s))));
  const same = vEq<T>(big, zero);
  v128.store(out, vSelect(one, vMul<T>(c, inv), same));
  v128.store(out, vSelect(zero, vMul<T>(s, inv), same), 16);
}

/**
 * `store3` of `_symmetric_eigenvectors.ts` lane by lane: (v0, v1, v2) with
 * its component of largest magnitude positive (the first among equal
 * magnitudes), -0 turned into 0, to the addresses p0, p1, p2.
 */
// @ts-ignore: decorator
@inline function storeSignedV<T>(v0: v128, v1: v128, v2: v128, p0: usize, p1: usize, p2: usize): void {
  const zero = vConst<T>(K_ZERO);
  const a0 = vAbs<T>(v0), a1 = vAbs<T>(v1), a2 = vAbs<T>(v2);
  const lead = vSelect(
    v0,
    vSelect(v1, v2, vGe<T>(a1, a2)),
    v128.and(vGe<T>(a0, a1), vGe<T>(a0, a2)),
  );
  const negative = vLt<T>(lead, zero);
  v128.store(p0, vAdd<T>(vSelect(vNeg<T>(v0), v0, negative), zero));
  v128.store(p1, vAdd<T>(vSelect(vNeg<T>(v1), v1, negative), zero));
  v128.store(p2, vAdd<T>(vSelect(vNeg<T>(v2), v2, negative), zero));
}

/**
 * Eigenvectors of the 3×3 symmetric matrices of `n` voxels: entries from the
 * six addresses in `entries`, their eigenvalues (decreasing, as
 * `eigenvaluesOf3` gives them) from the three in `values`, component c of
 * rank r's unit vector to address `3r + c` of `targets`. The steps of
 * `eigenvectors3` in `_symmetric_eigenvectors.ts`, operation for operation:
 * on the matrix scaled by its largest entry, the more isolated extreme
 * eigenvalue's vector from the largest cross product, then the other two by
 * the rotation of the restriction to its orthogonal plane; a zero matrix
 * gets the axes. Voxels it leaves to the scalar path (tiny or non-finite
 * entries, overflowing eigenvalues, no cross product) get `flags[x] = 1`
 * (flags already set stay set); returns how many it flagged. `scratch`:
 * `EIGEN_SCRATCH_BYTES`. Runs chunk by chunk (see `CHUNK_VECTORS`), each
 * step over the whole chunk, one record per vector.
 */
function eigenvectorsOf3<T>(entries: usize, n: i32, values: usize, targets: usize, flags: usize, scratch: usize): i32 {
  const lanes = 16 / sizeof<T>();
  const size = <usize>sizeof<T>();
  const e00 = pointerAt(entries, 0), e01 = pointerAt(entries, 1), e02 = pointerAt(entries, 2);
  const e11 = pointerAt(entries, 3), e12 = pointerAt(entries, 4), e22 = pointerAt(entries, 5);
  const l0p = pointerAt(values, 0), l1p = pointerAt(values, 1), l2p = pointerAt(values, 2);
  const r00 = pointerAt(targets, 0), r01 = pointerAt(targets, 1), r02 = pointerAt(targets, 2);
  const r10 = pointerAt(targets, 3), r11 = pointerAt(targets, 4), r12 = pointerAt(targets, 5);
  const r20 = pointerAt(targets, 6), r21 = pointerAt(targets, 7), r22 = pointerAt(targets, 8);
  const one = vConst<T>(K_ONE), zero = vConst<T>(K_ZERO);
  const tiny = vConst<T>(K_TINY);
  const huge = vConst<T>(K_INFINITY);
  const records = scratch + FRAME_BYTES;
  let flagged = 0;
  for (let x0 = 0; x0 < n; x0 += CHUNK_VECTORS * lanes) {
    // The last vector may reach past n, into the padding after each array, as in eigenvaluesOf3.
    const end = min(n, x0 + CHUNK_VECTORS * lanes);
    // Step 1: the scaled matrix and the cross product for the more isolated extreme eigenvalue.
    for (let x = x0; x < end; x += lanes) {
      const o = <usize>x * size, at = records + <usize>(x - x0) / lanes * RECORD_BYTES;
      const x00 = v128.load(e00 + o), x01 = v128.load(e01 + o), x02 = v128.load(e02 + o);
      const x11 = v128.load(e11 + o), x12 = v128.load(e12 + o), x22 = v128.load(e22 + o);
      const scale = largestAbs6<T>(x00, x01, x02, x11, x12, x22);
      const inv = vDiv<T>(one, scale);
      const a00 = vMul<T>(x00, inv), a01 = vMul<T>(x01, inv), a02 = vMul<T>(x02, inv);
      const a11 = vMul<T>(x11, inv), a12 = vMul<T>(x12, inv), a22 = vMul<T>(x22, inv);
      const v0 = v128.load(l0p + o), v2 = v128.load(l2p + o);
      const l0 = vMul<T>(v0, inv), l1 = vMul<T>(v128.load(l1p + o), inv), l2 = vMul<T>(v2, inv);
      const top = vGe<T>(vSub<T>(l0, l1), vSub<T>(l1, l2));
      isolatedEigenvectorV<T>(a00, a11, a22, a01, a02, a12, vSelect(l0, l2, top), at + R_CROSS);
      const ordered = orderedLanes6<T>(x00, x01, x02, x11, x12, x22);
      v128.store(at, a00, R_A00);
      v128.store(at, a01, R_A01);
      v128.store(at, a02, R_A02);
      v128.store(at, a11, R_A11);
      v128.store(at, a12, R_A12);
      v128.store(at, a22, R_A22);
      v128.store(at, scale, R_SCALE);
      v128.store(at, top, R_TOP);
      v128.store(at, v128.and(vEq<T>(scale, zero), ordered), R_FLAT_ORDERED);
      // The scalar path's lanes, in part: no NaN entry, tiny <= scale < inf, eigenvalues that did not overflow.
      v128.store(at, v128.and(ordered, v128.and(
        v128.and(vGe<T>(scale, tiny), vLt<T>(scale, huge)), vLt<T>(vAbs<T>(vSub<T>(v0, v2)), huge),
      )), R_IN_RANGE);
    }
    // Step 2: the unit vector.
    for (let x = x0; x < end; x += lanes) {
      const at = records + <usize>(x - x0) / lanes * RECORD_BYTES;
      let vx = v128.load(at, R_CROSS), vy = v128.load(at, R_CROSS + 16), vz = v128.load(at, R_CROSS + 32);
      // Pseudo-max, as in largestAbs6: a NaN component comes from a lane flagged by its entries or eigenvalues.
      const big = vPmax<T>(vPmax<T>(vAbs<T>(vx), vAbs<T>(vy)), vAbs<T>(vz));
      vx = vDiv<T>(vx, big), vy = vDiv<T>(vy, big), vz = vDiv<T>(vz, big);
      const vn = vDiv<T>(one, vSqrt<T>(vAdd<T>(vAdd<T>(vMul<T>(vx, vx), vMul<T>(vy, vy)), vMul<T>(vz, vz))));
      vx = vMul<T>(vx, vn), vy = vMul<T>(vy, vn), vz = vMul<T>(vz, vn);
      v128.store(at, vx, R_UNIT);
      v128.store(at, vy, R_UNIT + 16);
      v128.store(at, vz, R_UNIT + 32);
      // ... and a cross product.
      v128.store(at, v128.or(
        v128.load(at, R_FLAT_ORDERED), v128.and(v128.load(at, R_IN_RANGE), vGt<T>(big, zero)),
      ), R_GOOD);
    }
    // Step 3: the frame of its orthogonal complement.
    for (let x = x0; x < end; x += lanes) {
      const at = records + <usize>(x - x0) / lanes * RECORD_BYTES;
      complementPairV<T>(
        v128.load(at, R_UNIT), v128.load(at, R_UNIT + 16), v128.load(at, R_UNIT + 32),
        v128.load(at, R_A00), v128.load(at, R_A11), v128.load(at, R_A22),
        v128.load(at, R_A01), v128.load(at, R_A02), v128.load(at, R_A12), at + R_FRAME,
      );
    }
    // Step 4: the rotation of the pair within the frame.
    for (let x = x0; x < end; x += lanes) {
      const at = records + <usize>(x - x0) / lanes * RECORD_BYTES;
      pairRotationV<T>(
        v128.load(at, R_FRAME + 96), v128.load(at, R_FRAME + 112), v128.load(at, R_FRAME + 128), at + R_ROTATION,
      );
    }
    // Step 5: the three vectors, signed, and the flags.
    for (let x = x0; x < end; x += lanes) {
      const o = <usize>x * size, at = records + <usize>(x - x0) / lanes * RECORD_BYTES;
      const vx = v128.load(at, R_UNIT), vy = v128.load(at, R_UNIT + 16), vz = v128.load(at, R_UNIT + 32);
      const ux = v128.load(at, R_FRAME), uy = v128.load(at, R_FRAME + 16), uz = v128.load(at, R_FRAME + 32);
      const wx = v128.load(at, R_FRAME + 48), wy = v128.load(at, R_FRAME + 64), wz = v128.load(at, R_FRAME + 80);
      const c = v128.load(at, R_ROTATION), s = v128.load(at, R_ROTATION + 16);
      // The pair's vectors: high = c·u + s·w, low = -s·u + c·w.
      const hx = vAdd<T>(vMul<T>(c, ux), vMul<T>(s, wx));
      const hy = vAdd<T>(vMul<T>(c, uy), vMul<T>(s, wy));
      const hz = vAdd<T>(vMul<T>(c, uz), vMul<T>(s, wz));
      const gx = vSub<T>(vMul<T>(c, wx), vMul<T>(s, ux));
      const gy = vSub<T>(vMul<T>(c, wy), vMul<T>(s, uy));
      const gz = vSub<T>(vMul<T>(c, wz), vMul<T>(s, uz));
      // The isolated vector is rank 0 (top) or rank 2; the pair takes the other two ranks;
      // a zero matrix (flat) gets the axes, rank k along axis k, as in the scalar path.
      const top = v128.load(at, R_TOP);
      const flat = vEq<T>(v128.load(at, R_SCALE), zero);
      storeSignedV<T>(
        vSelect(one, vSelect(vx, hx, top), flat), vSelect(zero, vSelect(vy, hy, top), flat),
        vSelect(zero, vSelect(vz, hz, top), flat), r00 + o, r01 + o, r02 + o,
      );
      storeSignedV<T>(
        vSelect(zero, vSelect(hx, gx, top), flat), vSelect(one, vSelect(hy, gy, top), flat),
        vSelect(zero, vSelect(hz, gz, top), flat), r10 + o, r11 + o, r12 + o,
      );
      storeSignedV<T>(
        vSelect(zero, vSelect(gx, vx, top), flat), vSelect(zero, vSelect(gy, vy, top), flat),
        vSelect(one, vSelect(gz, vz, top), flat), r20 + o, r21 + o, r22 + o,
      );
      const bits = vBits<T>(v128.load(at, R_GOOD));
      if (bits != (1 << lanes) - 1) {
        for (let lane = 0; lane < lanes && x + lane < n; lane++) {
          if (((bits >> lane) & 1) == 0) {
            const flag = flags + <usize>(x + lane);
            flagged += 1 - load<u8>(flag);
            store<u8>(flag, 1);
          }
        }
      }
    }
  }
  return flagged;
}

export function combineRows64(target: usize, stride: usize, base: usize, table: usize, count: i32, weights: usize, radius: i32, n: i32, sign: i32): void {
  combineRows<f64>(target, stride, base, table, count, weights, radius, n, sign);
}
export function combineRows32(target: usize, stride: usize, base: usize, table: usize, count: i32, weights: usize, radius: i32, n: i32, sign: i32): void {
  combineRows<f32>(target, stride, base, table, count, weights, radius, n, sign);
}
export function correlateRows64(data: usize, rows: i32, n: i32, weights: usize, radius: i32, sign: i32, source: usize, cval: f64, line: usize): void {
  correlateRows<f64>(data, rows, n, weights, radius, sign, source, cval, line);
}
export function correlateRows32(data: usize, rows: i32, n: i32, weights: usize, radius: i32, sign: i32, source: usize, cval: f64, line: usize): void {
  correlateRows<f32>(data, rows, n, weights, radius, sign, source, cval, line);
}
export function convert16x64(source: usize, n: i32, scale: f64, signed: i32, target: usize): void {
  convert16<f64>(source, n, scale, signed, target);
}
export function convert16x32(source: usize, n: i32, scale: f64, signed: i32, target: usize): void {
  convert16<f32>(source, n, scale, signed, target);
}
export function interleave3x64(d0: usize, d1: usize, d2: usize, target: usize, n: i32): void {
  interleave3(d0, d1, d2, target, n, 8);
}
export function interleave3x32(d0: usize, d1: usize, d2: usize, target: usize, n: i32): void {
  interleave3(d0, d1, d2, target, n, 4);
}
export function productsAlongZ64(sums: usize, planes: usize, weights: usize, radius: i32, n: i32, cval: f64): void {
  productsAlongZ<f64>(sums, planes, weights, radius, n, cval);
}
export function productsAlongZ32(sums: usize, planes: usize, weights: usize, radius: i32, n: i32, cval: f64): void {
  productsAlongZ<f32>(sums, planes, weights, radius, n, cval);
}
export function eigenvaluesOf3x64(entries: usize, n: i32, targets: usize, flags: usize, pair: usize): i32 {
  return eigenvaluesOf3<f64>(entries, n, targets, flags, pair);
}
export function eigenvaluesOf3x32(entries: usize, n: i32, targets: usize, flags: usize, pair: usize): i32 {
  return eigenvaluesOf3<f32>(entries, n, targets, flags, pair);
}
export function eigenvectorsOf3x64(entries: usize, n: i32, values: usize, targets: usize, flags: usize, scratch: usize): i32 {
  return eigenvectorsOf3<f64>(entries, n, values, targets, flags, scratch);
}
export function eigenvectorsOf3x32(entries: usize, n: i32, values: usize, targets: usize, flags: usize, scratch: usize): i32 {
  return eigenvectorsOf3<f32>(entries, n, values, targets, flags, scratch);
}
