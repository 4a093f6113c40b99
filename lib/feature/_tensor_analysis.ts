/**
 * Private: what the fused analysis (`structureTensorAnalysis`) derives from
 * each voxel's eigenvalues and eigenvectors, and where it writes it. The
 * engine's backends call {@linkcode analyzeBand} on each band of rows once
 * its eigenvalues (and, when asked for, eigenvectors) are known, so no
 * measure ever needs a whole volume of anything it was not asked for.
 *
 * @module
 */

import {
  coherenceOf,
  fractionalAnisotropyOf,
  planeAnglesOf,
  shapeClassesOf,
  type ShapeThresholds,
  spaceAnglesOf,
  westinMeasuresOf,
} from "./_measure_kernels.ts";

type Floats = Float64Array | Float32Array;

/**
 * The requested outputs of an analysis of a d-D tensor field (each `size`
 * voxels of the output planes, C order, or null when not requested) and its
 * background rule.
 */
export interface AnalysisTargets {
  /** Eigenvectors of `vectorRanks`: component c of the j-th at `(d·j + c)·size + i`. */
  vectors: Floats | null;
  vectorRanks: readonly number[];
  fractionalAnisotropy: Floats | null;
  /** Westin's linear, planar and spherical measures (3-D). */
  westin: readonly [Floats, Floats, Floats] | null;
  shapeClass: Uint8Array | null;
  /** OrientationJ's coherence (2-D). */
  coherence: Floats | null;
  /** `shapeClass`'s thresholds; its `energy` is also the background's. */
  thresholds: ShapeThresholds;
  /** Rank `angleRank`'s vector's azimuth and elevation (3-D) or angle (2-D). */
  angles: readonly Floats[] | null;
  angleRank: number;
  /** Nonzero where a voxel is tissue (over the output planes), or null: everywhere. */
  mask: Uint8Array | null;
  /** Whether voxels with a trace at most `thresholds.energy` are background. */
  energyBackground: boolean;
  /** What background voxels get in every float output (not the eigenvalues). */
  background: number;
  /** Output voxels: each output's length (per rank or component). */
  size: number;
}

/** Whether the analysis needs eigenvectors. */
export function needsVectors(targets: AnalysisTargets): boolean {
  return targets.vectors !== null || targets.angles !== null;
}

/** Every array the analysis writes or reads besides the eigenvalues. */
export function analysisArrays(targets: AnalysisTargets): ArrayBufferView[] {
  return [
    targets.vectors,
    targets.fractionalAnisotropy,
    ...targets.westin ?? [],
    targets.shapeClass,
    targets.coherence,
    ...targets.angles ?? [],
    targets.mask,
  ].filter((array) => array !== null);
}

/**
 * Writes the requested outputs of `count` voxels from output voxel `at` on:
 * `values[k][i]` are their sorted eigenvalues (d of them), `vectors[d·r +
 * c][i]` (when `needsVectors`) their eigenvectors.
 */
export function analyzeBand(
  targets: AnalysisTargets,
  values: readonly Floats[],
  vectors: readonly Floats[] | null,
  count: number,
  at: number,
): void {
  const { size } = targets;
  const d = values.length;
  if (targets.vectors !== null) {
    targets.vectorRanks.forEach((rank, j) => {
      for (let c = 0; c < d; c++) {
        targets.vectors!.set(
          vectors![d * rank + c].subarray(0, count),
          (d * j + c) * size + at,
        );
      }
    });
  }
  if (targets.fractionalAnisotropy !== null) {
    fractionalAnisotropyOf(values, count, targets.fractionalAnisotropy, at);
  }
  if (targets.westin !== null) {
    westinMeasuresOf(values, count, ...targets.westin, at);
  }
  if (targets.shapeClass !== null) {
    shapeClassesOf(values, count, targets.thresholds, targets.shapeClass, at);
  }
  if (targets.coherence !== null) {
    coherenceOf(values, count, targets.coherence, at);
  }
  if (targets.angles !== null) {
    const vector = vectors!.slice(
      d * targets.angleRank,
      d * (targets.angleRank + 1),
    );
    if (d === 3) {
      spaceAnglesOf(vector, count, targets.angles[0], targets.angles[1], at);
    } else planeAnglesOf(vector, count, targets.angles[0], at);
  }
  if (targets.mask !== null || targets.energyBackground) {
    markBackground(targets, values, count, at);
  }
}

/** Gives the background voxels of the band the background value (class 0). */
function markBackground(
  targets: AnalysisTargets,
  values: readonly Floats[],
  count: number,
  at: number,
): void {
  const { mask, size, background } = targets;
  const energy = targets.energyBackground ? targets.thresholds.energy : null;
  const floats = [
    targets.fractionalAnisotropy,
    ...targets.westin ?? [],
    targets.coherence,
    ...targets.angles ?? [],
  ].filter((array) => array !== null);
  const components = targets.vectors === null
    ? 0
    : values.length * targets.vectorRanks.length;
  for (let i = 0; i < count; i++) {
    const o = at + i;
    let trace = 0;
    for (const rank of values) trace += rank[i];
    // A trace at most the energy, or NaN, is background when energy counts.
    const faint = energy !== null && !(trace > energy);
    if (!faint && (mask === null || mask[o] !== 0)) continue;
    for (const out of floats) out[o] = background;
    for (let c = 0; c < components; c++) {
      targets.vectors![c * size + o] = background;
    }
    if (targets.shapeClass !== null) targets.shapeClass[o] = 0;
  }
}
