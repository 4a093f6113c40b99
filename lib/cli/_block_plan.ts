/**
 * How `stria analyze` cuts a volume's planes into blocks: output chunks of
 * `chunkPlanes` planes along Z, and blocks (one per task) of whole chunks,
 * so that no two tasks ever write the same chunk file.
 *
 * @module
 */

import type { BlockLayout } from "../zarr/_block_completion.ts";
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
 * The plan for `planes` planes: chunks of `blockPlanes` planes (default 16,
 * and with `tasks` at most `planes / tasks` so that every task has one),
 * and `tasks` blocks of consecutive chunks as even as whole chunks allow
 * (default one block per chunk).
 */
export function planBlocks(
  planes: number,
  tasks: number | undefined,
  blockPlanes: number | undefined,
): BlockPlan {
  if (tasks !== undefined && tasks > planes) {
    throw new UsageError(
      `analyze: --tasks ${tasks} is more than the ${planes} planes of the input`,
    );
  }
  const chunkPlanes = Math.min(
    planes,
    blockPlanes ??
      Math.max(
        1,
        Math.min(DEFAULT_CHUNK_PLANES, Math.floor(planes / (tasks ?? 1))),
      ),
  );
  const chunks = Math.ceil(planes / chunkPlanes);
  const count = tasks ?? chunks;
  if (count > chunks) {
    throw new UsageError(
      `analyze: --tasks ${count} is more than the ${chunks} chunks of ${chunkPlanes} planes (--block-planes) in ${planes} planes; use --block-planes ${
        Math.floor(planes / count)
      } or fewer tasks`,
    );
  }
  const boundaries = Array.from(
    { length: count + 1 },
    (_, i) => Math.min(planes, Math.floor(i * chunks / count) * chunkPlanes),
  );
  return { chunkPlanes, blocks: { count, planes: boundaries } };
}
