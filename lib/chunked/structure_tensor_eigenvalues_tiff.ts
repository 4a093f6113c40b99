/**
 * Structure-tensor eigenvalues of a multi-page TIFF larger than memory,
 * block of planes by block of planes, written to a TIFF as they are computed.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import { checkArgumentCount } from "../_options_object.ts";
import type { NumericArray } from "../array/types.ts";
import { checkTensorOptions, TENSOR_TRUNCATE } from "../feature/_options.ts";
import { gaussianRadius } from "../filters/_gaussian.ts";
import { blockEigenvaluesAsync } from "../feature/_tensor_3d.ts";
import { resolveThreads } from "../parallel/_threads.ts";
import {
  openTiffPlanes,
  type TiffPlaneReader,
} from "../io/tiff_plane_reader.ts";
import { createTiffPageWriter } from "../io/tiff_page_writer.ts";
import type { TensorWindowOptions } from "../feature/tensor_window_options.ts";

const FN = "structureTensorEigenvaluesTiff";
/** The OME channel names of the eigenvalues, largest first. */
const EIGENVALUE_NAMES = ["eigenvalue 0", "eigenvalue 1", "eigenvalue 2"];

/** Options of {@linkcode structureTensorEigenvaluesTiff}. */
export interface StructureTensorEigenvaluesTiffOptions
  extends TensorWindowOptions {
  /** Output planes computed per block (default 16). */
  blockPlanes?: number;
  /**
   * `"float64"` (default): float64 pages. `"float32"`: float32 storage as in
   * `structureTensorEigenvaluesOfImage`. Both are written as ImageJ
   * hyperstacks, or OME-TIFFs with `ome` (see `createTiffPageWriter`).
   */
  precision?: "float64" | "float32";
  /**
   * Write the eigenvalues as an OME-TIFF (default false: an ImageJ
   * hyperstack): DimensionOrder XYCZT, the 3 channels named "eigenvalue 0",
   * "eigenvalue 1", "eigenvalue 2" (largest first), the input's voxel size
   * as PhysicalSizeX/Y/Z. The input's unit must then be one of OME's (µm,
   * nm, pm, Å, mm, cm, m; an OME-TIFF input's always is).
   */
  ome?: boolean;
  /**
   * Worker threads per block, as in `structureTensorEigenvaluesOfImageAsync`:
   * default the number of logical cores (at most 8), or 1 for blocks under
   * 2^17 voxels. Every block reuses the same (shared) buffers, so memory
   * stays bounded whatever the number of threads and blocks.
   */
  threads?: number;
  /** The channel of an ImageJ hyperstack with several channels (see `openTiffPlanes`). */
  channel?: number;
}

/**
 * Computes `structureTensorEigenvaluesOfImage(volume, options)` of the planes of a
 * multi-page TIFF (one sample per pixel, uncompressed or deflate, zstd, LZW,
 * PackBits, strips or tiles; see `openTiffPlanes`) without ever holding the
 * volume, and writes the eigenvalues to `outputPath` as a TIFF with axes
 * ZCYX (C: the 3 eigenvalues, largest first), an ImageJ hyperstack or with
 * `ome` an OME-TIFF, which `readTiff` reads back as `[Z, 3, Y, X]`. The
 * output carries the input's voxel size and unit
 * (physical sizes X, Y, Z and unit, as `writeTiff` stores them), so
 * `readTiff` gives the same `metadata.physicalSizes` for both files.
 *
 * Blocks of `blockPlanes` output planes are computed one after the other,
 * on the process's worker threads (as `structureTensorEigenvaluesOfImageAsync`),
 * so the calling thread's event loop stays free while they compute.
 * Each block reads its planes plus a halo of `r + 1` planes on each side, `r
 * = trunc(4·sigma_z + 0.5)` the Gaussian radius along Z and 1 for the Sobel
 * derivative: exactly the input planes the whole-volume passes use for
 * those output planes (docs/scaling.md, "Beyond one machine's memory"). At
 * the volume's ends the halo is clipped so that the boundary mode applies
 * there exactly as on the whole volume; in `"wrap"` mode the halo is read
 * from the other end of the volume instead. So the result equals the
 * whole-volume `structureTensorEigenvaluesOfImage` bit for bit, whatever
 * `blockPlanes`.
 *
 * Memory bound, with `B = blockPlanes`, `h = r + 1` and a plane of `P`
 * voxels: the block read from the file (`(B + 2h)·P` values of its sample
 * type; a compressed file adds one strip or tile's stored and decompressed
 * bytes) and one shared copy of it (converted to float on the JavaScript
 * kernels only), `3·B·P` eigenvalues (8 bytes each in float64, 4 in
 * float32), one output page, and the per-thread windows of
 * `structureTensorEigenvaluesOfImage`; every block reuses the same shared
 * buffers, so the bound holds for any number of planes and threads.
 * Measured peak resident memory, 512 × 512 uint16 planes, sigma
 * (1, 1.5, 2.5), float64, 2 threads: 260 MB for `blockPlanes` 8 and 308 MB
 * for 16 (297 MB for 96 planes, 308 MB for 192); the whole-volume path takes
 * 1.56 GB for 192 planes. Only each block's own planes are computed; the
 * Sobel derivatives of its halo planes are recomputed by the neighbouring
 * block, which costs little. The
 * output is written to a temporary file in its folder and renamed at the
 * end; on any error it is removed and `outputPath` is left untouched.
 *
 * Needs `--allow-read` (input, output folder) and `--allow-write` (output folder).
 *
 * @param inputPath The input TIFF (path or `file:` URL).
 * @param outputPath Where to write the eigenvalues (its folder must exist).
 * @param options sigma, mode, cval, blockPlanes, precision, ome, threads, channel.
 *
 * @example Eigenvalues of a small stack, two planes at a time
 * ```ts
 * import { ndarray } from "../deps.ts";
 * import { readTiff } from "../io/read_tiff.ts";
 * import { writeTiff } from "../io/write_tiff.ts";
 * import { structureTensorEigenvaluesTiff } from "./structure_tensor_eigenvalues_tiff.ts";
 *
 * const folder = await Deno.makeTempDir();
 * const stack = ndarray(new Uint16Array(6 * 5 * 5), [6, 5, 5]);
 * stack.set(3, 2, 2, 100);
 * await writeTiff(`${folder}/in.tif`, stack, { axes: "ZYX" });
 * await structureTensorEigenvaluesTiff(`${folder}/in.tif`, `${folder}/eigen.tif`, {
 *   sigma: 0.5,
 *   blockPlanes: 2,
 * });
 * const { data, axes } = await readTiff(`${folder}/eigen.tif`);
 * console.log(axes, data.shape); // "ZCYX" [6, 3, 5, 5]
 * await Deno.remove(folder, { recursive: true });
 * ```
 */
export async function structureTensorEigenvaluesTiff(
  inputPath: string | URL,
  outputPath: string | URL,
  options: StructureTensorEigenvaluesTiffOptions = {},
): Promise<void> {
  checkArgumentCount(FN, arguments.length, [
    "inputPath",
    "outputPath",
    "options",
  ]);
  for (
    const [name, path] of [["inputPath", inputPath], [
      "outputPath",
      outputPath,
    ]] as const
  ) {
    const valid = (typeof path === "string" && path.length > 0) ||
      (path instanceof URL && path.protocol === "file:");
    if (!valid) {
      throw argumentError(
        FN,
        name,
        path instanceof URL ? path.href : path,
        "a file path or a file: URL",
      );
    }
  }
  const settings = checkTensorOptions(FN, options, 3, [
    "blockPlanes",
    "ome",
    "threads",
    "channel",
  ]);
  const { blockPlanes = 16, ome = false } = options;
  const { sigmas, mode, precision } = settings;
  if (!Number.isInteger(blockPlanes) || blockPlanes < 1) {
    throw argumentError(FN, "blockPlanes", blockPlanes, "an integer >= 1");
  }
  if (typeof ome !== "boolean") {
    throw argumentError(FN, "ome", ome, "true or false");
  }

  if (options.threads !== undefined) resolveThreads(FN, options.threads, 1);
  const channel = options.channel;
  if (channel !== undefined && (!Number.isInteger(channel) || channel < 0)) {
    throw argumentError(FN, "channel", channel, "an integer >= 0");
  }

  const reader = await openTiffPlanes(
    inputPath,
    channel === undefined ? {} : { channel },
  );
  try {
    const [planes, height, width] = reader.shape;
    const halo = gaussianRadius(sigmas[0], TENSOR_TRUNCATE) + 1;
    const outputPlanes = Math.min(blockPlanes, planes);
    const maxDepth = mode === "wrap"
      ? outputPlanes + 2 * halo
      : Math.min(planes, outputPlanes + 2 * halo);
    const eigenvaluesOf = blockEigenvaluesAsync({
      plane: [height, width],
      maxDepth,
      maxOutputPlanes: outputPlanes,
      dtype: reader.dtype,
      ...settings,
      threads: resolveThreads(FN, options.threads, maxDepth * height * width),
    });
    const { physicalSizes: { X, Y, Z }, physicalUnit } = reader;
    const writer = await createTiffPageWriter(outputPath, {
      height,
      width,
      dtype: precision,
      channels: 3,
      ome,
      // The channel names are kept in OME-TIFFs only.
      metadata: {
        physicalSizes: { X, Y, Z },
        physicalUnit,
        channelNames: EIGENVALUE_NAMES,
      },
    });
    try {
      const planeValues = height * width;
      for (let z0 = 0; z0 < planes; z0 += blockPlanes) {
        const z1 = Math.min(planes, z0 + blockPlanes);
        const from = mode === "wrap" ? z0 - halo : Math.max(0, z0 - halo);
        const to = mode === "wrap" ? z1 + halo : Math.min(planes, z1 + halo);
        const block = await readPlaneRange(reader, from, to);
        // Only the block's own planes are computed; the halo feeds their windows.
        const eigen = await eigenvaluesOf(
          block,
          to - from,
          z0 - from,
          z1 - from,
        );
        const count = z1 - z0;
        for (let z = 0; z < count; z++) {
          for (let rank = 0; rank < 3; rank++) {
            const at = (rank * count + z) * planeValues;
            await writer.writePage(eigen.subarray(at, at + planeValues));
          }
        }
      }
      // Every block computed: no worker writes the buffers any more.
      eigenvaluesOf.release();
      await writer.close();
    } catch (error) {
      await writer.abort();
      throw error;
    }
  } finally {
    reader.close();
  }
}

/**
 * Planes `from … to - 1` of the volume, indices taken modulo its depth
 * (periodic, as `"wrap"` mode pads), in one array.
 */
async function readPlaneRange(
  reader: TiffPlaneReader,
  from: number,
  to: number,
): Promise<NumericArray> {
  const [planes] = reader.shape;
  if (from >= 0 && to <= planes) {
    return (await reader.readPlanes(from, to - from)).data;
  }
  const parts: NumericArray[] = [];
  for (let z = from; z < to;) {
    const start = ((z % planes) + planes) % planes;
    const count = Math.min(planes - start, to - z);
    parts.push((await reader.readPlanes(start, count)).data);
    z += count;
  }
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const all = new (parts[0].constructor as new (n: number) => NumericArray)(
    total,
  );
  let at = 0;
  for (const part of parts) {
    all.set(part as unknown as ArrayLike<number>, at);
    at += part.length;
  }
  return all;
}
