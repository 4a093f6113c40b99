/**
 * `stria slurm`: runs `stria analyze`'s N blocks as a Slurm job array, then
 * `stria finalize` as a job that depends on all of them, and waits.
 *
 * @module
 */

import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../_atomic_write.ts";
import {
  blockLayoutOf,
  checkStoreComplete,
  groupAttributes,
} from "../zarr/_block_completion.ts";
import { integerValue } from "./_arguments.ts";
import { runCommand, USAGE, UsageError } from "./_command.ts";

/** Milliseconds between two looks at the queue while waiting. */
const POLL_MS = 1000;

/** Slurm job states after which a job never runs again. */
const ENDED_STATES = new Set([
  "COMPLETED",
  "FAILED",
  "CANCELLED",
  "TIMEOUT",
  "NODE_FAIL",
  "OUT_OF_MEMORY",
  "PREEMPTED",
  "BOOT_FAIL",
  "DEADLINE",
]);

/** What the command line asks for. */
interface SlurmRequest {
  input: string;
  output: string;
  tasks: number;
  /** Threads of each task, and the CPUs it asks Slurm for. */
  threads: number;
  analyzeOptions: string[];
  sbatchOptions: string[];
  wait: boolean;
  printScript: boolean;
}

/**
 * Parses `args`: INPUT and OUTPUT first, then options; those not of `slurm`
 * go to every `analyze` as given. Throws a {@linkcode UsageError} naming the
 * bad argument.
 */
function parseArgs(args: readonly string[]): SlurmRequest {
  const [input, output, ...rest] = args;
  for (const [name, value] of [["INPUT", input], ["OUTPUT", output]]) {
    if (value === undefined || value.startsWith("-")) {
      throw new UsageError(
        `slurm: missing operand ${name} (INPUT and OUTPUT come first)`,
      );
    }
  }
  const request: SlurmRequest = {
    input: resolve(input),
    output: resolve(output),
    tasks: NaN,
    threads: 1,
    analyzeOptions: [],
    sbatchOptions: [],
    wait: true,
    printScript: false,
  };
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? rest[++i];
      if (v === undefined) throw new UsageError(`slurm: ${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--tasks":
        request.tasks = integerValue("tasks", value(), 1);
        break;
      case "--threads":
        request.threads = integerValue("threads", value(), 1);
        break;
      case "--task":
        throw new UsageError(
          "slurm: --task is set by Slurm for each array task; give only --tasks",
        );
      case "--partition":
      case "--time":
        request.sbatchOptions.push(`${flag}=${value()}`);
        break;
      case "--sbatch-arg":
        request.sbatchOptions.push(value());
        break;
      case "--no-wait":
        request.wait = false;
        break;
      case "--print-script":
        request.printScript = true;
        break;
      default:
        request.analyzeOptions.push(rest[i]);
    }
  }
  if (Number.isNaN(request.tasks)) {
    throw new UsageError("slurm: missing --tasks N");
  }
  return request;
}

/** `value` as one word of a POSIX shell command line. */
function shellWord(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value)
    ? value
    : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The folder beside the store holding the job script and the logs. */
function jobFolder(output: string): string {
  return `${output}.slurm`;
}

/**
 * The job script. One file serves both jobs so that it alone documents the
 * whole run: as an array task it computes block `$SLURM_ARRAY_TASK_ID`,
 * submitted without `--array` it finalizes the store.
 */
function jobScript(request: SlurmRequest): string {
  const cli = new URL("./stria.ts", import.meta.url);
  const permissions = [
    "--allow-read",
    "--allow-write",
    "--allow-env",
    "--allow-sys",
  ];
  if (cli.protocol !== "file:") permissions.push(`--allow-import=${cli.host}`);
  const run = [
    Deno.execPath(),
    "run",
    ...permissions,
    cli.protocol === "file:" ? fileURLToPath(cli) : cli.href,
  ].map(shellWord).join(" ");
  const analyze = [
    "analyze",
    request.input,
    request.output,
    "--tasks",
    String(request.tasks),
    "--threads",
    String(request.threads),
    ...request.analyzeOptions,
  ].map(shellWord).join(" ");
  const folder = jobFolder(request.output);
  return `#!/bin/sh
# Written by "stria slurm". Submit it twice:
#   id=$(sbatch --parsable --array=0-${request.tasks - 1} ${
    shellWord(folder)
  }/stria.sbatch)
#   sbatch --dependency=afterok:$id --kill-on-invalid-dep=yes \\
#     --output=${shellWord(folder)}/%x-finalize-%j.log ${
    shellWord(folder)
  }/stria.sbatch
# Array task I computes block I of ${request.tasks} (a block already done exits
# at once); the job without --array marks the store complete once every block
# is done.
#SBATCH --job-name=stria
#SBATCH --cpus-per-task=${request.threads}
#SBATCH --output=${shellWord(folder)}/%x-%A_%a.log
if [ -n "$SLURM_ARRAY_TASK_ID" ]; then
  exec ${run} ${analyze} --task "$SLURM_ARRAY_TASK_ID"
else
  exec ${run} finalize ${shellWord(request.output)}
fi
`;
}

const decoder = new TextDecoder();

/** Runs a Slurm client; throws with its message when it fails. */
async function slurm(command: string, args: string[]): Promise<string> {
  let result: Deno.CommandOutput;
  try {
    result = await new Deno.Command(command, {
      args,
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`slurm: ${command} not found: is Slurm installed?`);
    }
    throw error;
  }
  if (result.code !== 0) {
    throw new Error(
      `slurm: ${command} ${args.join(" ")} failed (exit ${result.code}): ${
        decoder.decode(result.stderr).trim()
      }`,
    );
  }
  return decoder.decode(result.stdout).trim();
}

/** Submits `script` with `options`; returns the job id (`--parsable` prints `id[;cluster]`). */
async function submit(script: string, options: string[]): Promise<string> {
  const printed = await slurm("sbatch", ["--parsable", ...options, script]);
  return printed.split(";")[0];
}

/** The array's tasks by state, and the finalize job's state (undefined once Slurm forgot it). */
async function queueStates(
  arrayId: string,
  finalizeId: string,
): Promise<{ tasks: Map<string, string>; finalize?: string }> {
  const listed = await slurm("squeue", [
    "-h",
    "-r",
    "-t",
    "all",
    "-j",
    `${arrayId},${finalizeId}`,
    "-o",
    "%i|%T",
  ]);
  const tasks = new Map<string, string>();
  let finalize: string | undefined;
  for (const line of listed.split("\n").filter(Boolean)) {
    const [id, state] = line.split("|");
    if (id === finalizeId) finalize = state;
    else tasks.set(id, state);
  }
  return { tasks, finalize };
}

/**
 * Waits until both jobs have ended, printing the count of blocks done,
 * running and waiting at each change.
 */
async function waitForJobs(
  request: SlurmRequest,
  arrayId: string,
  finalizeId: string,
): Promise<void> {
  let last = "";
  for (;;) {
    const { tasks, finalize } = await queueStates(arrayId, finalizeId);
    const count = (wanted: (state: string) => boolean) =>
      [...tasks.values()].filter(wanted).length;
    const done = count((s) => s === "COMPLETED");
    const failed = [...tasks].filter(([, s]) =>
      ENDED_STATES.has(s) && s !== "COMPLETED"
    );
    const running = count((s) => s === "RUNNING");
    const waiting = count((s) => !ENDED_STATES.has(s)) - running;
    const line = `stria slurm: ${done}/${request.tasks} blocks done, ` +
      `${running} running, ${waiting} waiting` +
      (failed.length
        ? `, failed: ${failed.map(([id, s]) => `${id} ${s}`).join(", ")}`
        : "") +
      `; finalize ${finalize ?? "gone"}`;
    if (line !== last) console.log(line);
    last = line;
    const finalizeEnded = finalize === undefined || ENDED_STATES.has(finalize);
    if (running + waiting === 0) {
      if (finalizeEnded) return;
      if (failed.length > 0) {
        // Its dependency can no longer be met; Slurm may keep it pending anyway.
        await slurm("scancel", [finalizeId]);
        return;
      }
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** Throws unless the store at `output` is a block store marked complete. */
async function checkComplete(output: string): Promise<void> {
  const attributes = await groupAttributes("slurm", output);
  if (blockLayoutOf(attributes) === undefined) {
    throw new Error(`slurm: ${output}: no stria block store was written`);
  }
  await checkStoreComplete("slurm", output, attributes);
}

/**
 * Runs `stria slurm` with the arguments after `slurm`; returns the exit code:
 * 0 once the store is complete (or, with `--no-wait`, submitted), 1 when a
 * job or Slurm failed, 2 for a bad command line.
 *
 * @example
 * ```ts
 * import { slurmCommand } from "./_slurm_command.ts";
 * // --tasks 0 is refused before anything is written or submitted.
 * const code = await slurmCommand(["in.tif", "out.zarr", "--tasks", "0"]);
 * if (code !== 2) throw new Error(`exit code ${code}`);
 * console.log(code); // 2
 * ```
 */
export function slurmCommand(args: string[]): Promise<number> {
  return runCommand(async () => {
    if (args.includes("--help") || args.includes("-h")) {
      console.log(USAGE);
      return 0;
    }
    const request = parseArgs(args);
    const script = jobScript(request);
    if (request.printScript) {
      console.log(script);
      return 0;
    }
    const folder = jobFolder(request.output);
    const scriptPath = `${folder}/stria.sbatch`;
    await writeFileAtomic("slurm", scriptPath, script, { createFolder: true });
    const arrayId = await submit(scriptPath, [
      `--array=0-${request.tasks - 1}`,
      ...request.sbatchOptions,
    ]);
    const finalizeId = await submit(scriptPath, [
      `--dependency=afterok:${arrayId}`,
      "--kill-on-invalid-dep=yes",
      `--output=${folder}/%x-finalize-%j.log`,
      ...request.sbatchOptions,
    ]);
    console.log(
      `stria slurm: job array ${arrayId} (${request.tasks} tasks), finalize job ${finalizeId}; logs in ${folder}`,
    );
    if (!request.wait) return 0;
    await waitForJobs(request, arrayId, finalizeId);
    try {
      await checkComplete(request.output);
    } catch (error) {
      throw new Error(
        `${
          (error as Error).message
        }; see the logs in ${folder}, then rerun (blocks done are skipped)`,
      );
    }
    return 0;
  });
}
