/**
 * Runs one example in its own Deno subprocess with exactly its declared
 * permissions, and records each code cell's printed output, new files and time,
 * the wall time and the peak memory.
 *
 * @module
 */

import { basename, dirname, join, relative } from "node:path";
import { instrumentExample, type ParsedExample } from "./_parse.ts";
import { describeOutputFile, type OutputFile } from "./_outputs.ts";

/** What one code cell printed and wrote. */
export interface CellRun {
  /** Index among code cells (0 for the setup cell). */
  readonly codeIndex: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Files the cell created or changed, relative to the output folder. */
  readonly files: readonly OutputFile[];
  /** Seconds from this cell's start to the next cell's start (or the end). */
  readonly seconds: number;
}

/** The outcome of running an example. */
export interface RunResult {
  readonly ok: boolean;
  readonly exitCode: number;
  readonly timedOut: boolean;
  readonly wallSeconds: number;
  /** Peak resident memory in bytes, or null when it could not be measured. */
  readonly peakMemoryBytes: number | null;
  /** How the peak memory was measured. */
  readonly memoryMethod: string;
  readonly cells: readonly CellRun[];
  /** The exact command line, with permissions substituted. */
  readonly command: readonly string[];
}

/** Options for {@linkcode runExample}. */
export interface RunOptions {
  /** Absolute path of the example script. */
  readonly script: string;
  readonly parsed: ParsedExample;
  /** Absolute path of the output folder; emptied before the run. */
  readonly outDir: string;
  readonly synthetic: boolean;
  /** Working folder of the subprocess (the repository root, where deno.json lives). */
  readonly cwd: string;
  readonly timeoutSeconds: number;
}

const TIME_BINARY = "/usr/bin/time";
// The record separator (U+001E) frames marker lines; built from its code to keep control characters out of regex literals.
const RS = String.fromCharCode(0x1e);
const MARKER = new RegExp(`${RS}${RS}stria-cell:(\\d+)${RS}\n`);

/**
 * The `deno run` arguments for an example: its declared permissions with `{out}` substituted.
 *
 * @example
 * ```ts
 * import { denoRunArguments } from "./_run.ts";
 *
 * console.log(denoRunArguments("ex.ts", ["--allow-write={out}"], "/tmp/o", true));
 * // ["run", "--allow-write=/tmp/o", "ex.ts", "--out", "/tmp/o", "--synthetic"]
 * ```
 */
export function denoRunArguments(
  script: string,
  permissions: readonly string[],
  outDir: string,
  synthetic: boolean,
): string[] {
  const flags = permissions.map((flag) => flag.replaceAll("{out}", outDir));
  return [
    "run",
    ...flags,
    script,
    "--out",
    outDir,
    ...(synthetic ? ["--synthetic"] : []),
  ];
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Lists files under `dir` recursively with a size/mtime stamp, so changes between cells show. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const stamps = new Map<string, string>();
  const walk = async (folder: string) => {
    for await (const entry of Deno.readDir(folder)) {
      const path = join(folder, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (entry.isFile) {
        const info = await Deno.stat(path);
        stamps.set(
          relative(dir, path),
          `${info.size}:${info.mtime?.getTime()}:${info.mtime?.valueOf()}`,
        );
      }
    }
  };
  try {
    await walk(dir);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return stamps;
}

function changedFiles(
  before: Map<string, string>,
  after: Map<string, string>,
): string[] {
  return [...after].filter(([name, stamp]) => before.get(name) !== stamp).map((
    [name],
  ) => name).sort();
}

/** Splits a stream into per-cell text at marker lines, calling `onMarker` at each. */
async function splitByMarkers(
  stream: ReadableStream<Uint8Array>,
  append: (text: string) => void,
  onMarker: (index: number) => Promise<void>,
): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of stream) {
    buffer += decoder.decode(chunk, { stream: true });
    let match: RegExpExecArray | null;
    while ((match = MARKER.exec(buffer)) !== null) {
      append(buffer.slice(0, match.index));
      buffer = buffer.slice(match.index + match[0].length);
      await onMarker(Number(match[1]));
    }
    // Hold back a possible partial marker at the end until the next chunk.
    const pending = buffer.indexOf("\u001e\u001e");
    const keepFrom = pending >= 0
      ? pending
      : buffer.endsWith("\u001e")
      ? buffer.length - 1
      : buffer.length;
    append(buffer.slice(0, keepFrom));
    buffer = buffer.slice(keepFrom);
  }
  append(buffer + decoder.decode());
}

/** Process ids of the direct children of `pid`, from `ps` (Deno refuses /proc reads without --allow-all). */
async function childPids(pid: number): Promise<number[]> {
  try {
    const output = await new Deno.Command("ps", {
      args: ["-o", "pid=", "--ppid", String(pid)],
      stdout: "piped",
      stderr: "null",
    })
      .output();
    return new TextDecoder().decode(output.stdout).trim().split(/\s+/).filter(
      Boolean,
    ).map(Number);
  } catch {
    return [];
  }
}

/**
 * Runs an example through an instrumented copy written next to it (a hidden
 * file, removed afterwards), so relative imports still resolve. Peak memory is
 * read from GNU time's `%M` (the kernel's maximum resident set size of the
 * Deno process, from wait4) when `/usr/bin/time` exists; otherwise it is not
 * measured.
 *
 * @example
 * ```ts
 * import { parseExample } from "./_parse.ts";
 * import { runExample } from "./_run.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const source = "// # T\n//\n// S.\nconsole.log(1);\n// %%\nconsole.log(2);\n";
 * await Deno.writeTextFile(`${dir}/t.ts`, source);
 * const result = await runExample({
 *   script: `${dir}/t.ts`,
 *   parsed: parseExample(source),
 *   outDir: `${dir}/out`,
 *   synthetic: false,
 *   cwd: dir,
 *   timeoutSeconds: 60,
 * });
 * console.log(result.ok, result.cells.map((c) => c.stdout)); // true ["1\n", "2\n"]
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function runExample(options: RunOptions): Promise<RunResult> {
  const { script, parsed, outDir, synthetic, cwd, timeoutSeconds } = options;
  await Deno.remove(outDir, { recursive: true }).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
  await Deno.mkdir(outDir, { recursive: true });
  const source = await Deno.readTextFile(script);
  const instrumented = join(
    dirname(script),
    `.${basename(script, ".ts")}.stria-run-${
      crypto.randomUUID().slice(0, 8)
    }.ts`,
  );
  const timeFile = await Deno.makeTempFile({ prefix: "stria-time-" });
  const haveTime = await exists(TIME_BINARY);
  const args = denoRunArguments(
    instrumented,
    parsed.permissions,
    outDir,
    synthetic,
  );
  const command = [
    Deno.execPath(),
    ...denoRunArguments(script, parsed.permissions, outDir, synthetic),
  ];

  const codeIndexes = parsed.cells.filter((c) => c.kind === "code").map((c) =>
    c.codeIndex
  );
  const stdout = new Map<number, string>(codeIndexes.map((i) => [i, ""]));
  const stderr = new Map<number, string>(codeIndexes.map((i) => [i, ""]));
  const files = new Map<number, string[]>(codeIndexes.map((i) => [i, []]));
  const started = new Map<number, number>();
  let stdoutCell = codeIndexes[0] ?? 0;
  let stderrCell = stdoutCell;
  let previous = new Map<string, string>();

  await Deno.writeTextFile(instrumented, instrumentExample(source, parsed));
  const t0 = performance.now();
  let timedOut = false;
  try {
    const child = new Deno.Command(haveTime ? TIME_BINARY : Deno.execPath(), {
      args: haveTime
        ? ["-f", "%M", "-o", timeFile, Deno.execPath(), ...args]
        : args,
      cwd,
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).spawn();
    const timer = setTimeout(async () => {
      timedOut = true;
      // Kill Deno (the child of GNU time) first, so its pipes close, then time itself.
      for (const pid of await childPids(child.pid)) Deno.kill(pid, "SIGKILL");
      try {
        child.kill("SIGKILL");
      } catch {
        // Already exited.
      }
    }, timeoutSeconds * 1000);
    const ack = child.stdin.getWriter();
    started.set(stdoutCell, t0);
    const record = async () => {
      const now = await snapshot(outDir);
      files.get(stdoutCell)?.push(...changedFiles(previous, now));
      previous = now;
    };
    const readOut = splitByMarkers(
      child.stdout,
      (text) => stdout.set(stdoutCell, (stdout.get(stdoutCell) ?? "") + text),
      async (cell) => {
        await record();
        stdoutCell = cell;
        started.set(cell, performance.now());
        await ack.write(new Uint8Array([10])).catch(() => {});
      },
    );
    const readErr = splitByMarkers(
      child.stderr,
      (text) => stderr.set(stderrCell, (stderr.get(stderrCell) ?? "") + text),
      (cell) => {
        stderrCell = cell;
        return Promise.resolve();
      },
    );
    const status = await child.status;
    clearTimeout(timer);
    await Promise.all([readOut, readErr]);
    await ack.close().catch(() => {});
    await record();
    const wallSeconds = (performance.now() - t0) / 1000;
    const end = performance.now();

    let peakMemoryBytes: number | null = null;
    if (haveTime) {
      // GNU time appends "Command exited with non-zero status N" before %M on failure.
      const lines = (await Deno.readTextFile(timeFile)).trim().split("\n");
      const kib = Number(lines[lines.length - 1]);
      if (Number.isFinite(kib) && kib > 0) peakMemoryBytes = kib * 1024;
    }
    const order = [...started.keys()];
    const cells: CellRun[] = [];
    for (const index of codeIndexes) {
      const next = order[order.indexOf(index) + 1];
      const begin = started.get(index);
      const seconds = begin === undefined
        ? 0
        : ((next === undefined ? end : started.get(next)!) - begin) / 1000;
      const described: OutputFile[] = [];
      for (const name of files.get(index) ?? []) {
        // A work file the example removed before it ended is not an output.
        const exists = await Deno.stat(join(outDir, name)).then(
          (info) => info.isFile,
          () => false,
        );
        if (exists) described.push(await describeOutputFile(outDir, name));
      }
      // Error messages name the original file, not the hidden instrumented
      // copy; the output folder, which differs between a build and its
      // --check (and would show the build machine's paths), reads `{out}`.
      const original = (text: string) =>
        text.replaceAll(basename(instrumented), basename(script)).replaceAll(
          outDir,
          "{out}",
        );
      cells.push({
        codeIndex: index,
        stdout: original(stdout.get(index) ?? ""),
        stderr: original(stderr.get(index) ?? ""),
        files: described,
        seconds,
      });
    }
    return {
      ok: status.success && !timedOut,
      exitCode: status.code,
      timedOut,
      wallSeconds,
      peakMemoryBytes,
      memoryMethod: haveTime
        ? "GNU time %M (maximum resident set size)"
        : "not measured (/usr/bin/time missing)",
      cells,
      command,
    };
  } finally {
    await Deno.remove(instrumented).catch(() => {});
    await Deno.remove(timeFile).catch(() => {});
  }
}
