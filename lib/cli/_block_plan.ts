/**
 * How `stria analyze` cuts a volume into blocks: output chunks of
 * `chunkPlanes` planes along Z (and, with tiles, of at most 256 rows and
 * columns that tile the tiles), and blocks (one per task) of whole chunks:
 * slabs of consecutive chunks of planes, each cut into the tiles of a plane
 * when `tile` is given, so that no two tasks ever write the same chunk file.
 *
 * @module
 */

import type { BlockLayout } from "../zarr/_block_completion.ts";
import { MAX_CHUNK_SIDE } from "../zarr/_block_store.ts";
import { UsageError } from "./_command.ts";

/** The planes per chunk and the blocks. */
export interface BlockPlan {
  /** Planes per output chunk along Z, and per step of computation. */
  chunkPlanes: number;
  blocks: BlockLayout;
}

/** Default planes per chunk: small enough to bound memory, large enough that halos cost little. */
const DEFAULT_CHUNK_PLANES = 16;

/**
 * The plan for a volume of `[planes, height, width]`: chunks of
 * `blockPlanes` planes (default 16, and with `tasks` at most
 * `planes / slabs` so that every slab has one); blocks of the tiles of
 * `tile` rows × columns (absent: whole planes) over slabs of consecutive
 * chunks as even as whole chunks allow; `tasks` blocks in all, a multiple
 * of the tiles of a plane (default: one slab per chunk).
 */
export function planBlocks(
  [planes, height, width]: readonly [number, number, number],
  tasks: number | undefined,
  blockPlanes: number | undefined,
  tile?: readonly [number, number],
): BlockPlan {
  const sides = tile && checkTile(tile, height, width);
  const tiles = sides
    ? Math.ceil(height / sides[0]) * Math.ceil(width / sides[1])
    : 1;
  if (tasks !== undefined && tasks % tiles !== 0) {
    throw new UsageError(
      `analyze: --tasks ${tasks} is not a multiple of the ${tiles} tiles of a ${height} × ${width} plane (--tile ${
        tile!.join(",")
      }); use --tasks ${tiles * Math.max(1, Math.round(tasks / tiles))}`,
    );
  }
  const slabs = tasks === undefined ? undefined : tasks / tiles;
  if (slabs !== undefined && slabs > planes) {
    throw new UsageError(
      tiles === 1
        ? `analyze: --tasks ${tasks} is more than the ${planes} planes of the input`
        : `analyze: --tasks ${tasks} gives ${slabs} slabs of planes (${tiles} tiles each), more than the ${planes} planes of the input`,
    );
  }
  const chunkPlanes = Math.min(
    planes,
    blockPlanes ??
      Math.max(
        1,
        Math.min(DEFAULT_CHUNK_PLANES, Math.floor(planes / (slabs ?? 1))),
      ),
  );
  const chunks = Math.ceil(planes / chunkPlanes);
  const count = slabs ?? chunks;
  if (count > chunks) {
    throw new UsageError(
      `analyze: --tasks ${tasks} ${
        tiles === 1 ? "is" : `gives ${count} slabs of planes,`
      } more than the ${chunks} chunks of ${chunkPlanes} planes (--block-planes) in ${planes} planes; use --block-planes ${
        Math.floor(planes / count)
      } or fewer tasks`,
    );
  }
  const boundaries = Array.from(
    { length: count + 1 },
    (_, i) => Math.min(planes, Math.floor(i * chunks / count) * chunkPlanes),
  );
  return {
    chunkPlanes,
    blocks: {
      count: count * tiles,
      planes: boundaries,
      ...(sides ? { tile: sides } : {}),
    },
  };
}

/** `tile` clipped to a plane of `height` × `width`: the tile `stria.blocks` records. */
export function clipTile(
  tile: readonly [number, number],
  height: number,
  width: number,
): [number, number] {
  return [Math.min(tile[0], height), Math.min(tile[1], width)];
}

/**
 * `tile` clipped to the plane, each side at most `MAX_CHUNK_SIDE`, a
 * multiple of it or the plane's, so that tiles are made of whole chunks.
 */
function checkTile(
  tile: readonly [number, number],
  height: number,
  width: number,
): [number, number] {
  const sides = clipTile(tile, height, width);
  for (const [axis, side] of sides.entries()) {
    if (
      side > MAX_CHUNK_SIDE && side % MAX_CHUNK_SIDE !== 0 &&
      side !== [height, width][axis]
    ) {
      throw new UsageError(
        `analyze: --tile ${
          tile.join(",")
        }: each side must be at most ${MAX_CHUNK_SIDE}, a multiple of ${MAX_CHUNK_SIDE} (whole chunks) or the plane's, got ${side}`,
      );
    }
  }
  return sides;
}
