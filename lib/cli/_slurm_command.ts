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
import {
  ANALYZE_OPTIONS,
  type AnalyzeRequest,
  parseAnalyze,
  prepareAnalysis,
} from "./_analyze_command.ts";
import { integerValue, parseCommandLine } from "./_arguments.ts";
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
  /** The analyze options every task gets, after --tasks and --threads. */
  analyzeOptions: string[];
  /** What a task's command line asks for (as task 0): its input is checked before submitting. */
  analyze: AnalyzeRequest;
  sbatchOptions: string[];
  wait: boolean;
  printScript: boolean;
}

/** The options of `slurm` itself; analyze's are passed on to every task. */
const SLURM_OPTIONS = ["partition", "time"] as const;

/**
 * Parses `args` (those after "slurm") with the parser every subcommand
 * uses: the options of `analyze` (but `--task`, which Slurm sets) and those
 * of `slurm`, each at most once but `--sbatch-arg`. Throws a {@linkcode UsageError} naming the
 * bad argument, and also for any analyze option every task would refuse
 * (checked by analyze's own parser, here, before anything is submitted);
 * undefined for `--help`.
 */
function parseSlurm(args: readonly string[]): SlurmRequest | undefined {
  // sbatch's options start with "-", which parseArgs takes for a missing
  // value: the word after --sbatch-arg is its value, whatever it is.
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    joined.push(
      args[i] === "--sbatch-arg" && i + 1 < args.length
        ? `--sbatch-arg=${args[++i]}`
        : args[i],
    );
  }
  const line = parseCommandLine(joined, {
    command: "slurm",
    operands: ["INPUT", "OUTPUT"],
    strings: [...ANALYZE_OPTIONS, ...SLURM_OPTIONS],
    booleans: ["no-wait", "print-script"],
    lists: ["sbatch-arg"],
  });
  if (line.help) return undefined;
  const s = line.strings;
  if (s.task !== undefined) {
    throw new UsageError(
      "slurm: --task is set by Slurm for each array task; give only --tasks",
    );
  }
  if (s.tasks === undefined) throw new UsageError("slurm: missing --tasks N");
  const input = resolve(line.operands.INPUT);
  const output = resolve(line.operands.OUTPUT);
  const tasks = integerValue("tasks", s.tasks, 1);
  const threads = s.threads === undefined
    ? 1
    : integerValue("threads", s.threads, 1);
  const analyzeOptions = ANALYZE_OPTIONS
    .filter((name) =>
      name !== "tasks" && name !== "threads" && s[name] !== undefined
    )
    // A value starting with "-" stays joined (--energy=-1), so that parseArgs
    // takes it for a value and analyze's check names it.
    .flatMap((name) =>
      s[name]!.startsWith("-")
        ? [`--${name}=${s[name]}`]
        : [`--${name}`, s[name]!]
    );
  const analyze = parseAnalyze([
    input,
    output,
    "--tasks",
    String(tasks),
    "--threads",
    String(threads),
    ...analyzeOptions,
    "--task",
    "0",
  ])!;
  return {
    input,
    output,
    tasks,
    threads,
    analyzeOptions,
    analyze,
    sbatchOptions: [
      ...SLURM_OPTIONS.filter((name) => s[name] !== undefined)
        .map((name) => `--${name}=${s[name]}`),
      ...line.lists["sbatch-arg"],
    ],
    wait: !line.booleans["no-wait"],
    printScript: line.booleans["print-script"],
  };
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
  return runCommand("slurm", async () => {
    const request = parseSlurm(args);
    if (request === undefined) {
      console.log(USAGE);
      return 0;
    }
    const script = jobScript(request);
    if (request.printScript) {
      console.log(script);
      return 0;
    }
    // An input every task would refuse (missing, no such channel, fewer
    // planes or chunks than tasks, a window too large) is refused here.
    (await prepareAnalysis(request.analyze)).reader.close();
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
