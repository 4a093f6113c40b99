/**
 * `stria analyze INPUT OUTPUT [options]`: the structure-tensor analysis of a
 * TIFF, OME-TIFF or OME-Zarr volume into an OME-Zarr store, block by block;
 * with `--tasks N --task I`, block I only, so that N independent tasks (a
 * job array) fill the store, then `stria finalize` marks it complete.
 *
 * @module
 */

import { resolve } from "node:path";
import { ngffSpaceUnit } from "../zarr/_ngff.ts";
import { finalizeBlockStore, openBlockStore } from "../zarr/_block_store.ts";
import {
  blockLayoutOf,
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
} from "./_arguments.ts";
import { runCommand, USAGE, UsageError } from "./_command.ts";
import {
  analyzePlanes,
  arraysOf,
  type BlockAnalysis,
  haloOf,
  OUTPUT_NAMES,
} from "./_block_analysis.ts";
import { planBlocks } from "./_block_plan.ts";
import { openInputVolume } from "./_input_volume.ts";
import { progressBar } from "./_progress_bar.ts";

const FN = "analyze";

/** What an `analyze` command line asks for, checked. */
interface AnalyzeRequest {
  input: string;
  output: string;
  tasks?: number;
  task?: number;
  channel: number;
  threads: number;
  blockPlanes?: number;
  sigma: BlockAnalysis["sigma"];
  outputs: BlockAnalysis["outputs"];
  precision: BlockAnalysis["precision"];
  energy?: number;
}

/** Parses and checks `args`; undefined for `--help`. */
function parseAnalyze(args: string[]): AnalyzeRequest | undefined {
  const line = parseCommandLine(args, {
    command: FN,
    operands: ["INPUT", "OUTPUT"],
    strings: [
      "sigma",
      "channel",
      "outputs",
      "precision",
      "energy",
      "threads",
      "block-planes",
      "tasks",
      "task",
    ],
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
    // One thread by default: tasks are the parallelism, and with more each
    // block allocates fresh shared buffers that garbage collection frees
    // late (peak 2.3 GB measured with 2 threads, 0.5 GB with 1, 256² planes).
    threads: int("threads", 1) ?? 1,
    ...(s["block-planes"] === undefined
      ? {}
      : { blockPlanes: int("block-planes", 1) }),
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
  return runCommand(async () => {
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
      task !== undefined && await alreadyDone(output, task, tasks!, requested)
    ) {
      console.log(`block ${task} of ${tasks} already done`);
      return 0;
    }
    const reader = await openInputVolume(input, channel);
    try {
      const [planes, height, width] = reader.shape;
      const { X, Y, Z } = reader.physicalSizes;
      const hasVoxelSize = [X, Y, Z].some((size) => size !== undefined);
      const analysis: BlockAnalysis = {
        outputs,
        sigma,
        spacing: hasVoxelSize ? [Z ?? 1, Y ?? 1, X ?? 1] : null,
        precision,
        ...(request.energy === undefined ? {} : { energy: request.energy }),
      };
      let halo: number;
      try {
        halo = haloOf(analysis);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      const plan = planBlocks(planes, tasks, request.blockPlanes);
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
      const { count, planes: bounds } = plan.blocks;
      const chosen = task === undefined
        ? Array.from({ length: count }, (_, i) => i)
        : [task];
      const todo = [];
      for (const block of chosen) {
        if (!(await store.isDone(block))) todo.push(block);
      }
      const steps = todo.reduce(
        (n, b) => n + Math.ceil((bounds[b + 1] - bounds[b]) / plan.chunkPlanes),
        0,
      );
      const bar = progressBar(
        task === undefined ? "analyze" : `block ${task}/${count}`,
        steps,
      );
      try {
        for (const block of todo) {
          for (let z0 = bounds[block]; z0 < bounds[block + 1];) {
            const z1 = Math.min(bounds[block + 1], z0 + plan.chunkPlanes);
            await store.writePlanes(
              z0,
              await analyzePlanes(
                reader,
                z0,
                z1,
                halo,
                analysis,
                request.threads,
              ),
            );
            bar.advance();
            z0 = z1;
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
            : `block ${task} of ${count} done (planes ${bounds[task]} … ${
              bounds[task + 1] - 1
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

/**
 * Whether block `task` is done in a store at `output` of `tasks` blocks
 * whose recorded analysis agrees with `requested`; anything else is left to
 * the full check, which refuses another analysis.
 */
async function alreadyDone(
  output: string,
  task: number,
  tasks: number,
  requested: Record<string, unknown>,
): Promise<boolean> {
  try {
    const attributes = await groupAttributes(FN, output);
    const recorded = (attributes?.stria as Record<string, unknown> | undefined)
      ?.analysis as Record<string, unknown> | undefined;
    const same = Object.entries(requested).every(([key, value]) =>
      JSON.stringify(recorded?.[key]) === JSON.stringify(value)
    );
    return same && blockLayoutOf(attributes)?.count === tasks &&
      await isBlockDone(output, task);
  } catch {
    // An unreadable store is reported when the task opens it.
    return false;
  }
}
