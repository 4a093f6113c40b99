import { checkAllocation } from "../_allocation.ts";
import { argumentError } from "../_errors.ts";
import { checkArgumentCount, checkOptionsObject } from "../_options_object.ts";
import {
  checkNdArray,
  contiguousCopy,
  contiguousStrides,
  type NumericNdArray,
  sizeOf,
} from "../array/_strided.ts";
import { type NdArray, ndarray } from "../deps.ts";
import { floatArray, resolveThreads } from "../parallel/_threads.ts";
import { bufferOf, releaseShared } from "../parallel/_shared_buffers.ts";
import { stackViews } from "./_eigenvalue_input.ts";
import { checkShapeThresholds } from "./_measure_kernels.ts";
import { checkTensorOptions } from "./_options.ts";
import { eigenvalues2 } from "./_symmetric_eigenvalues.ts";
import { eigenvectors2 } from "./_symmetric_eigenvectors.ts";
import {
  type AnalysisTargets,
  analyzeBand,
  needsVectors,
} from "./_tensor_analysis.ts";
import {
  tensor3d,
  tensor3dAsync,
  type Tensor3dSettings,
} from "./_tensor_3d.ts";
import { SHAPE_CLASSES } from "./shape_class.ts";
import { structureTensor } from "./structure_tensor.ts";
import type { TensorWindowOptions } from "./tensor_window_options.ts";

/** What {@linkcode structureTensorAnalysis} can compute. */
export const ANALYSIS_OUTPUTS = [
  "eigenvalues",
  "vectors",
  "fractionalAnisotropy",
  "westin",
  "shapeClass",
  "angles",
  "coherence",
] as const;

/** One of {@linkcode ANALYSIS_OUTPUTS}. */
export type AnalysisOutput = typeof ANALYSIS_OUTPUTS[number];

/** Options of {@linkcode structureTensorAnalysis}. */
export interface StructureTensorAnalysisOptions extends TensorWindowOptions {
  /**
   * What to compute (default `["eigenvalues", "vectors",
   * "fractionalAnisotropy"]`); nothing else is held as a volume.
   * `"westin"` and `"shapeClass"` are 3-D only, `"coherence"` 2-D only.
   */
  outputs?: readonly AnalysisOutput[];
  /** Whose eigenvectors `vectors` holds, by rank (default all: `[0, 1, 2]` in 3-D). */
  vectorRanks?: readonly number[];
  /** Whose eigenvector `angles` describes (default 0, the largest eigenvalue's: the dominant gradient). */
  angleRank?: number;
  /** `shapeClass`'s thresholds `ratio` (default 2) and `gap` (default 10). */
  shapeClassOptions?: { ratio?: number; gap?: number };
  /**
   * Voxels whose trace `λ1 + … + λd` is at most this are background (a
   * number >= 0; default: no energy threshold, and `shapeClass` calls only
   * zero tensors background, as `shapeClass` does).
   */
  energy?: number;
  /** An ndarray of the image's shape: voxels where it is 0 are background. */
  mask?: NdArray;
  /**
   * What background voxels (by `energy` or `mask`) get in `vectors`,
   * `fractionalAnisotropy`, `westin`, `angles` and `coherence` (default
   * NaN; 0 is the other usual choice); `shapeClass` gives them "background"
   * and the eigenvalues stay as computed.
   */
  background?: number;
  /**
   * `"float64"` (default) or `"float32"`: the type of every float output.
   * In 3-D, `"float32"` computes in float32 arithmetic on the SIMD kernels,
   * as `structureTensorEigenvaluesOfImage` does; eigenvector directions are
   * then accurate to about 1e-6 of the largest eigenvalue divided by the
   * gap to the nearest other (see docs/orientation.md).
   */
  precision?: "float64" | "float32";
  /** Threads in 3-D, as `structureTensorEigenvaluesOfImage`'s. */
  threads?: number;
}

/** What {@linkcode structureTensorAnalysis} returns: the requested outputs. */
export interface StructureTensorAnalysis<
  F extends Float64Array | Float32Array = Float64Array,
> {
  /** Shape `[d, ...shape]`, decreasing along axis 0, as `structureTensorEigenvalues`. */
  eigenvalues?: NdArray<F>;
  /**
   * Shape `[vectorRanks.length, d, ...shape]`: `vectors.get(j, c, ...index)`
   * is component c (axis order) of the unit eigenvector of rank
   * `vectorRanks[j]`, as `structureTensorEigenvectors` gives it.
   */
  vectors?: NdArray<F>;
  /** The ranks of `vectors`' vectors. */
  vectorRanks: number[];
  /** Fractional anisotropy, as `fractionalAnisotropy`. */
  fractionalAnisotropy?: NdArray<F>;
  /** Westin's measures (3-D), as `westinMeasures`. */
  westin?: { linear: NdArray<F>; planar: NdArray<F>; spherical: NdArray<F> };
  /** Codes into `names` (3-D), as `shapeClass`. */
  shapeClass?: { codes: NdArray<Uint8Array>; names: typeof SHAPE_CLASSES };
  /** `orientationAngles` of rank `angleRank`'s vector, in degrees: 3-D azimuth and elevation, 2-D angle. */
  angles?:
    | { azimuth: NdArray<F>; elevation: NdArray<F> }
    | { angle: NdArray<F> };
  /** OrientationJ's coherence (2-D), as `coherence`. */
  coherence?: NdArray<F>;
  /** The voxel size the analysis used (`options.spacing` per axis), or null. */
  spacing: number[] | null;
}

const DEFAULT_OUTPUTS: readonly AnalysisOutput[] = [
  "eigenvalues",
  "vectors",
  "fractionalAnisotropy",
];

/**
 * The structure tensor's eigenvalues, eigenvectors and anisotropy measures
 * of a 2-D or 3-D image in one call, computing only the outputs asked for.
 *
 * In 3-D this is one fused pass of the tensor engine (as
 * `structureTensorEigenvaluesOfImage`): each thread computes a band of rows
 * of a slab of planes, solves its eigenvalues (and eigenvectors, when
 * `vectors` or `angles` are asked for) on the WebAssembly SIMD kernels, and
 * writes each requested measure of that band before the next, so neither
 * the six tensor entries nor any unrequested output is ever held as a
 * volume. Every output equals the composition of the public functions bit
 * for bit in float64:
 * `structureTensorEigenvalues(structureTensor(image, o))`,
 * `structureTensorEigenvectors(…)`, `fractionalAnisotropy`,
 * `westinMeasures`, `shapeClass` and `orientationAngles` (before the
 * background rule). In 2-D it is that composition, with `coherence`.
 *
 * Background: with `energy`, voxels whose trace is at most `energy` (a
 * flat, dark region whose directions are noise) and, with `mask`, voxels
 * where the mask is 0 get `background` (default NaN) in every derived float
 * output and "background" as their shape class.
 *
 * Zero and degenerate tensors, as each measure documents: a zero tensor has
 * eigenvalues 0, the coordinate axes as eigenvectors, FA, Westin's measures
 * and coherence 0, shape class "background"; repeated eigenvalues give an
 * orthonormal basis of their eigenspace; non-finite entries give NaN.
 *
 * NaN and infinite values in the image: as `structureTensor`, every float
 * output is NaN, and the shape class "background", in the box of
 * half-width `1 + r_a` around each such voxel; elsewhere nothing changes.
 *
 * References: scikit-image's `structure_tensor`; Basser & Pierpaoli, J.
 * Magn. Reson. B 111(3), 1996 (FA); Westin et al., Med. Image Anal. 6(2),
 * 2002; Rezakhaniha et al., Biomech. Model. Mechanobiol. 11, 2012
 * (OrientationJ's coherence).
 *
 * @param image A 2-D or 3-D ndarray (any dtype, any strides); not modified.
 *
 * @example
 * ```ts
 * import { ndarray } from "../array/ndarray.ts";
 * import { structureTensorAnalysis } from "./structure_tensor_analysis.ts";
 *
 * // Intensity rising along X only: the gradient, rank 0's vector, is (0, 0, 1).
 * const ramp = ndarray(Float64Array.from({ length: 4 * 4 * 4 }, (_, i) => i % 4), [4, 4, 4]);
 * const { vectors, fractionalAnisotropy, shapeClass } = structureTensorAnalysis(ramp, {
 *   outputs: ["vectors", "fractionalAnisotropy", "shapeClass"],
 *   vectorRanks: [0],
 * });
 * const at = [1, 2, 1] as const;
 * console.log(
 *   [0, 1, 2].map((c) => vectors!.get(0, c, ...at)),
 *   fractionalAnisotropy!.get(...at),
 *   shapeClass!.names[shapeClass!.codes.get(...at)],
 * ); // [0, 0, 1] 1 cigar
 * ```
 */
export function structureTensorAnalysis(
  image: NdArray,
  options?: StructureTensorAnalysisOptions & { precision?: "float64" },
): StructureTensorAnalysis<Float64Array>;
/** With `precision: "float32"`: float32 outputs. */
export function structureTensorAnalysis(
  image: NdArray,
  options: StructureTensorAnalysisOptions & { precision: "float32" },
): StructureTensorAnalysis<Float32Array>;
/** Float64 or float32 outputs, as `options.precision` says. */
export function structureTensorAnalysis(
  image: NdArray,
  options?: StructureTensorAnalysisOptions,
): StructureTensorAnalysis<Float64Array | Float32Array>;
export function structureTensorAnalysis(
  image: NdArray,
  options: StructureTensorAnalysisOptions = {},
): StructureTensorAnalysis<Float64Array | Float32Array> {
  const fn = "structureTensorAnalysis";
  checkArgumentCount(fn, arguments.length, ["image", "options"]);
  const plan = planAnalysis(fn, image, options, false);
  const eigen = plan.tensor === null
    ? analyzePlane(plan)
    : tensor3d(plan.image, plan.tensor).eigen;
  releaseMask(plan);
  return resultOf(plan, eigen);
}

/**
 * {@linkcode structureTensorAnalysis}, computed on worker threads while the
 * calling thread's event loop stays free: the same options (`threads`
 * workers, 1 included, which still leaves this thread free) and the same
 * outputs, bit for bit. 3-D images only go to the workers: a 2-D image is
 * analysed on the calling thread, as by `structureTensorAnalysis`, before
 * the promise resolves. Invalid arguments reject the promise with the
 * error the synchronous form throws. Without read permission on the
 * library's own modules, the calling thread computes.
 *
 * @param image A 2-D or 3-D ndarray (any dtype, any strides); not modified while the promise is pending.
 *
 * @example
 * ```ts
 * import { ndarray } from "../array/ndarray.ts";
 * import { structureTensorAnalysisAsync } from "./structure_tensor_analysis.ts";
 *
 * // Intensity rising along X only: FA 1, the "cigar" shape class.
 * const ramp = ndarray(Float64Array.from({ length: 4 * 4 * 4 }, (_, i) => i % 4), [4, 4, 4]);
 * const { fractionalAnisotropy, shapeClass } = await structureTensorAnalysisAsync(ramp, {
 *   outputs: ["fractionalAnisotropy", "shapeClass"],
 * });
 * console.log(
 *   fractionalAnisotropy!.get(1, 2, 1),
 *   shapeClass!.names[shapeClass!.codes.get(1, 2, 1)],
 * ); // 1 cigar
 * ```
 */
export function structureTensorAnalysisAsync(
  image: NdArray,
  options?: StructureTensorAnalysisOptions & { precision?: "float64" },
): Promise<StructureTensorAnalysis<Float64Array>>;
/** With `precision: "float32"`: float32 outputs. */
export function structureTensorAnalysisAsync(
  image: NdArray,
  options: StructureTensorAnalysisOptions & { precision: "float32" },
): Promise<StructureTensorAnalysis<Float32Array>>;
/** Float64 or float32 outputs, as `options.precision` says. */
export function structureTensorAnalysisAsync(
  image: NdArray,
  options?: StructureTensorAnalysisOptions,
): Promise<StructureTensorAnalysis<Float64Array | Float32Array>>;
export async function structureTensorAnalysisAsync(
  image: NdArray,
  options: StructureTensorAnalysisOptions = {},
): Promise<StructureTensorAnalysis<Float64Array | Float32Array>> {
  const fn = "structureTensorAnalysisAsync";
  checkArgumentCount(fn, arguments.length, ["image", "options"]);
  const plan = planAnalysis(fn, image, options, true);
  const eigen = plan.tensor === null
    ? analyzePlane(plan)
    : (await tensor3dAsync(plan.image, plan.tensor)).eigen;
  releaseMask(plan);
  return resultOf(plan, eigen);
}

/** A checked analysis: its arrays allocated, and what `tensor3d` computes (3-D) or null (2-D). */
interface AnalysisPlan {
  image: NumericNdArray;
  options: StructureTensorAnalysisOptions;
  request: AnalysisRequest;
  spacing: number[] | null;
  float32: boolean;
  targets: AnalysisTargets;
  tensor: Tensor3dSettings | null;
}

/**
 * Checks the arguments of `fn` and allocates the outputs (shared when
 * worker threads write them: with `threads > 1`, or always with
 * `offThread`, in 3-D).
 */
function planAnalysis(
  fn: string,
  image: NdArray,
  options: StructureTensorAnalysisOptions,
  offThread: boolean,
): AnalysisPlan {
  checkNdArray(fn, "image", image, { minDims: 2 });
  const d = image.shape.length;
  if (d !== 2 && d !== 3) {
    throw argumentError(fn, "image", image, "a 2-D or 3-D ndarray");
  }
  const settings = checkTensorOptions(fn, options, d, [
    "outputs",
    "vectorRanks",
    "angleRank",
    "shapeClassOptions",
    "energy",
    "mask",
    "background",
    "threads",
  ]);
  const request = checkRequest(fn, options, image.shape);
  const threads = resolveThreads(fn, options.threads, sizeOf(image.shape));
  const shape = image.shape.slice();
  const size = sizeOf(shape);
  const float32 = settings.precision === "float32";
  checkAllocation(
    fn,
    `the outputs ${JSON.stringify(request.outputs)} of shape [${
      shape.join(", ")
    }]`,
    outputVolumes(request, d) * size,
    float32 ? 4 : 8,
  );
  const shared = d === 3 && (offThread || threads > 1);
  const volume = (count: number) => floatArray(count * size, float32, shared);
  const wants = (output: AnalysisOutput) => request.outputs.includes(output);
  const targets: AnalysisTargets = {
    vectors: wants("vectors") ? volume(d * request.vectorRanks.length) : null,
    vectorRanks: request.vectorRanks,
    fractionalAnisotropy: wants("fractionalAnisotropy") ? volume(1) : null,
    westin: wants("westin") ? [volume(1), volume(1), volume(1)] : null,
    shapeClass: wants("shapeClass")
      ? new Uint8Array(
        bufferOf(size, shared),
        0,
        size,
      )
      : null,
    coherence: wants("coherence") ? volume(1) : null,
    thresholds: request.thresholds,
    angles: wants("angles")
      ? (d === 3 ? [volume(1), volume(1)] : [volume(1)])
      : null,
    angleRank: request.angleRank,
    mask: request.mask === null ? null : maskOf(request.mask, size, shared),
    energyBackground: request.energyBackground,
    background: request.background,
    size,
  };
  const tensor = d === 3
    ? {
      ...settings,
      threads,
      output: wants("eigenvalues") ? "eigenvalues" as const : null,
      analysis: targets,
    }
    : null;
  return {
    image,
    options,
    request,
    spacing: settings.spacing,
    float32,
    targets,
    tensor,
  };
}

/** Hands back the mask's shared copy, the analysis's own (see `releaseShared`). */
function releaseMask({ targets }: AnalysisPlan): void {
  if (targets.mask !== null) releaseShared(targets.mask.buffer);
}

/** The requested outputs of a computed plan (`eigen`: its eigenvalues, if computed). */
function resultOf(
  { image, request, spacing, targets }: AnalysisPlan,
  eigen: Float64Array | Float32Array | null,
): StructureTensorAnalysis<Float64Array | Float32Array> {
  const shape = image.shape.slice();
  const d = shape.length;
  const grid = (data: Float64Array | Float32Array) =>
    ndarray(data, shape, contiguousStrides(shape), 0);
  const stack = (data: Float64Array | Float32Array, lead: number[]) => {
    const full = [...lead, ...shape];
    return ndarray(data, full, contiguousStrides(full), 0);
  };
  const result: StructureTensorAnalysis<Float64Array | Float32Array> = {
    vectorRanks: [...request.vectorRanks],
    spacing,
  };
  if (eigen !== null && request.outputs.includes("eigenvalues")) {
    result.eigenvalues = stack(eigen, [d]);
  }
  if (targets.vectors !== null) {
    result.vectors = stack(targets.vectors, [request.vectorRanks.length, d]);
  }
  if (targets.fractionalAnisotropy !== null) {
    result.fractionalAnisotropy = grid(targets.fractionalAnisotropy);
  }
  if (targets.westin !== null) {
    const [linear, planar, spherical] = targets.westin.map(grid);
    result.westin = { linear, planar, spherical };
  }
  if (targets.shapeClass !== null) {
    result.shapeClass = {
      codes: ndarray(targets.shapeClass, shape, contiguousStrides(shape), 0),
      names: SHAPE_CLASSES,
    };
  }
  if (targets.angles !== null) {
    result.angles = d === 3
      ? { azimuth: grid(targets.angles[0]), elevation: grid(targets.angles[1]) }
      : { angle: grid(targets.angles[0]) };
  }
  if (targets.coherence !== null) result.coherence = grid(targets.coherence);
  return result;
}

/** The analysis options besides the tensor's, checked. */
interface AnalysisRequest {
  outputs: readonly AnalysisOutput[];
  vectorRanks: number[];
  angleRank: number;
  thresholds: AnalysisTargets["thresholds"];
  energyBackground: boolean;
  mask: NumericNdArray | null;
  background: number;
}

/** Checks the options that say what to compute and what background is. */
function checkRequest(
  fn: string,
  options: StructureTensorAnalysisOptions,
  shape: readonly number[],
): AnalysisRequest {
  const d = shape.length;
  const { outputs = DEFAULT_OUTPUTS, angleRank = 0, background = NaN } =
    options;
  const oneOf = ANALYSIS_OUTPUTS.map((o) => `"${o}"`).join(", ");
  if (!Array.isArray(outputs) || outputs.length === 0) {
    throw argumentError(
      fn,
      "outputs",
      outputs,
      `a non-empty array of ${oneOf}`,
    );
  }
  for (const output of outputs) {
    if (!ANALYSIS_OUTPUTS.includes(output)) {
      throw argumentError(fn, "outputs", outputs, `entries among ${oneOf}`);
    }
    const only = output === "coherence" ? 2 : 3;
    if (
      (output === "westin" || output === "shapeClass" ||
        output === "coherence") && d !== only
    ) {
      throw argumentError(
        fn,
        "outputs",
        outputs,
        `outputs of a ${d}-D image ("${output}" is ${only}-D only)`,
      );
    }
  }
  const rank = (name: string, value: unknown) => {
    if (
      !Number.isInteger(value) || (value as number) < 0 ||
      (value as number) >= d
    ) {
      throw argumentError(
        fn,
        name,
        value,
        `ranks: integers from 0 (the largest eigenvalue's vector) to ${d - 1}`,
      );
    }
    return value as number;
  };
  const { vectorRanks = Array.from({ length: d }, (_, r) => r) } = options;
  if (!Array.isArray(vectorRanks) || vectorRanks.length === 0) {
    throw argumentError(
      fn,
      "vectorRanks",
      vectorRanks,
      "a non-empty array of ranks",
    );
  }
  vectorRanks.forEach((r) => rank("vectorRanks", r));
  rank("angleRank", angleRank);
  const { shapeClassOptions: shapeOptions = {} } = options;
  checkOptionsObject(fn, shapeOptions, ["ratio", "gap"], "shapeClassOptions");
  const thresholds = checkShapeThresholds(fn, {
    ...shapeOptions,
    energy: options.energy,
  });
  if (typeof background !== "number") {
    throw argumentError(
      fn,
      "background",
      background,
      "a number (NaN or 0, usually)",
    );
  }
  let mask: NumericNdArray | null = null;
  if (options.mask !== undefined) {
    checkNdArray(fn, "mask", options.mask);
    if (
      options.mask.shape.length !== d ||
      options.mask.shape.some((n, a) => n !== shape[a])
    ) {
      throw argumentError(
        fn,
        "mask",
        options.mask,
        `an ndarray of the image's shape [${shape.join(", ")}]`,
      );
    }
    mask = options.mask as NumericNdArray;
  }
  return {
    outputs,
    vectorRanks: [...vectorRanks],
    angleRank,
    thresholds,
    energyBackground: options.energy !== undefined,
    mask,
    background,
  };
}

/**
 * How many float volumes of the image's size the requested outputs take
 * (the eigenvalues always, as the engine solves them; the byte-sized shape
 * classes and mask count as a volume each, an upper bound).
 */
function outputVolumes(request: AnalysisRequest, d: number): number {
  const perOutput: Record<AnalysisOutput, number> = {
    eigenvalues: d,
    vectors: d * request.vectorRanks.length,
    fractionalAnisotropy: 1,
    westin: 3,
    shapeClass: 1,
    angles: d === 3 ? 2 : 1,
    coherence: 1,
  };
  const volumes = request.outputs.reduce((n, o) => n + perOutput[o], 0);
  return volumes + (request.outputs.includes("eigenvalues") ? 0 : d) +
    (request.mask === null ? 0 : 1);
}

/** The mask as one byte per voxel, C order: 1 where it is nonzero. */
function maskOf(
  mask: NumericNdArray,
  size: number,
  shared: boolean,
): Uint8Array {
  const values = contiguousCopy(mask);
  const bytes = new Uint8Array(
    bufferOf(size, shared),
    0,
    size,
  );
  for (let i = 0; i < size; i++) bytes[i] = values[i] !== 0 ? 1 : 0;
  return bytes;
}

/**
 * The 2-D analysis: `structureTensor`, then the eigenvalues and (when
 * needed) eigenvectors of the whole plane (a plane is small), analysed as
 * one band; returns the eigenvalues.
 */
function analyzePlane(
  { image, options, targets, float32 }: AnalysisPlan,
): Float64Array | Float32Array {
  const { sigma, spacing, mode, cval, precision } = options;
  const elements = structureTensor(image, {
    sigma,
    spacing,
    mode,
    cval,
    precision,
  }).map((element) => element.data);
  const { size } = targets;
  const eigen = floatArray(2 * size, float32, false);
  eigenvalues2(elements, size, eigen);
  let vectors = null;
  if (needsVectors(targets)) {
    vectors = stackViews(new Float64Array(4 * size), 4, size);
    eigenvectors2(elements, size, vectors);
  }
  analyzeBand(targets, stackViews(eigen, 2, size), vectors, size, 0);
  return eigen;
}
