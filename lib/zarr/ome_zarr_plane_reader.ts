/**
 * Reads chosen planes of an OME-Zarr image, as `openTiffPlanes` reads pages
 * of a TIFF: the chunked path for volumes larger than memory.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import { type NdArray, ndarray } from "../deps.ts";
import type { NumericArray } from "../array/types.ts";
import { checkOptionsObject } from "../_options_object.ts";
import { checkBox, checkFilePath } from "../io/_io_checks.ts";
import type { PlaneSource } from "../io/tiff_plane_reader.ts";
import {
  type OmeZarrMetadata,
  openImage,
  readSelection,
} from "./_open_image.ts";

/** Options of {@linkcode openOmeZarrPlanes}. */
export interface OpenOmeZarrPlanesOptions {
  /** The resolution level; default 0. */
  level?: number;
  /** The channel to read, when the image has a C axis; default 0. */
  channel?: number;
  /** The time point to read, when the image has a T axis; default 0. */
  time?: number;
}

/** A reader of planes of one channel and time point of an OME-Zarr image. */
export interface OmeZarrPlaneReader extends PlaneSource {
  /** Reads the box of planes, rows and columns `[first, end)` each: only the chunks it overlaps. */
  readBox(
    planes: readonly [number, number],
    rows: readonly [number, number],
    columns: readonly [number, number],
  ): Promise<NdArray<NumericArray>>;
  /** The store's metadata, as `readOmeZarr` gives it. */
  readonly metadata: OmeZarrMetadata;
}

const FN = "openOmeZarrPlanes";

/**
 * Opens the OME-Zarr image at `path` for reading planes along Z of one
 * channel and time point, or boxes of them (`readBox`: planes, rows and
 * columns); only the chunks a call touches are read. The image
 * is checked as `readOmeZarr` checks it (an image of an unfinished `stria
 * analyze` store is refused); its space axes must be Z, Y, X (or
 * Y, X) in that order.
 *
 * @example
 * ```ts
 * import { ndarray } from "../../mod.ts";
 * import { openOmeZarrPlanes, writeOmeZarr } from "./mod.ts";
 * const dir = await Deno.makeTempDir();
 * const volume = ndarray(new Uint8Array(2 * 4 * 3 * 3).map((_, i) => i), [2, 4, 3, 3]);
 * await writeOmeZarr(`${dir}/v.zarr`, volume, { axes: "CZYX" });
 * const reader = await openOmeZarrPlanes(`${dir}/v.zarr`, { channel: 1 });
 * const planes = await reader.readPlanes(1, 2);
 * console.log(reader.shape, planes.shape, planes.get(0, 0, 0)); // [4, 3, 3] [2, 3, 3] 45
 * const box = await reader.readBox([1, 3], [1, 3], [0, 2]);
 * console.log(box.shape, box.get(0, 0, 0)); // [2, 2, 2] 48
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function openOmeZarrPlanes(
  path: string | URL,
  options: OpenOmeZarrPlanesOptions = {},
): Promise<OmeZarrPlaneReader> {
  checkFilePath(FN, path);
  checkOptionsObject(FN, options, ["level", "channel", "time"]);
  const opened = await openImage(FN, path, options.level);
  const { axes, shape } = opened;
  const space = axes.replace(/[^XYZ]/g, "");
  if (space !== "ZYX" && space !== "YX") {
    throw new Error(
      `${FN}: ${path}: space axes ${space} are not Z, Y, X (or Y, X) in that order`,
    );
  }
  const selection: (number | null)[] = [];
  for (const [i, letter] of [...axes].entries()) {
    if ("ZYX".includes(letter)) {
      selection.push(null);
      continue;
    }
    const option = letter === "T" ? "time" : "channel";
    const index = options[option] ?? 0;
    if (!Number.isInteger(index) || index < 0 || index >= shape[i]) {
      throw argumentError(
        FN,
        `options.${option}`,
        index,
        `an integer from 0 to ${shape[i] - 1} (axis ${letter} has ${shape[i]})`,
      );
    }
    selection.push(index);
  }
  const height = shape[axes.indexOf("Y")];
  const width = shape[axes.indexOf("X")];
  const planes = space === "ZYX" ? shape[axes.indexOf("Z")] : 1;
  const zAt = axes.indexOf("Z");
  return {
    shape: [planes, height, width],
    dtype: opened.metadata.dtype,
    axes: "ZYX",
    physicalSizes: opened.metadata.physicalSizes,
    ...(opened.metadata.physicalUnit === undefined
      ? {}
      : { physicalUnit: opened.metadata.physicalUnit }),
    metadata: opened.metadata,
    async readPlanes(start, count) {
      if (
        !Number.isInteger(start) || !Number.isInteger(count) || start < 0 ||
        count < 1 || start + count > planes
      ) {
        throw argumentError(
          "readPlanes",
          "start, count",
          [start, count],
          `a range of planes inside 0 … ${planes - 1}`,
        );
      }
      return await box([start, start + count], [0, height], [0, width]);
    },
    async readBox(planeRange, rows, columns) {
      checkBox([planes, height, width], [planeRange, rows, columns]);
      return await box(planeRange, rows, columns);
    },
  };

  /** The box of planes, rows and columns `[first, end)` of the chosen channel and time point. */
  async function box(
    planeRange: readonly [number, number],
    rows: readonly [number, number],
    columns: readonly [number, number],
  ) {
    const ranges: Record<string, readonly [number, number]> = {
      Z: planeRange,
      Y: rows,
      X: columns,
    };
    const chosen = selection.map((s, i) => {
      const range = ranges[axes[i]];
      return range === undefined ? s : opened.zarr.slice(range[0], range[1]);
    });
    const values = await readSelection(opened, chosen);
    return zAt < 0
      ? ndarray(values.data, [1, rows[1] - rows[0], columns[1] - columns[0]])
      : values;
  }
}
