/**
 * Writes named arrays on one voxel grid (e.g. the outputs of
 * `structureTensorAnalysis`) as one Zarr store holding one OME-Zarr image per
 * array, each at the voxel size, so that viewers open each one to scale.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import type { NdArray } from "../deps.ts";
import {
  checkNdArray,
  contiguousCopy,
  dtypeOf,
  type NumericNdArray,
} from "../array/_strided.ts";
import { checkOptionsObject } from "../_options_object.ts";
import { checkFilePath } from "../io/_io_checks.ts";
import { FileStore } from "./_file_store.ts";
import { writeGroupMetadata, writeImageGroup } from "./_image_group.ts";
import {
  axesOf,
  checkVersion,
  chunkShapeOf,
  type OmeZarrWriteOptions,
  prepareTarget,
} from "./_write_checks.ts";

/** Options of {@linkcode writeOmeZarrArrays}. */
export interface WriteOmeZarrArraysOptions extends OmeZarrWriteOptions {
  /**
   * The space axes every array ends with: "ZYX" or "YX" (any order of those
   * letters); default "YX" when the smallest array has 2 dimensions, else
   * "ZYX". `chunkShape`, when given, is for these axes only.
   */
  axes?: string;
}

const FN = "writeOmeZarrArrays";
const NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

/**
 * Writes each array of `arrays` as its own OME-Zarr image in the group
 * `name` of the store at `path`. Every array ends with the same space axes
 * (`axes`, e.g. Z, Y, X), scaled by `physicalSizes`; its leading dimensions,
 * if any, become one axis "c" of type channel (several are flattened, C
 * order: vectors `[ranks, 3, Z, Y, X]` give `3 × ranks` channels), and the
 * group's attributes keep its shape as `stria.shape`. The root group lists
 * the arrays under `stria.arrays` (name → shape) and is written last, after
 * every image: {@linkcode readOmeZarrArrays} refuses a store without it.
 * Open one array in napari or ome-zarr-py as `path/name`.
 *
 * @example
 * ```ts
 * import { ndarray, structureTensorAnalysis } from "../../mod.ts";
 * import { readOmeZarrArrays, writeOmeZarrArrays } from "./mod.ts";
 * const volume = ndarray(new Float64Array(4 * 6 * 6).map((_, i) => i % 5), [4, 6, 6]);
 * const result = structureTensorAnalysis(volume, { sigma: 1 });
 * const dir = await Deno.makeTempDir();
 * await writeOmeZarrArrays(`${dir}/analysis.zarr`, {
 *   eigenvalues: result.eigenvalues!,
 *   fractionalAnisotropy: result.fractionalAnisotropy!,
 * }, { physicalSizes: { Z: 2, Y: 0.5, X: 0.5 } });
 * const back = await readOmeZarrArrays(`${dir}/analysis.zarr`);
 * console.log(Object.keys(back.arrays), back.arrays.eigenvalues.shape); // ["eigenvalues", "fractionalAnisotropy"] [3, 4, 6, 6]
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeOmeZarrArrays(
  path: string | URL,
  arrays: Record<string, NdArray>,
  options: WriteOmeZarrArraysOptions = {},
): Promise<void> {
  checkFilePath(FN, path);
  checkOptionsObject(FN, options, [
    "axes",
    "physicalSizes",
    "physicalUnit",
    "chunkShape",
    "version",
    "overwrite",
  ]);
  if (typeof arrays !== "object" || arrays === null) {
    throw argumentError(FN, "arrays", arrays, "an object of named ndarrays");
  }
  const entries = Object.entries(arrays);
  if (entries.length === 0) {
    throw argumentError(FN, "arrays", arrays, "at least one named ndarray");
  }
  for (const [name, array] of entries) {
    if (!NAME.test(name) || name === "0") {
      throw argumentError(
        FN,
        "arrays' names",
        name,
        'letters, digits, "_", "-" or "." (not first), and not "0"',
      );
    }
    checkNdArray(FN, `arrays.${name}`, array, { minDims: 2 });
  }
  const minDims = Math.min(...entries.map(([, a]) => a.shape.length));
  const space = options.axes ?? (minDims === 2 ? "YX" : "ZYX");
  if (
    typeof space !== "string" || !/^[XYZ]+$/.test(space) ||
    space.length > minDims
  ) {
    throw argumentError(
      FN,
      "options.axes",
      space,
      `2 or 3 of the letters Z, Y, X, at most ${minDims} (the smallest array's dimensions)`,
    );
  }
  const version = checkVersion(FN, options.version);
  const spaceShape = entries[0][1].shape.slice(-space.length);
  const images = entries.map(([name, array]) => {
    const data = array as NumericNdArray;
    const tail = data.shape.slice(-space.length);
    if (tail.join() !== spaceShape.join()) {
      throw argumentError(
        FN,
        `arrays.${name}`,
        data,
        `an ndarray ending with the space shape [${
          spaceShape.join(", ")
        }] of the first array`,
      );
    }
    const lead = data.shape.slice(0, -space.length);
    const letters = (lead.length > 0 ? "C" : "") + space;
    const shape = lead.length > 0
      ? [lead.reduce((a, b) => a * b, 1), ...spaceShape]
      : [...spaceShape];
    const { axes, scale } = axesOf(FN, letters, options);
    const chunkShape = options.chunkShape === undefined
      ? chunkShapeOf(FN, undefined, shape, axes)
      : [
        ...(lead.length > 0 ? [1] : []),
        ...chunkShapeOf(
          FN,
          options.chunkShape,
          spaceShape,
          axes.slice(-space.length),
        ),
      ];
    return {
      name,
      data,
      shape,
      axes,
      scale,
      chunkShape,
      original: [...data.shape],
    };
  });
  const target = await prepareTarget(FN, path, options.overwrite);
  const store = new FileStore(FN, target);
  for (const image of images) {
    const values = contiguousCopy(image.data);
    const dtype = dtypeOf(image.data);
    await writeImageGroup(store, image.name, {
      data: values,
      shape: image.shape,
      dtype,
      axes: image.axes,
      scale: image.scale,
      chunkShape: image.chunkShape,
      version,
      name: image.name,
      extra: { stria: { shape: image.original } },
    });
  }
  await writeGroupMetadata(store, "", version, {}, {
    stria: {
      arrays: Object.fromEntries(images.map((i) => [i.name, i.original])),
    },
  });
}
