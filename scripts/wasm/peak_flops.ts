// AssemblyScript source of the machine-peak probe of `scripts/profile_passes.ts`:
// independent chains of f64x2 (or f32x4) multiplies and adds, no fused
// multiply-add, as in stria's kernels. Six multiply chains and six add
// chains per iteration hide the latency of both units and, with the two
// constants, fit the 16 vector registers V8 uses on x64 (eight of each spill:
// measured 15.7 against 21.6 GFLOP/s); each iteration does 12 vector
// operations, 24 float64 or 48 float32 flops.

// @ts-ignore: decorator
@inline function splat<T>(x: f64): v128 {
  return sizeof<T>() == 8 ? f64x2.splat(x) : f32x4.splat(<f32>x);
}
// @ts-ignore: decorator
@inline function add<T>(a: v128, b: v128): v128 {
  return sizeof<T>() == 8 ? f64x2.add(a, b) : f32x4.add(a, b);
}
// @ts-ignore: decorator
@inline function mul<T>(a: v128, b: v128): v128 {
  return sizeof<T>() == 8 ? f64x2.mul(a, b) : f32x4.mul(a, b);
}

/** Runs `iterations` iterations; returns lane 0 of the sum, so nothing is optimised away. */
function peak<T>(iterations: i32, m: f64, a: f64): f64 {
  const mv = splat<T>(m), av = splat<T>(a);
  let p0 = splat<T>(1.0), p1 = splat<T>(1.1), p2 = splat<T>(1.2), p3 = splat<T>(1.3), p4 = splat<T>(1.4), p5 = splat<T>(1.5);
  let s0 = splat<T>(0.0), s1 = splat<T>(0.1), s2 = splat<T>(0.2), s3 = splat<T>(0.3), s4 = splat<T>(0.4), s5 = splat<T>(0.5);
  for (let i = 0; i < iterations; i++) {
    p0 = mul<T>(p0, mv); p1 = mul<T>(p1, mv); p2 = mul<T>(p2, mv); p3 = mul<T>(p3, mv); p4 = mul<T>(p4, mv); p5 = mul<T>(p5, mv);
    s0 = add<T>(s0, av); s1 = add<T>(s1, av); s2 = add<T>(s2, av); s3 = add<T>(s3, av); s4 = add<T>(s4, av); s5 = add<T>(s5, av);
  }
  const sum = add<T>(
    add<T>(add<T>(add<T>(p0, p1), add<T>(p2, p3)), add<T>(p4, p5)),
    add<T>(add<T>(add<T>(s0, s1), add<T>(s2, s3)), add<T>(s4, s5)),
  );
  return sizeof<T>() == 8 ? f64x2.extract_lane(sum, 0) : <f64>f32x4.extract_lane(sum, 0);
}

/** Float64 (f64x2). */
export function peak64(iterations: i32, m: f64, a: f64): f64 {
  return peak<f64>(iterations, m, a);
}

/** Float32 (f32x4). */
export function peak32(iterations: i32, m: f64, a: f64): f64 {
  return peak<f32>(iterations, m, a);
}
