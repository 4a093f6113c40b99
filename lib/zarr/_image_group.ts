/**
 * Writes one OME-Zarr image group (one multiscale, one level "0") through
 * zarrita: the level's array metadata and chunks first, the group's metadata
 * (which makes the image visible) last, so that an interrupted write leaves a
 * group that readers refuse. Shared by `writeOmeZarr` and
 * `writeOmeZarrArrays`.
 *
 * @module
 */

import { loadZarrita } from "../deps.ts";
import { contiguousStrides, type NumericNdArray } from "../array/_strided.ts";
import type { DType } from "../array/types.ts";
import type { FileStore, StoreKey } from "./_file_store.ts";
import type { OmeZarrAxis, OmeZarrVersion } from "./_ngff.ts";

/** What one image group holds. */
export interface ImageGroup {
  /** C-contiguous values (a flat typed array of `dtype`), shape `shape`. */
  data: NumericNdArray["data"];
  shape: number[];
  dtype: DType;
  axes: OmeZarrAxis[];
  /** One scale per axis. */
  scale: number[];
  chunkShape: number[];
  version: OmeZarrVersion;
  name?: string;
  /** Attributes beside the OME metadata (e.g. stria's own). */
  extra?: Record<string, unknown>;
}

/** Zarr v2 dtype strings (little-endian). */
const V2_DTYPE: Readonly<Record<DType, string>> = {
  uint8: "|u1",
  uint16: "<u2",
  uint32: "<u4",
  int8: "|i1",
  int16: "<i2",
  int32: "<i4",
  float32: "<f4",
  float64: "<f8",
};

const encoder = new TextEncoder();

/** JSON bytes of a metadata document. */
function json(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value, null, 2) + "\n");
}

/** `group` and `name` joined as a store key. */
function keyOf(group: string, name: string): StoreKey {
  return `/${[group, name].filter((part) => part !== "").join("/")}`;
}

/** The group's `multiscales` list, as the version writes it. */
export function multiscalesOf(image: ImageGroup): unknown[] {
  return [{
    ...(image.version === "0.4" ? { version: "0.4" } : {}),
    ...(image.name === undefined ? {} : { name: image.name }),
    axes: image.axes,
    datasets: [{
      path: "0",
      coordinateTransformations: [{ type: "scale", scale: image.scale }],
    }],
  }];
}

/**
 * Writes the level's array (metadata, then chunks through zarrita) into
 * `group` of `store`; the group's own metadata is left to
 * {@linkcode writeGroupMetadata}.
 */
export async function writeLevel(
  store: FileStore,
  group: string,
  image: ImageGroup,
): Promise<void> {
  const zarr = await loadZarrita();
  const location = zarr.root(store).resolve(keyOf(group, "0"));
  let array;
  if (image.version === "0.5") {
    array = await zarr.create(location, {
      shape: image.shape,
      chunkShape: image.chunkShape,
      dtype: image.dtype,
      codecs: [{ name: "bytes", configuration: { endian: "little" } }],
      fillValue: 0,
      dimensionNames: image.axes.map((axis) => axis.name),
    });
  } else {
    await store.set(
      keyOf(group, "0/.zarray"),
      json({
        zarr_format: 2,
        shape: image.shape,
        chunks: image.chunkShape,
        dtype: V2_DTYPE[image.dtype],
        compressor: null,
        fill_value: 0,
        order: "C",
        filters: null,
        dimension_separator: "/",
      }),
    );
    array = await zarr.open.v2(location, { kind: "array", attrs: false });
  }
  try {
    await zarr.set(
      array as Parameters<typeof zarr.set>[0],
      null,
      {
        data: image.data,
        shape: image.shape,
        stride: contiguousStrides(image.shape),
      } as Parameters<typeof zarr.set>[2],
    );
  } catch (error) {
    // zarrita gives up at the first failed chunk: wait for the others.
    await store.settle();
    throw error;
  }
}

/**
 * Writes `group`'s metadata with `attributes`: zarr.json (0.5, OME metadata
 * under "ome"), or .zattrs then .zgroup (0.4). Written last, it is what makes
 * the group a readable image.
 */
export async function writeGroupMetadata(
  store: FileStore,
  group: string,
  version: OmeZarrVersion,
  ome: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Promise<void> {
  if (version === "0.5") {
    await store.set(
      keyOf(group, "zarr.json"),
      json({
        zarr_format: 3,
        node_type: "group",
        attributes: { ome: { version: "0.5", ...ome }, ...extra },
      }),
    );
    return;
  }
  // .zgroup last: without it the folder is no Zarr group to a reader.
  await store.set(keyOf(group, ".zattrs"), json({ ...ome, ...extra }));
  await store.set(keyOf(group, ".zgroup"), json({ zarr_format: 2 }));
}

/** Writes one image group: its level, then its metadata. */
export async function writeImageGroup(
  store: FileStore,
  group: string,
  image: ImageGroup,
): Promise<void> {
  await writeLevel(store, group, image);
  await writeGroupMetadata(
    store,
    group,
    image.version,
    { multiscales: multiscalesOf(image) },
    image.extra,
  );
}
