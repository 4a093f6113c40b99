/**
 * The analysis `stria analyze` runs, a few planes at a time: which arrays
 * each output name gives, and the values of planes `z0 … z1 - 1` computed
 * by `structureTensorAnalysis` from those planes plus a halo of `r + 1`
 * planes on each side (`r` the Gaussian's radius along Z, 1 for the Sobel
 * derivative). Output plane z depends only on input planes `z - r - 1 …
 * z + r + 1`, and at the volume's ends the block ends where the volume does,
 * so every plane equals the whole volume's analysis bit for bit.
 *
 * @module
 */

import type { DType } from "../array/types.ts";
import type { NdArray } from "../deps.ts";
import { checkTensorOptions, TENSOR_TRUNCATE } from "../feature/_options.ts";
import {
  type AnalysisOutput,
  type StructureTensorAnalysis,
  structureTensorAnalysis,
  type StructureTensorAnalysisOptions,
} from "../feature/structure_tensor_analysis.ts";
import { gaussianRadius } from "../filters/_gaussian.ts";
import type { PlaneSource } from "../io/tiff_plane_reader.ts";
import type { BlockArray, BlockValues } from "../zarr/_block_store.ts";

/** The names `--outputs` takes. */
export const OUTPUT_NAMES = [
  "eigenvalues",
  "vectors",
  "fa",
  "westin",
  "class",
  "angles",
] as const;

/** One of {@linkcode OUTPUT_NAMES}. */
export type OutputName = typeof OUTPUT_NAMES[number];

type Result = StructureTensorAnalysis<Float64Array | Float32Array>;

/** One stored array: its name, leading shape, and where the result holds it. */
interface ArrayOfOutput {
  name: string;
  lead: number[];
  integer?: true;
  pick: (result: Result) => NdArray;
}

/** Each output name: the analysis output it asks for and the arrays it stores. */
const OUTPUTS: Record<
  OutputName,
  { analysis: AnalysisOutput; arrays: ArrayOfOutput[] }
> = {
  eigenvalues: {
    analysis: "eigenvalues",
    arrays: [{ name: "eigenvalues", lead: [3], pick: (r) => r.eigenvalues! }],
  },
  vectors: {
    analysis: "vectors",
    arrays: [{ name: "vectors", lead: [3, 3], pick: (r) => r.vectors! }],
  },
  fa: {
    analysis: "fractionalAnisotropy",
    arrays: [{
      name: "fractionalAnisotropy",
      lead: [],
      pick: (r) => r.fractionalAnisotropy!,
    }],
  },
  westin: {
    analysis: "westin",
    arrays: (["linear", "planar", "spherical"] as const).map((measure) => ({
      name: `westin${measure[0].toUpperCase()}${measure.slice(1)}`,
      lead: [],
      pick: (r: Result) => r.westin![measure],
    })),
  },
  class: {
    analysis: "shapeClass",
    arrays: [{
      name: "shapeClass",
      lead: [],
      integer: true,
      pick: (r) => r.shapeClass!.codes,
    }],
  },
  angles: {
    analysis: "angles",
    arrays: (["azimuth", "elevation"] as const).map((angle) => ({
      name: angle,
      lead: [],
      pick: (r: Result) =>
        (r.angles as { azimuth: NdArray; elevation: NdArray })[angle],
    })),
  },
};

/** The analysis's options: what `structureTensorAnalysis` takes, without threads. */
export interface BlockAnalysis {
  outputs: readonly OutputName[];
  sigma: number | readonly number[];
  /** The voxel size `[Z, Y, X]`, or null: sigma in voxels. */
  spacing: number[] | null;
  precision: "float64" | "float32";
  energy?: number;
}

/** `structureTensorAnalysis`'s options for `analysis`. */
export function analysisOptions(
  analysis: BlockAnalysis,
  threads: number | undefined,
): StructureTensorAnalysisOptions {
  const options: StructureTensorAnalysisOptions = {
    outputs: analysis.outputs.map((name) => OUTPUTS[name].analysis),
    sigma: analysis.sigma,
    precision: analysis.precision,
  };
  if (analysis.spacing !== null) options.spacing = analysis.spacing;
  if (analysis.energy !== undefined) options.energy = analysis.energy;
  if (threads !== undefined) options.threads = threads;
  return options;
}

/**
 * The halo, `r + 1` planes: checks the window options as the analysis does
 * (a TypeError naming the option otherwise).
 */
export function haloOf(analysis: BlockAnalysis): number {
  const { sigmas } = checkTensorOptions(
    "analyze",
    analysisOptions(analysis, undefined),
    3,
    ["outputs", "energy"],
  );
  return gaussianRadius(sigmas[0], TENSOR_TRUNCATE) + 1;
}

/** The arrays the outputs store, for a volume of `shape` `[Z, Y, X]`. */
export function arraysOf(
  analysis: BlockAnalysis,
  shape: readonly number[],
): BlockArray[] {
  return analysis.outputs.flatMap((name) =>
    OUTPUTS[name].arrays.map((array) => ({
      name: array.name,
      shape: [...array.lead, ...shape],
      dtype: (array.integer ? "uint8" : analysis.precision) as DType,
    }))
  );
}

/**
 * Every array's values for planes `z0 … z1 - 1` of `reader`'s volume:
 * `structureTensorAnalysis` of those planes and `halo` more on each side
 * (fewer at the volume's ends), of which only the block's planes are kept.
 */
export async function analyzePlanes(
  reader: PlaneSource,
  z0: number,
  z1: number,
  halo: number,
  analysis: BlockAnalysis,
  threads: number,
): Promise<Record<string, BlockValues>> {
  const [planes, height, width] = reader.shape;
  const from = Math.max(0, z0 - halo);
  const to = Math.min(planes, z1 + halo);
  const block = await reader.readPlanes(from, to - from);
  const result = structureTensorAnalysis(
    block,
    analysisOptions(analysis, threads),
  ) as Result;
  const plane = height * width;
  const depth = to - from;
  const values: Record<string, BlockValues> = {};
  for (const name of analysis.outputs) {
    for (const array of OUTPUTS[name].arrays) {
      // Contiguous [lead, depth, Y, X]: the block's planes as a strided view.
      const data = array.pick(result).data as Float64Array;
      const channels = array.lead.reduce((a, b) => a * b, 1);
      const shape = [z1 - z0, height, width];
      const stride = [plane, width, 1];
      values[array.name] = {
        data: data.subarray((z0 - from) * plane),
        shape: array.lead.length > 0 ? [channels, ...shape] : shape,
        stride: array.lead.length > 0 ? [depth * plane, ...stride] : stride,
      };
    }
  }
  return values;
}
