/**
 * An OME-Zarr store (NGFF 0.5) of named arrays on one voxel grid, written
 * block by block by independent tasks: the layout of `writeOmeZarrArrays`
 * (one image per array, the root listing them under `stria.arrays`), with
 * chunks aligned to the blocks (along Z, and along Y and X for tiles) so
 * that no two blocks share a chunk file. The metadata is derived from the analysis alone, so every task
 * writes the same bytes: the first task(s) to arrive write it, each file
 * atomically and the root group last; a later task only checks it. Each
 * block's chunks are written atomically, then its done marker; `finalize`
 * marks the store complete (see `_block_completion.ts`).
 *
 * @module
 */

import { join } from "node:path";
import { writeFileAtomic } from "../_atomic_write.ts";
import { loadZarrita } from "../deps.ts";
import type { DType, NumericArray } from "../array/types.ts";
import { FileStore } from "./_file_store.ts";
import {
  type ImageGroup,
  multiscalesOf,
  writeGroupMetadata,
} from "./_image_group.ts";
import { axesOf, type OmeZarrWriteOptions } from "./_write_checks.ts";
import {
  type BlockLayout,
  blockLayoutOf,
  blockRegion,
  groupAttributes,
  incompleteError,
  isBlockDone,
  markerPath,
  missingBlocks,
} from "./_block_completion.ts";

type Json = Record<string, unknown>;

/** The longest chunk side along Y and X. */
export const MAX_CHUNK_SIDE = 256;

/** One array of a block store: `[...lead, Z, Y, X]`, the lead flattened into channels. */
export interface BlockArray {
  name: string;
  /** The array's shape as the analysis gives it (stored as `stria.shape`). */
  shape: number[];
  dtype: DType;
}

/** What a block store holds; every task of one analysis derives the same. */
export interface BlockStoreLayout {
  arrays: BlockArray[];
  /** Planes per chunk along Z; every block boundary is a multiple of it. */
  chunkPlanes: number;
  blocks: BlockLayout;
  /** The voxel size (X, Y, Z) and unit of the space axes. */
  physicalSizes: OmeZarrWriteOptions["physicalSizes"];
  physicalUnit?: string;
  /** What was computed, from what (recorded, and compared by later tasks). */
  analysis: Json;
}

/** Values of one array for a region of the volume: `[lead, planes, rows, columns]` with the given strides. */
export interface BlockValues {
  data: NumericArray;
  shape: number[];
  stride: number[];
}

/** A block store opened by one task. */
export interface BlockStore {
  /** Whether block `block`'s done marker exists. */
  isDone(block: number): Promise<boolean>;
  /**
   * Writes the chunks of every array's region whose first voxel is `start`
   * (plane, row, column; chunk-aligned), its size the values' shape.
   */
  writeRegion(
    start: readonly [number, number, number],
    values: Record<string, BlockValues>,
  ): Promise<void>;
  /** Writes block `block`'s done marker, atomically. */
  markDone(block: number): Promise<void>;
}

const encoder = new TextEncoder();

/** The root group's `stria` attributes of a layout (without `complete`). */
function rootStria(layout: BlockStoreLayout): Json {
  return {
    arrays: Object.fromEntries(layout.arrays.map((a) => [a.name, a.shape])),
    blocks: layout.blocks,
    chunkPlanes: layout.chunkPlanes,
    analysis: layout.analysis,
  };
}

/**
 * An array's stored shape and chunk shape: the lead flattened into one
 * channel axis; chunks of `chunkPlanes` planes and of at most
 * {@linkcode MAX_CHUNK_SIDE} rows and columns, the tile's sides when
 * smaller.
 */
function storedShape(
  array: BlockArray,
  layout: BlockStoreLayout,
): { shape: number[]; chunkShape: number[]; letters: string } {
  const space = array.shape.slice(-3);
  const lead = array.shape.slice(0, -3);
  const [, height, width] = space;
  const [rows, columns] = layout.blocks.tile ?? [height, width];
  const chunk = [
    layout.chunkPlanes,
    Math.min(MAX_CHUNK_SIDE, rows),
    Math.min(MAX_CHUNK_SIDE, columns),
  ];
  return lead.length === 0
    ? { shape: space, chunkShape: chunk, letters: "ZYX" }
    : {
      shape: [lead.reduce((a, b) => a * b, 1), ...space],
      chunkShape: [1, ...chunk],
      letters: "CZYX",
    };
}

/** Writes every image's metadata, then the root group's (which makes the store a block store). */
async function createMetadata(
  fn: string,
  store: FileStore,
  layout: BlockStoreLayout,
): Promise<void> {
  const zarr = await loadZarrita();
  for (const array of layout.arrays) {
    const { shape, chunkShape, letters } = storedShape(array, layout);
    const { axes, scale } = axesOf(fn, letters, layout);
    await zarr.create(zarr.root(store).resolve(`/${array.name}/0`), {
      shape,
      chunkShape,
      dtype: array.dtype,
      codecs: [{ name: "bytes", configuration: { endian: "little" } }],
      fillValue: 0,
      dimensionNames: axes.map((axis) => axis.name),
    });
    await writeGroupMetadata(store, array.name, "0.5", {
      // multiscalesOf reads only the axes, scale, version and name.
      multiscales: multiscalesOf({
        axes,
        scale,
        version: "0.5",
        name: array.name,
      } as ImageGroup),
    }, { stria: { shape: array.shape, blockStore: ".." } });
  }
  await writeGroupMetadata(store, "", "0.5", {}, {
    stria: rootStria(layout),
  });
}

/**
 * Opens the block store at `path` for one task: creates its metadata when
 * the root group is missing, else checks that the stored layout is this
 * one's (the same analysis of the same input), refusing another.
 */
export async function openBlockStore(
  fn: string,
  path: string,
  layout: BlockStoreLayout,
): Promise<BlockStore> {
  const store = new FileStore(fn, path);
  let attributes = await groupAttributes(fn, path);
  if (attributes === undefined) {
    await checkNewTarget(fn, path, layout);
    await createMetadata(fn, store, layout);
    // A concurrent first task of another analysis may have written last.
    attributes = await groupAttributes(fn, path);
  } else if (blockLayoutOf(attributes) === undefined) {
    throw new Error(
      `${fn}: ${path}: exists and is not a stria store (a Zarr group without stria.blocks, e.g. an image); choose a new output path`,
    );
  }
  const { complete: _, ...stored } = (attributes?.stria ?? {}) as Json;
  const expected = rootStria(layout);
  if (JSON.stringify(stored) !== JSON.stringify(expected)) {
    throw new Error(
      `${fn}: ${path}: holds another analysis (its stria attributes differ from this one's: ${
        differingKeys(stored, expected).join(", ")
      }); use a new output path`,
    );
  }
  const zarr = await loadZarrita();
  const opened = new Map<string, Parameters<typeof zarr.set>[0]>();
  const arrayOf = async (name: string) => {
    let array = opened.get(name);
    if (array === undefined) {
      array = await zarr.open.v3(zarr.root(store).resolve(`/${name}/0`), {
        kind: "array",
      }) as Parameters<typeof zarr.set>[0];
      opened.set(name, array);
    }
    return array;
  };
  return {
    isDone: (block) => isBlockDone(path, block),
    async writeRegion(start, values) {
      for (const array of layout.arrays) {
        const value = values[array.name];
        const space = value.shape.length - 3;
        const selection = value.shape.map((size, axis) =>
          axis < space
            ? null
            : zarr.slice(start[axis - space], start[axis - space] + size)
        );
        try {
          await zarr.set(
            await arrayOf(array.name),
            selection,
            value as Parameters<typeof zarr.set>[2],
          );
        } catch (error) {
          // zarrita gives up at the first failed chunk: wait for the others.
          await store.settle();
          throw error;
        }
      }
    },
    async markDone(block) {
      const [, height, width] = layout.arrays[0].shape.slice(-3);
      const region = blockRegion(layout.blocks, block, [height, width]);
      await writeFileAtomic(
        fn,
        markerPath(path, block),
        encoder.encode(JSON.stringify({ block, ...region }) + "\n"),
        { createFolder: true },
      );
    },
  };
}

/**
 * Refuses an existing `path` holding anything but what an interrupted or a
 * concurrent first task leaves: the arrays' folders, the markers' folder,
 * the root zarr.json and its temporary files.
 */
async function checkNewTarget(
  fn: string,
  path: string,
  layout: BlockStoreLayout,
): Promise<void> {
  const own = new Set([
    ".stria",
    "zarr.json",
    ...layout.arrays.map((a) => a.name),
  ]);
  try {
    for await (const entry of Deno.readDir(path)) {
      if (!own.has(entry.name) && !entry.name.startsWith(".zarr.json.")) {
        throw new Error(
          `${fn}: ${path}: exists and is not a stria store (it holds ${entry.name}); choose a new output path`,
        );
      }
    }
  } catch (error) {
    // A file at `path` was refused by groupAttributes before this check.
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
}

/** The top-level keys whose values differ between two attribute objects. */
function differingKeys(a: Json, b: Json): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

/**
 * Marks the block store at `path` complete (`stria.complete` in the root
 * group's attributes, written atomically) once every block's marker is
 * there; returns the block count. Throws, naming the missing blocks, when
 * some are not done, and when `path` is no block store.
 */
export async function finalizeBlockStore(
  fn: string,
  path: string,
): Promise<number> {
  const file = join(path, "zarr.json");
  const attributes = await groupAttributes(fn, path);
  const layout = blockLayoutOf(attributes);
  if (layout === undefined) {
    throw new Error(
      attributes === undefined
        ? `${fn}: ${path}: no stria store here (no zarr.json); run stria analyze first`
        : `${fn}: ${file}: not a store written by stria analyze (no stria.blocks)`,
    );
  }
  const missing = await missingBlocks(path, layout.count);
  if (missing.length > 0) {
    throw incompleteError(fn, path, missing, layout.count);
  }
  const stria = attributes!.stria as Json;
  if (stria.complete !== true) {
    const group = JSON.parse(await Deno.readTextFile(file));
    group.attributes.stria = { ...stria, complete: true };
    await writeFileAtomic(
      fn,
      file,
      encoder.encode(JSON.stringify(group, null, 2) + "\n"),
    );
  }
  return layout.count;
}
