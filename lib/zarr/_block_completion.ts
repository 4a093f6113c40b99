/**
 * Completion of a store written block by block (`stria analyze --tasks N
 * --task I`): one done marker per block, written atomically after the
 * block's chunks, and `stria.complete` in the root group's attributes,
 * written once every marker is there. The readers refuse a block store that
 * is not complete, naming the missing blocks; stores without `stria.blocks`
 * are not block stores and are read as before.
 *
 * @module
 */

import { join } from "node:path";

type Json = Record<string, unknown>;

/** The block layout a block store's root records as `stria.blocks`. */
export interface BlockLayout {
  /** How many blocks (tasks): slabs of planes, times the tiles of a plane. */
  count: number;
  /** The first plane of each slab, then the plane count: slab s is `planes[s] … planes[s + 1] - 1`. */
  planes: number[];
  /**
   * Rows and columns of a tile (the last ones in a row or column of tiles
   * may be smaller); absent: a block is a slab of whole planes.
   */
  tile?: [number, number];
}

/** What one block covers: planes, rows and columns, each `[first, end)`. */
export interface BlockRegion {
  planes: [number, number];
  rows: [number, number];
  columns: [number, number];
}

/**
 * The region of block `block` of `layout` in planes of `[height, width]`:
 * block `b` is tile `b mod T` (row-major) of slab `⌊b / T⌋`, `T` the tiles
 * of a plane.
 *
 * @example
 * ```ts
 * import { blockRegion } from "./_block_completion.ts";
 * const layout = { count: 8, planes: [0, 8, 16], tile: [32, 40] as [number, number] };
 * const { planes, rows, columns } = blockRegion(layout, 5, [64, 80]);
 * console.log(planes, rows, columns); // [8, 16] [0, 32] [40, 80]
 * ```
 */
export function blockRegion(
  layout: BlockLayout,
  block: number,
  [height, width]: readonly [number, number],
): BlockRegion {
  const [tileRows, tileColumns] = layout.tile ?? [height, width];
  const across = Math.ceil(width / tileColumns);
  const perSlab = Math.ceil(height / tileRows) * across;
  const slab = Math.floor(block / perSlab);
  const tile = block % perSlab;
  const y0 = Math.floor(tile / across) * tileRows;
  const x0 = (tile % across) * tileColumns;
  return {
    planes: [layout.planes[slab], layout.planes[slab + 1]],
    rows: [y0, Math.min(height, y0 + tileRows)],
    columns: [x0, Math.min(width, x0 + tileColumns)],
  };
}

/** The done marker of block `block` of the store at `root`. */
export function markerPath(root: string, block: number): string {
  return join(root, ".stria", "blocks", `${block}.done`);
}

/** Whether block `block`'s done marker exists. */
export async function isBlockDone(
  root: string,
  block: number,
): Promise<boolean> {
  try {
    await Deno.lstat(markerPath(root, block));
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** The blocks among `0 … count - 1` whose done marker is missing, in order. */
export async function missingBlocks(
  root: string,
  count: number,
): Promise<number[]> {
  const missing: number[] = [];
  for (let block = 0; block < count; block++) {
    if (!(await isBlockDone(root, block))) missing.push(block);
  }
  return missing;
}

/** The attributes of the group at `root` (zarr.json's, or .zattrs), or undefined when it has neither. */
export async function groupAttributes(
  fn: string,
  root: string,
): Promise<Json | undefined> {
  for (
    const [file, pick] of [
      ["zarr.json", (v: Json) => v.attributes],
      [".zattrs", (v: Json) => v],
    ] as const
  ) {
    let text;
    try {
      text = await Deno.readTextFile(join(root, file));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      if (error instanceof Deno.errors.NotADirectory) {
        throw new Error(
          `${fn}: ${root}: is a file, not a folder (a Zarr store is a folder)`,
        );
      }
      throw new Error(
        `${fn}: ${join(root, file)}: cannot be read (${
          (error as Error).message
        })`,
      );
    }
    try {
      return (pick(JSON.parse(text)) ?? {}) as Json;
    } catch {
      throw new Error(`${fn}: ${join(root, file)}: not valid JSON`);
    }
  }
  return undefined;
}

/** The error for a block store with blocks still to compute or not finalized. */
export function incompleteError(
  fn: string,
  root: string,
  missing: readonly number[],
  count: number,
): Error {
  if (missing.length === 0) {
    return new Error(
      `${fn}: ${root}: incomplete stria store: all ${count} blocks are done but the store is not finalized; run stria finalize ${root}`,
    );
  }
  return new Error(
    `${fn}: ${root}: incomplete stria store: ${missing.length} of ${count} blocks missing: ${
      missing.join(", ")
    }; run the remaining tasks, then stria finalize`,
  );
}

/** `stria.blocks` of a root group's attributes, when it is a block store's. */
export function blockLayoutOf(
  attributes: Json | undefined,
): BlockLayout | undefined {
  const blocks = (attributes?.stria as Json | undefined)?.blocks as
    | BlockLayout
    | undefined;
  return typeof blocks?.count === "number" ? blocks : undefined;
}

/**
 * Throws {@linkcode incompleteError} when the root group's `attributes`
 * (of the store at `root`) are a block store's not marked complete.
 */
export async function checkStoreComplete(
  fn: string,
  root: string,
  attributes: Json | undefined,
): Promise<void> {
  const layout = blockLayoutOf(attributes);
  if (layout === undefined) return;
  if ((attributes?.stria as Json).complete === true) return;
  throw incompleteError(
    fn,
    root,
    await missingBlocks(root, layout.count),
    layout.count,
  );
}

/**
 * For an image group of a block store (its `stria.blockStore` names the
 * store's root, relative to the group): refuses it unless the store is
 * complete. Other groups pass.
 */
export async function checkImageComplete(
  fn: string,
  imageRoot: string,
  stria: unknown,
): Promise<void> {
  const relative = (stria as Json | undefined)?.blockStore;
  if (typeof relative !== "string") return;
  const root = join(imageRoot, relative);
  const attributes = await groupAttributes(fn, root);
  if (blockLayoutOf(attributes) === undefined) {
    throw new Error(
      `${fn}: ${root}: incomplete stria store: its root group (written by the first task after the images' metadata) is missing; rerun a task, then stria finalize`,
    );
  }
  await checkStoreComplete(fn, root, attributes);
}
