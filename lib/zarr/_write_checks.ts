/**
 * The checks and conversions shared by the OME-Zarr writers: axis letters to
 * NGFF axes with units and scales, the version, the chunk shape, the data as
 * a contiguous typed array, and the target folder (new, or an old store
 * replaced with `overwrite`).
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import { filePath } from "../_atomic_write.ts";
import {
  AXIS_OF_LETTER,
  ngffSpaceUnit,
  OME_ZARR_VERSIONS,
  type OmeZarrAxis,
  type OmeZarrVersion,
  type PhysicalSizes,
} from "./_ngff.ts";

/** The options every OME-Zarr writer takes. */
export interface OmeZarrWriteOptions {
  /** Voxel size per axis letter (X, Y, Z in `physicalUnit`, T in seconds); 1 where not given. */
  physicalSizes?: PhysicalSizes;
  /** Unit of the X, Y and Z sizes: "µm" (default), "nm", "mm", … or an NGFF name such as "micrometer". */
  physicalUnit?: string;
  /** Chunk shape, one entry per axis; default one plane (1 along T, C and the first of 3 space axes) × 256 × 256. */
  chunkShape?: readonly number[];
  /** OME-NGFF version: "0.5" (Zarr v3, the default) or "0.4" (Zarr v2). */
  version?: OmeZarrVersion;
  /** Replace an existing Zarr store at the path; default false (refused). */
  overwrite?: boolean;
}

/** Checks `version`, returning the default "0.5" when absent. */
export function checkVersion(fn: string, version: unknown): OmeZarrVersion {
  if (version === undefined) return "0.5";
  if (!OME_ZARR_VERSIONS.includes(version as OmeZarrVersion)) {
    throw argumentError(fn, "options.version", version, '"0.4" or "0.5"');
  }
  return version as OmeZarrVersion;
}

/**
 * NGFF axes of the letters `axes` (T, C, Z, Y, X, in the spec's order: time,
 * then channel, then 2 or 3 space axes) with their units, and the scale of
 * each from `physicalSizes` (1 where unknown).
 */
export function axesOf(
  fn: string,
  axes: string,
  options: OmeZarrWriteOptions,
): { axes: OmeZarrAxis[]; scale: number[] } {
  const letters = [...axes];
  const order = letters.map((letter) => "TCZYX".indexOf(letter));
  const space = letters.filter((letter) => "ZYX".includes(letter)).length;
  const valid = letters.every((letter) => letter in AXIS_OF_LETTER) &&
    new Set(letters).size === letters.length && space >= 2 &&
    order.every((rank, i) =>
      i === 0 || Math.min(rank, 2) >= Math.min(order[i - 1], 2)
    );
  if (!valid) {
    throw argumentError(
      fn,
      "options.axes",
      axes,
      'distinct letters of T, C, Z, Y, X in the OME-NGFF order (T first, then C, then 2 or 3 of Z, Y, X), e.g. "ZYX" or "TCZYX"',
    );
  }
  const unitName = options.physicalUnit ?? "\u00b5m";
  const spaceUnit = typeof unitName === "string"
    ? ngffSpaceUnit(unitName)
    : undefined;
  if (spaceUnit === undefined) {
    throw argumentError(
      fn,
      "options.physicalUnit",
      unitName,
      'a length unit such as "µm", "nm", "mm" or an OME-NGFF unit name such as "micrometer"',
    );
  }
  const sizes = options.physicalSizes ?? {};
  if (typeof sizes !== "object" || sizes === null) {
    throw argumentError(
      fn,
      "options.physicalSizes",
      sizes,
      "an object such as { X: 0.5, Y: 0.5, Z: 2 }",
    );
  }
  const scale = letters.map((letter) => {
    const size = (sizes as Record<string, unknown>)[letter];
    if (size === undefined || letter === "C") return 1;
    if (typeof size !== "number" || !Number.isFinite(size) || size <= 0) {
      throw argumentError(
        fn,
        `options.physicalSizes.${letter}`,
        size,
        "a finite number > 0",
      );
    }
    return size;
  });
  return {
    axes: letters.map((letter) => {
      const { name, type } = AXIS_OF_LETTER[letter];
      if (type === "space") return { name, type, unit: spaceUnit };
      if (type === "time") return { name, type, unit: "second" };
      return { name, type };
    }),
    scale,
  };
}

/** The chunk shape: `chunkShape` checked against `shape`, or the default. */
export function chunkShapeOf(
  fn: string,
  chunkShape: unknown,
  shape: readonly number[],
  axes: readonly OmeZarrAxis[],
): number[] {
  if (chunkShape === undefined) {
    const firstSpace = axes.findIndex((axis) => axis.type === "space");
    const planar = axes.length - firstSpace === 3 ? firstSpace + 1 : firstSpace;
    return shape.map((n, i) => i < planar ? 1 : Math.max(1, Math.min(256, n)));
  }
  if (
    !Array.isArray(chunkShape) || chunkShape.length !== shape.length ||
    !chunkShape.every((n) => Number.isInteger(n) && n > 0)
  ) {
    throw argumentError(
      fn,
      "options.chunkShape",
      chunkShape,
      `${shape.length} integers > 0 (one per axis)`,
    );
  }
  return [...chunkShape];
}

/** Whether `path` exists. */
async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * Makes `path` ready for a new store: refuses an existing path unless
 * `overwrite` and it is a Zarr store (its zarr.json or .zgroup, or a level's
 * array metadata, as a write interrupted early leaves), which is removed.
 */
export async function prepareTarget(
  fn: string,
  path: string | URL,
  overwrite: unknown,
): Promise<string> {
  if (overwrite !== undefined && typeof overwrite !== "boolean") {
    throw argumentError(fn, "options.overwrite", overwrite, "a boolean");
  }
  const target = filePath(path);
  if (!(await exists(target))) return target;
  if (!overwrite) {
    throw new Error(
      `${fn}: ${target}: already exists; pass { overwrite: true } to replace a Zarr store`,
    );
  }
  const markers = ["zarr.json", ".zgroup", "0/zarr.json", "0/.zarray"];
  let store = false;
  for (const marker of markers) {
    if (await exists(`${target}/${marker}`)) store = true;
  }
  if (!store) {
    for await (const entry of Deno.readDir(target)) {
      if (entry.isDirectory && await exists(`${target}/${entry.name}/0`)) {
        store = true;
      }
    }
  }
  if (!store) {
    throw new Error(
      `${fn}: ${target}: exists and is not a Zarr store; not replaced`,
    );
  }
  // Metadata first: from here on no reader takes the old store for complete.
  for (const marker of ["zarr.json", ".zattrs", ".zgroup"]) {
    await Deno.remove(`${target}/${marker}`).catch(() => {});
  }
  await Deno.remove(target, { recursive: true });
  return target;
}
