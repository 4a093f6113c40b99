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
import { imageInfo } from "./_image_info.ts";

/** A plane reader of the input and how to release it. */
export interface InputVolume extends PlaneSource {
  close(): void;
}

/**
 * Opens channel `channel` of `path`; a missing or unreadable input, and one
 * of several time points, is a {@linkcode UsageError} (exit 2) naming it.
 */
export async function openInputVolume(
  path: string,
  channel: number,
): Promise<InputVolume> {
  let reader: InputVolume;
  try {
    if ((await Deno.stat(path)).isDirectory) {
      reader = { ...await openOmeZarrPlanes(path, { channel }), close() {} };
    } else {
      reader = await openTiffPlanes(path, { channel });
    }
  } catch (error) {
    throw new UsageError(
      error instanceof Deno.errors.NotFound
        ? `analyze: ${path}: no such file`
        : `analyze: ${(error as Error).message}`,
    );
  }
  // The plane readers take every axis but C (and an OME-Zarr's T) as
  // planes: a time series would be analysed as one volume whose frames are
  // neighbouring slices, or as its first frame only.
  let info;
  try {
    info = await imageInfo(path);
  } catch (error) {
    reader.close();
    throw new UsageError(`analyze: ${(error as Error).message}`);
  }
  // A stria store (no axes of its own) is refused by the reader above.
  const axes = "axes" in info ? info.axes : "";
  const at = axes.indexOf("T");
  const times = at < 0 ? 1 : (info as { shape: number[] }).shape[at];
  if (times > 1) {
    reader.close();
    throw new UsageError(
      `analyze: ${path}: has ${times} time points (axes ${axes}); analyze takes one volume (Z, Y, X): write one time point to its own file`,
    );
  }
  return reader;
}
