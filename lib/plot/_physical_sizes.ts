/**
 * The `physicalSizes` and `physicalUnit` options of the 3-D figures, checked
 * once: the same record as `readTiff`'s `metadata.physicalSizes`, so a file's
 * sizes pass straight in.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import type { TiffMetadata } from "../io/read_tiff.ts";

/** A voxel's size along Z, Y and X, and their unit when known. */
export interface VoxelSize {
  Z: number;
  Y: number;
  X: number;
  unit?: string;
}

/**
 * Checks `physicalSizes` (Z, Y and X positive finite numbers when present;
 * a missing axis counts 1) and `physicalUnit` (a non-empty string when
 * present).
 *
 * @example
 * ```ts
 * import { checkPhysicalSizes } from "./_physical_sizes.ts";
 * const voxel = checkPhysicalSizes("f", { X: 1.24, Y: 1.24, Z: 1.25 }, "µm");
 * if (voxel.Z !== 1.25 || voxel.unit !== "µm") throw new Error(JSON.stringify(voxel));
 * console.log(voxel); // { Z: 1.25, Y: 1.24, X: 1.24, unit: "µm" }
 * ```
 */
export function checkPhysicalSizes(
  fn: string,
  sizes: TiffMetadata["physicalSizes"] | undefined,
  unit: string | undefined,
): VoxelSize {
  if (
    sizes !== undefined &&
    (typeof sizes !== "object" || sizes === null || Array.isArray(sizes))
  ) {
    throw argumentError(
      fn,
      "physicalSizes",
      sizes,
      "an object such as { Z: 1.25, Y: 1.24, X: 1.24 }",
    );
  }
  const size = (axis: "Z" | "Y" | "X") => {
    const value = sizes?.[axis] ?? 1;
    if (!(typeof value === "number" && value > 0 && value < Infinity)) {
      throw argumentError(
        fn,
        `physicalSizes.${axis}`,
        value,
        "a positive finite number",
      );
    }
    return value;
  };
  const voxel: VoxelSize = { Z: size("Z"), Y: size("Y"), X: size("X") };
  if (unit !== undefined) {
    if (typeof unit !== "string" || unit === "") {
      throw argumentError(fn, "physicalUnit", unit, "a non-empty string");
    }
    voxel.unit = unit;
  }
  return voxel;
}
