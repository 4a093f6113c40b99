/**
 * What `stria info` reports of a file, read from its metadata alone (never
 * its pixels): a TIFF's pages and description, an OME-Zarr image's group and
 * array metadata, or every image of a store `stria analyze` wrote.
 *
 * @module
 */

import { join } from "node:path";
import type { DType } from "../array/types.ts";
import { fileSource } from "../io/_byte_source.ts";
import { fileLayout, physicalSizesOf } from "../io/_tiff_axes.ts";
import { readTiffPages } from "../io/_tiff_page_layout.ts";
import { blockLayoutOf, groupAttributes } from "../zarr/_block_completion.ts";
import { openImage } from "../zarr/_open_image.ts";

/** The voxel size by axis letter, where the file gives it. */
export type VoxelSize = Partial<Record<"X" | "Y" | "Z" | "T", number>>;

/** One image: what `stria info` prints. */
export interface ImageInfo {
  /** "TIFF", "ImageJ TIFF", "OME-TIFF", "OME-Zarr 0.4" or "OME-Zarr 0.5". */
  format: string;
  /** Axis letters, outermost first (T, Z, C, Y, X, S, Q). */
  axes: string;
  shape: number[];
  dtype: DType;
  physicalSizes: VoxelSize;
  physicalUnit?: string;
  /** The size of the C axis, 1 without one. */
  channels: number;
  channelNames?: string[];
  /** OME-Zarr: the level's chunk shape. */
  chunkShape?: number[];
}

/** A store of named images written by `stria analyze` (or `writeOmeZarrArrays`). */
export interface StoreInfo {
  format: "OME-Zarr arrays";
  /** Each image by name. */
  arrays: Record<string, ImageInfo>;
  /** Block stores: how many blocks, all done and finalized (else info refuses it). */
  blocks?: number;
  /** What stria analyze computed, as recorded in the store. */
  analysis?: Record<string, unknown>;
}

/** What `stria info` reports about `path`. */
export async function imageInfo(path: string): Promise<ImageInfo | StoreInfo> {
  const stat = await Deno.stat(path);
  return stat.isDirectory ? await zarrInfo(path) : await tiffInfo(path);
}

/** A TIFF's layout, voxel size and channels, from its directories. */
async function tiffInfo(path: string): Promise<ImageInfo> {
  const fail = (message: string) => new Error(`info: ${path}: ${message}`);
  const file = await Deno.open(path, { read: true });
  try {
    const source = fileSource(file, (await file.stat()).size, fail);
    const { pages, layouts } = await readTiffPages(source, fail);
    const layout = fileLayout(pages, layouts, fail);
    const { physicalSizes, physicalUnit } = physicalSizesOf(pages[0], layout);
    const at = layout.axes.indexOf("C");
    const info: ImageInfo = {
      format: layout.ome ? "OME-TIFF" : layout.imagej ? "ImageJ TIFF" : "TIFF",
      axes: layout.axes,
      shape: layout.shape,
      dtype: layouts[0].dtype,
      physicalSizes,
      channels: at < 0 ? 1 : layout.shape[at],
    };
    if (physicalUnit !== undefined) info.physicalUnit = physicalUnit;
    if (layout.ome?.channelNames.some((name) => name !== "")) {
      info.channelNames = layout.ome.channelNames;
    }
    return info;
  } finally {
    file.close();
  }
}

/** An OME-Zarr image's metadata (level 0), or every image of a store of arrays. */
async function zarrInfo(path: string): Promise<ImageInfo | StoreInfo> {
  const attributes = await groupAttributes("info", path);
  const stria = attributes?.stria as Record<string, unknown> | undefined;
  const listed = stria?.arrays;
  if (typeof listed !== "object" || listed === null) {
    return await zarrImageInfo(path);
  }
  // Each image's open refuses an incomplete store, naming its missing blocks.
  const arrays: Record<string, ImageInfo> = {};
  for (const name of Object.keys(listed)) {
    arrays[name] = await zarrImageInfo(join(path, name));
  }
  const info: StoreInfo = { format: "OME-Zarr arrays", arrays };
  const blocks = blockLayoutOf(attributes);
  if (blocks !== undefined) info.blocks = blocks.count;
  if (typeof stria?.analysis === "object") {
    info.analysis = stria.analysis as Record<string, unknown>;
  }
  return info;
}

/** One OME-Zarr image's axes, shape, type, voxel size and channels. */
async function zarrImageInfo(path: string): Promise<ImageInfo> {
  const { axes, shape, metadata } = await openImage("info", path, 0);
  const at = axes.indexOf("C");
  const info: ImageInfo = {
    format: `OME-Zarr ${metadata.version}`,
    axes,
    shape,
    dtype: metadata.dtype,
    physicalSizes: metadata.physicalSizes,
    channels: at < 0 ? 1 : shape[at],
    chunkShape: metadata.chunkShape,
  };
  if (metadata.physicalUnit !== undefined) {
    info.physicalUnit = metadata.physicalUnit;
  }
  return info;
}

/** The voxel size as text: `Z 2 µm, Y 0.5 µm, X 0.5 µm`, or "not given". */
export function voxelSizeText(
  physicalSizes: VoxelSize,
  physicalUnit: string | undefined,
): string {
  const parts = (["T", "Z", "Y", "X"] as const)
    .filter((letter) => physicalSizes[letter] !== undefined)
    .map((letter) =>
      `${letter} ${physicalSizes[letter]} ${
        letter === "T" ? "s" : physicalUnit ?? "(no unit)"
      }`
    );
  return parts.length === 0 ? "not given" : parts.join(", ");
}

/** The lines `stria info` prints for one image, each `label  value`. */
export function imageLines(info: ImageInfo): string[] {
  const lines = [
    `format    ${info.format}`,
    `axes      ${info.axes}`,
    `shape     ${info.shape.join(" x ")}`,
    `dtype     ${info.dtype}`,
    `voxel     ${voxelSizeText(info.physicalSizes, info.physicalUnit)}`,
    `channels  ${info.channels}${
      info.channelNames ? ` (${info.channelNames.join(", ")})` : ""
    }`,
  ];
  if (info.chunkShape) lines.push(`chunks    ${info.chunkShape.join(" x ")}`);
  return lines;
}
