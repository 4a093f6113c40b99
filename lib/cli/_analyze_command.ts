/**
 * `stria analyze INPUT OUTPUT [options]`: the structure-tensor analysis of a
 * TIFF, OME-TIFF or OME-Zarr volume into an OME-Zarr store, block by block;
 * with `--tasks N --task I`, block I only, so that N independent tasks (a
 * job array) fill the store, then `stria finalize` marks it complete.
 *
 * @module
 */

import { resolve } from "node:path";
import { releaseShared } from "../parallel/_shared_buffers.ts";
import { ngffSpaceUnit } from "../zarr/_ngff.ts";
import {
  type BlockStore,
  type BlockValues,
  finalizeBlockStore,
  openBlockStore,
} from "../zarr/_block_store.ts";
import {
  blockLayoutOf,
  type BlockRegion,
  blockRegion,
  groupAttributes,
  isBlockDone,
} from "../zarr/_block_completion.ts";
import {
  choiceValue,
  integerValue,
  listValue,
  nonNegativeValue,
  parseCommandLine,
  sigmaValue,
  tileValue,
} from "./_arguments.ts";
import { runCommand, USAGE, UsageError } from "./_command.ts";
import {
  analyzeRegion,
  arraysOf,
  type BlockAnalysis,
  haloOf,
  OUTPUT_NAMES,
  reserveStepBuffers,
} from "./_block_analysis.ts";
import { type BlockPlan, clipTile, planBlocks } from "./_block_plan.ts";
import { type InputVolume, openInputVolume } from "./_input_volume.ts";
import { progressBar } from "./_progress_bar.ts";

const FN = "analyze";

/** What an `analyze` command line asks for, checked. */
export interface AnalyzeRequest {
  input: string;
  output: string;
  tasks?: number;
  task?: number;
  channel: number;
  threads: number;
  blockPlanes?: number;
  tile?: [number, number];
  sigma: BlockAnalysis["sigma"];
  outputs: BlockAnalysis["outputs"];
  precision: BlockAnalysis["precision"];
  energy?: number;
}

/** `analyze`'s options (each takes a value); `stria slurm` passes them on to its tasks. */
export const ANALYZE_OPTIONS = [
  "sigma",
  "channel",
  "outputs",
  "precision",
  "energy",
  "threads",
  "block-planes",
  "tile",
  "tasks",
  "task",
] as const;

/** Parses and checks `args` (those after "analyze"); undefined for `--help`. */
export function parseAnalyze(
  args: readonly string[],
): AnalyzeRequest | undefined {
  const line = parseCommandLine(args, {
    command: FN,
    operands: ["INPUT", "OUTPUT"],
    strings: ANALYZE_OPTIONS,
    booleans: [],
  });
  if (line.help) return undefined;
  const s = line.strings;
  const int = (name: keyof typeof s, min: number) =>
    s[name] === undefined ? undefined : integerValue(name, s[name], min);
  const tasks = int("tasks", 1);
  const task = int("task", 0);
  if (task !== undefined && tasks === undefined) {
    throw new UsageError(`${FN}: --task needs --tasks`);
  }
  if (task !== undefined && task >= tasks!) {
    throw new UsageError(
      `${FN}: --task ${task} is not a block of --tasks ${tasks} (0 … ${
        tasks! - 1
      })`,
    );
  }
  return {
    input: line.operands.INPUT,
    output: line.operands.OUTPUT,
    ...(tasks === undefined ? {} : { tasks }),
    ...(task === undefined ? {} : { task }),
    channel: int("channel", 0) ?? 0,
    // One thread by default: tasks are the parallelism.
    threads: int("threads", 1) ?? 1,
    ...(s["block-planes"] === undefined
      ? {}
      : { blockPlanes: int("block-planes", 1) }),
    ...(s.tile === undefined ? {} : { tile: tileValue(s.tile) }),
    sigma: s.sigma === undefined ? 1 : sigmaValue(s.sigma),
    outputs: s.outputs === undefined
      ? ["eigenvalues", "vectors", "fa"]
      : listValue("outputs", s.outputs, OUTPUT_NAMES),
    precision: s.precision === undefined
      ? "float64"
      : choiceValue("precision", s.precision, ["float64", "float32"] as const),
    ...(s.energy === undefined
      ? {}
      : { energy: nonNegativeValue("energy", s.energy) }),
  };
}

/** Runs `stria analyze` with `args` (those after "analyze"); returns the exit code. */
export function analyzeCommand(args: string[]): Promise<number> {
  return runCommand("analyze", async () => {
    const request = parseAnalyze(args);
    if (request === undefined) {
      console.log(USAGE);
      return 0;
    }
    const { input, output, tasks, task, channel, sigma, outputs, precision } =
      request;
    // What the command line alone says of the analysis, as the store records it.
    const requested = {
      input: resolve(input),
      channel,
      sigma,
      outputs,
      precision,
      energy: request.energy ?? null,
    };
    if (
      task !== undefined &&
      await alreadyDone(output, task, tasks!, request, requested)
    ) {
      console.log(`block ${task} of ${tasks} already done`);
      return 0;
    }
    const { reader, analysis, halo, plan } = await prepareAnalysis(request);
    try {
      const [planes, height, width] = reader.shape;
      const { X, Y, Z } = reader.physicalSizes;
      const hasVoxelSize = analysis.spacing !== null;
      const unit = reader.physicalUnit;
      const store = await openBlockStore(FN, output, {
        arrays: arraysOf(analysis, [planes, height, width]),
        chunkPlanes: plan.chunkPlanes,
        blocks: plan.blocks,
        physicalSizes: { X: X ?? 1, Y: Y ?? 1, Z: Z ?? 1 },
        ...(unit !== undefined && ngffSpaceUnit(unit) !== undefined
          ? { physicalUnit: unit }
          : {}),
        analysis: {
          ...requested,
          sigmaUnit: hasVoxelSize ? unit ?? "voxel size" : "voxels",
          spacing: analysis.spacing,
        },
      });
      const { count } = plan.blocks;
      const regionOf = (block: number) =>
        blockRegion(plan.blocks, block, [height, width]);
      if (request.threads > 1) {
        const [rows, columns] = plan.blocks.tile ?? [height, width];
        reserveStepBuffers(reader, analysis, halo, [
          plan.chunkPlanes,
          rows,
          columns,
        ]);
      }
      const chosen = task === undefined
        ? Array.from({ length: count }, (_, i) => i)
        : [task];
      const todo = [];
      for (const block of chosen) {
        if (!(await store.isDone(block))) todo.push(block);
      }
      const steps = todo.reduce((n, b) => {
        const [z0, z1] = regionOf(b).planes;
        return n + Math.ceil((z1 - z0) / plan.chunkPlanes);
      }, 0);
      const bar = progressBar(
        task === undefined ? "analyze" : `block ${task} of ${count}`,
        steps,
      );
      try {
        for (const block of todo) {
          const region = regionOf(block);
          const [first, end] = region.planes;
          for (let z0 = first; z0 < end; z0 += plan.chunkPlanes) {
            const planes: [number, number] = [
              z0,
              Math.min(end, z0 + plan.chunkPlanes),
            ];
            await writeStep(
              store,
              [z0, region.rows[0], region.columns[0]],
              () =>
                analyzeRegion(
                  reader,
                  { ...region, planes },
                  halo,
                  analysis,
                  request.threads,
                ),
            );
            bar.advance();
          }
          await store.markDone(block);
        }
      } finally {
        // The bar's line ends before any message.
        bar.finish();
      }
      if (task !== undefined) {
        console.log(
          todo.length === 0
            ? `block ${task} of ${count} already done`
            : `block ${task} of ${count} done (${
              describeRegion(regionOf(task), plan.blocks.tile !== undefined)
            })`,
        );
        return 0;
      }
      await finalizeBlockStore(FN, output);
      console.log(`${output}: complete (${count} blocks)`);
      return 0;
    } finally {
      reader.close();
    }
  });
}

/** The opened input, and what `request` computes on it. */
interface PreparedAnalysis {
  reader: InputVolume;
  analysis: BlockAnalysis;
  /** Voxels read beyond a step's own region on each side, along Z, Y and X. */
  halo: [number, number, number];
  plan: BlockPlan;
}

/**
 * Opens `request`'s input and derives the analysis (sigma in the file's
 * units when it has a voxel size), its halo and the block plan; a window
 * or a block count the input cannot take is a {@linkcode UsageError}, and
 * the input is closed again. `stria slurm` calls it too, so that a command
 * line every task would refuse is refused before anything is submitted.
 */
export async function prepareAnalysis(
  request: AnalyzeRequest,
): Promise<PreparedAnalysis> {
  const reader = await openInputVolume(request.input, request.channel);
  try {
    const { X, Y, Z } = reader.physicalSizes;
    const hasVoxelSize = [X, Y, Z].some((size) => size !== undefined);
    const analysis: BlockAnalysis = {
      outputs: request.outputs,
      sigma: request.sigma,
      spacing: hasVoxelSize ? [Z ?? 1, Y ?? 1, X ?? 1] : null,
      precision: request.precision,
      ...(request.energy === undefined ? {} : { energy: request.energy }),
    };
    let halo: [number, number, number];
    try {
      halo = haloOf(analysis);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const plan = planBlocks(
      reader.shape,
      request.tasks,
      request.blockPlanes,
      request.tile,
    );
    return { reader, analysis, halo, plan };
  } catch (error) {
    reader.close();
    throw error;
  }
}

/**
 * Computes one step's values and writes them at `start`, then hands their
 * shared buffers back for the next step (with threads they would otherwise
 * pile up; see `releaseShared`). A function of its own, so that no step's
 * values outlive it: a variable of the loop that awaits the next step would
 * keep them alive through it (measured: 1.1 GB instead of 0.77 GB).
 */
async function writeStep(
  store: BlockStore,
  start: readonly [number, number, number],
  compute: () => Promise<Record<string, BlockValues>>,
): Promise<void> {
  const values = await compute();
  await store.writeRegion(start, values);
  releaseShared(...Object.values(values).map((v) => v.data.buffer));
}

/** A block's region as a task reports it: its planes, and its rows and columns when tiles cut planes. */
function describeRegion(region: BlockRegion, tiled: boolean): string {
  const range = ([first, end]: [number, number]) => `${first} … ${end - 1}`;
  const planes = `planes ${range(region.planes)}`;
  return tiled
    ? `${planes}, rows ${range(region.rows)}, columns ${range(region.columns)}`
    : planes;
}

/**
 * Whether block `task` is done in a store at `output` of `tasks` blocks
 * (of chunks of `blockPlanes` planes, when given, and of the tiles of
 * `tile`, or of whole planes) whose recorded analysis agrees with
 * `requested`; anything else is left to the full check, which refuses
 * another analysis or layout.
 */
async function alreadyDone(
  output: string,
  task: number,
  tasks: number,
  { blockPlanes, tile }: Pick<AnalyzeRequest, "blockPlanes" | "tile">,
  requested: Record<string, unknown>,
): Promise<boolean> {
  try {
    const attributes = await groupAttributes(FN, output);
    const stria = attributes?.stria as Record<string, unknown> | undefined;
    const recorded = stria?.analysis as Record<string, unknown> | undefined;
    const same = Object.entries(requested).every(([key, value]) =>
      JSON.stringify(recorded?.[key]) === JSON.stringify(value)
    );
    const layout = blockLayoutOf(attributes);
    // planBlocks's chunk size for blockPlanes, the last boundary being the plane count.
    const chunks = blockPlanes === undefined ||
      stria?.chunkPlanes === Math.min(layout?.planes.at(-1)!, blockPlanes);
    // The same count of blocks may be tiles or slabs: planBlocks records
    // the tile clipped to the plane, whose size the stored arrays give.
    const [height, width] = (Object.values(stria?.arrays ?? {})[0] as
      | number[]
      | undefined)?.slice(-2) ?? [NaN, NaN];
    const tiles = JSON.stringify(layout?.tile) ===
      JSON.stringify(tile && clipTile(tile, height, width));
    return same && chunks && tiles && layout?.count === tasks &&
      await isBlockDone(output, task);
  } catch {
    // An unreadable store is reported when the task opens it.
    return false;
  }
}
