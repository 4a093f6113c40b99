/**
 * Reads back a store written by `writeOmeZarrArrays`: every named array with
 * its original shape, and the voxel size.
 *
 * @module
 */

import { join } from "node:path";
import { filePath } from "../_atomic_write.ts";
import { type NdArray, ndarray } from "../deps.ts";
import type { NumericArray } from "../array/types.ts";
import { checkFilePath } from "../io/_io_checks.ts";
import { readOmeZarr } from "./read_ome_zarr.ts";
import type { OmeZarrMetadata } from "./_open_image.ts";
import { checkStoreComplete, groupAttributes } from "./_block_completion.ts";

/** What {@linkcode readOmeZarrArrays} returns. */
export interface OmeZarrArrays {
  /** Each array by name, in its written shape. */
  arrays: Record<string, NdArray<NumericArray>>;
  /** The space axes the arrays end with, e.g. "ZYX". */
  axes: string;
  /** The voxel size of the space axes (those of the first array). */
  physicalSizes: OmeZarrMetadata["physicalSizes"];
  /** The unit of the space sizes, e.g. "µm". */
  physicalUnit?: string;
}

const FN = "readOmeZarrArrays";

/**
 * Reads every array of a store written by {@linkcode writeOmeZarrArrays},
 * each image checked as `readOmeZarr` checks it. Refuses a store whose root
 * group, written last, is missing (an interrupted write) or lists no arrays
 * under `stria.arrays`, and a store written block by block by `stria
 * analyze` that is not marked complete (the error names the missing blocks).
 *
 * @example
 * ```ts
 * import { ndarray } from "../../mod.ts";
 * import { readOmeZarrArrays, writeOmeZarrArrays } from "./mod.ts";
 * const dir = await Deno.makeTempDir();
 * const vectors = ndarray(new Float32Array(2 * 3 * 4 * 5), [2, 3, 4, 5]);
 * await writeOmeZarrArrays(`${dir}/out.zarr`, { vectors }, { axes: "YX" });
 * const { arrays, axes } = await readOmeZarrArrays(`${dir}/out.zarr`);
 * console.log(axes, arrays.vectors.shape); // YX [2, 3, 4, 5]
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readOmeZarrArrays(
  path: string | URL,
): Promise<OmeZarrArrays> {
  checkFilePath(FN, path);
  const root = filePath(path);
  const attributes = await groupAttributes(FN, root);
  if (attributes === undefined) {
    throw new Error(
      `${FN}: ${root}: not a Zarr group (no zarr.json or .zgroup); a store whose write was interrupted has none`,
    );
  }
  await checkStoreComplete(FN, root, attributes);
  const listed = (attributes.stria as { arrays?: unknown } | undefined)?.arrays;
  if (typeof listed !== "object" || listed === null || Array.isArray(listed)) {
    throw new Error(
      `${FN}: ${root}: the root group's attributes have no stria.arrays: not written by writeOmeZarrArrays`,
    );
  }
  const arrays: Record<string, NdArray<NumericArray>> = {};
  let axes = "";
  let first: OmeZarrMetadata | undefined;
  for (const [name, shape] of Object.entries(listed)) {
    const image = await readOmeZarr(join(root, name));
    const size = image.data.data.length;
    if (
      !Array.isArray(shape) ||
      shape.reduce((a: number, b: number) => a * b, 1) !== size
    ) {
      throw new Error(
        `${FN}: ${root}: stria.arrays.${name} ${
          JSON.stringify(shape)
        } does not hold the ${size} values of ${join(root, name)}`,
      );
    }
    arrays[name] = ndarray(image.data.data, shape as number[]);
    axes = image.axes.replace("C", "");
    first ??= image.metadata;
  }
  return {
    arrays,
    axes,
    physicalSizes: first?.physicalSizes ?? {},
    ...(first?.physicalUnit === undefined
      ? {}
      : { physicalUnit: first.physicalUnit }),
  };
}
