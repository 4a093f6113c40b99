/**
 * Private: the thresholds and coefficients of the 3×3 eigenvalue solver,
 * in one place for both of its implementations: the TypeScript one
 * (`_symmetric_eigenvalues.ts`) imports this file, and the AssemblyScript
 * SIMD kernels (`scripts/wasm/simd_kernels.ts`) are compiled with it by
 * `scripts/build_wasm.ts`. It must stay valid in both languages: constants
 * only, typed `number` (AssemblyScript's f64).
 *
 * @module
 */

/**
 * Below this distance of the arc-cosine argument from ±1, two eigenvalues
 * nearly coincide and the close pair is found by deflation.
 */
export const NEAR_DEGENERATE: number = 1e-4;
/**
 * The same in float32 arithmetic, wider: the closed form's error grows like
 * ε / sqrt(1 - |r|), which float32's ε = 6e-8 makes about 6e-6 at 1e-4 and
 * 2e-6 at 1e-3 (1e-2 would reach 6e-7, but sends most voxels of planar
 * structure to the costlier deflation).
 */
export const NEAR_DEGENERATE_FLOAT32: number = 1e-3;
/** A largest entry below this is scaled up (float64) or left to the scalar path (SIMD). */
export const TINY_SCALE: number = 1e-290;
/** Float32 kernels leave a largest entry below this to the scalar path. */
export const TINY_SCALE_FLOAT32: number = 1e-30;
/**
 * A spread tr(B²) below this (relative to the largest entry) means three
 * equal eigenvalues to working precision, and p³ could underflow.
 */
export const EQUAL_SPREAD: number = 1e-60;
/** The same floor in float32 arithmetic. */
export const EQUAL_SPREAD_FLOAT32: number = 1e-30;
/** √3. */
export const SQRT3: number = 1.7320508075688772;
/**
 * Coefficients of the quintic least-squares fit, in t = sqrt(1 + r), of
 * e = cos(acos(r) / 3) - 1/2: the start of `cosThirdArccos`'s Newton steps.
 */
export const COS_THIRD_C0: number = 2.685909509e-6;
export const COS_THIRD_C1: number = 0.40816387317248687;
export const COS_THIRD_C2: number = -0.0549074512450731;
export const COS_THIRD_C3: number = 0.016816035144246937;
export const COS_THIRD_C4: number = -0.004783346264322022;
export const COS_THIRD_C5: number = 0.0007342939834791172;
