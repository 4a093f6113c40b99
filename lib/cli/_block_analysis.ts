/**
 * The analysis `stria analyze` runs, a region at a time: which arrays each
 * output name gives, and the values of a region (planes, rows and columns)
 * computed by `structureTensorAnalysis` from that region plus a halo of
 * `r + 1` voxels on each side along each axis (`r` the Gaussian's radius
 * along it, 1 for the Sobel derivative). An output voxel depends only on
 * the input voxels within those distances, and at the volume's faces the
 * region ends where the volume does, so every voxel equals the whole
 * volume's analysis bit for bit.
 *
 * @module
 */

import { ARRAY_TYPES, copyToContiguous, sizeOf } from "../array/_strided.ts";
import type { DType } from "../array/types.ts";
import { type NdArray, ndarray } from "../deps.ts";
import { checkTensorOptions, TENSOR_TRUNCATE } from "../feature/_options.ts";
import {
  type AnalysisOutput,
  type StructureTensorAnalysis,
  structureTensorAnalysis,
  type StructureTensorAnalysisOptions,
} from "../feature/structure_tensor_analysis.ts";
import { gaussianRadius } from "../filters/_gaussian.ts";
import type { PlaneSource } from "../io/tiff_plane_reader.ts";
import { releaseShared } from "../parallel/_shared_buffers.ts";
import type { BlockRegion } from "../zarr/_block_completion.ts";
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
 * The halo along Z, Y and X, `r + 1` voxels each: checks the window options
 * as the analysis does (a TypeError naming the option otherwise).
 */
export function haloOf(analysis: BlockAnalysis): [number, number, number] {
  const { sigmas } = checkTensorOptions(
    "analyze",
    analysisOptions(analysis, undefined),
    3,
    ["outputs", "energy"],
  );
  return sigmas.map((sigma) => gaussianRadius(sigma, TENSOR_TRUNCATE) + 1) as [
    number,
    number,
    number,
  ];
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
 * Hands the shared buffers of the largest step to `releaseShared` before
 * the first step, for a run on worker threads. There the analysis's input
 * copy and outputs live in SharedArrayBuffers, which V8 frees only at a
 * full garbage collection: steps that grow one after another (edge tiles
 * and slabs, then inner ones) would each allocate anew, and keep the
 * smaller ones (measured, 24 × 2048 × 2048, tiles of 512: 2.0 GB on two
 * threads, 0.8 GB on one). From buffers of the largest step every step's
 * fit.
 */
export function reserveStepBuffers(
  reader: PlaneSource,
  analysis: BlockAnalysis,
  halo: readonly [number, number, number],
  step: readonly [number, number, number],
): void {
  const window = step.map((size, axis) =>
    Math.min(reader.shape[axis], size + 2 * halo[axis])
  );
  const bytes = arraysOf(analysis, window).map((array) =>
    sizeOf(array.shape) * ARRAY_TYPES[array.dtype].BYTES_PER_ELEMENT
  );
  // The input's copy: its own samples (integers stay as they are on the SIMD kernels).
  bytes.push(sizeOf(window) * ARRAY_TYPES[reader.dtype].BYTES_PER_ELEMENT);
  releaseShared(...bytes.map((n) => new SharedArrayBuffer(n)));
}

/**
 * The input the analysis of `region` reads: the region grown by `halo`
 * along each axis and clipped to the volume (`[first, end)` per axis). When
 * it is narrower than a plane: only its chunks where the reader can
 * (OME-Zarr), else a plane at a time, so that only one whole plane is held
 * beside it.
 */
async function readWindow(
  reader: PlaneSource,
  window: readonly (readonly [number, number])[],
): Promise<NdArray> {
  const [[z0, z1], [y0, y1], [x0, x1]] = window;
  const [, height, width] = reader.shape;
  if (y1 - y0 === height && x1 - x0 === width) {
    return await reader.readPlanes(z0, z1 - z0);
  }
  if (reader.readBox !== undefined) {
    return await reader.readBox([z0, z1], [y0, y1], [x0, x1]);
  }
  const shape = [z1 - z0, y1 - y0, x1 - x0];
  const plane = shape[1] * shape[2];
  const data = new ARRAY_TYPES[reader.dtype](shape[0] * plane);
  for (let z = z0; z < z1; z++) {
    const read = await reader.readPlanes(z, 1);
    copyToContiguous(
      read.pick(0, null, null).hi(y1, x1).lo(y0, x0),
      data.subarray((z - z0) * plane, (z - z0 + 1) * plane),
    );
  }
  return ndarray(data, shape);
}

/**
 * Every array's values for `region` of `reader`'s volume:
 * `structureTensorAnalysis` of the region grown by `halo` (less at the
 * volume's faces), of which only the region is kept.
 */
export async function analyzeRegion(
  reader: PlaneSource,
  region: BlockRegion,
  halo: readonly [number, number, number],
  analysis: BlockAnalysis,
  threads: number,
): Promise<Record<string, BlockValues>> {
  const bounds = [region.planes, region.rows, region.columns];
  const window = bounds.map(([first, end], axis) =>
    [
      Math.max(0, first - halo[axis]),
      Math.min(reader.shape[axis], end + halo[axis]),
    ] as const
  );
  const result = structureTensorAnalysis(
    await readWindow(reader, window),
    analysisOptions(analysis, threads),
  ) as Result;
  const [depth, rows, columns] = window.map(([first, end]) => end - first);
  const plane = rows * columns;
  const offset = bounds.reduce(
    (sum, [first], axis) =>
      sum + (first - window[axis][0]) * [plane, columns, 1][axis],
    0,
  );
  const shape = bounds.map(([first, end]) => end - first);
  const stride = [plane, columns, 1];
  const values: Record<string, BlockValues> = {};
  for (const name of analysis.outputs) {
    for (const array of OUTPUTS[name].arrays) {
      // Contiguous [lead, depth, rows, columns]: the region as a strided view.
      const data = array.pick(result).data as Float64Array;
      const channels = sizeOf(array.lead);
      values[array.name] = {
        data: data.subarray(offset),
        shape: array.lead.length > 0 ? [channels, ...shape] : shape,
        stride: array.lead.length > 0 ? [depth * plane, ...stride] : stride,
      };
    }
  }
  return values;
}
