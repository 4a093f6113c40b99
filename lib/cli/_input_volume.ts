/**
 * Opens `stria analyze`'s input for reading planes: a folder as an OME-Zarr
 * image (`openOmeZarrPlanes`), a file as a TIFF or OME-TIFF
 * (`openTiffPlanes`); one channel, never the whole volume.
 *
 * @module
 */

import { openTiffPlanes, type PlaneSource } from "../io/tiff_plane_reader.ts";
import { openOmeZarrPlanes } from "../zarr/ome_zarr_plane_reader.ts";
import { UsageError } from "./_command.ts";

/** A plane reader of the input and how to release it. */
export interface InputVolume extends PlaneSource {
  /** "tiff" or "ome-zarr". */
  readonly format: "tiff" | "ome-zarr";
  close(): void;
}

/**
 * Opens channel `channel` of `path`; a missing or unreadable input is a
 * {@linkcode UsageError} (exit 2) naming it.
 */
export async function openInputVolume(
  path: string,
  channel: number,
): Promise<InputVolume> {
  try {
    if ((await Deno.stat(path)).isDirectory) {
      const reader = await openOmeZarrPlanes(path, { channel });
      return { ...reader, format: "ome-zarr", close() {} };
    }
    const reader = await openTiffPlanes(path, { channel });
    return { ...reader, format: "tiff" };
  } catch (error) {
    throw new UsageError(
      error instanceof Deno.errors.NotFound
        ? `analyze: ${path}: no such file`
        : `analyze: ${(error as Error).message}`,
    );
  }
}
