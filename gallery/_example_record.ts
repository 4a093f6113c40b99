/**
 * One example's record: made by running it, or for a script that cannot be
 * parsed; and the progress line the builder prints for it.
 *
 * @module
 */

import type { ParsedExample } from "./_parse.ts";
import { runExample } from "./_run.ts";
import type { Environment } from "./_environment.ts";
import { datasetUses, type ExampleRecord } from "./_record.ts";
import { formatBytes, formatSeconds } from "./_render.ts";

/** Options of {@linkcode recordExampleRun}. */
export interface RecordRunOptions {
  /** Repository root: the example runs from here. */
  readonly root: string;
  /** Absolute path of the example script. */
  readonly script: string;
  /** File name without `.ts`. */
  readonly name: string;
  readonly parsed: ParsedExample;
  /** Absolute path of the output folder; emptied before the run. */
  readonly outDir: string;
  readonly synthetic: boolean;
  readonly timeoutSeconds: number;
  /** The cache key to record. */
  readonly key: string;
  readonly environment: Environment;
}

/** The first printed line that starts with "data", trimmed, or "". */
function findDataLine(record: Pick<ExampleRecord, "cells">): string {
  for (const cell of record.cells) {
    const line = cell.stdout.split("\n").find((l) =>
      /^\s*data(set)?\b/i.test(l)
    );
    if (line) return line.trim();
  }
  return "";
}

/**
 * Runs one example into `outDir` (see `runExample`) and turns the result into its record.
 *
 * @example
 * ```ts
 * import { parseExample } from "./_parse.ts";
 * import { recordExampleRun } from "./_example_record.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const source = '// # T\n//\n// S.\nconsole.log("data: none");\n';
 * await Deno.writeTextFile(`${dir}/t.ts`, source);
 * const record = await recordExampleRun({
 *   root: dir,
 *   script: `${dir}/t.ts`,
 *   name: "t",
 *   parsed: parseExample(source),
 *   outDir: `${dir}/out`,
 *   synthetic: true,
 *   timeoutSeconds: 60,
 *   key: "k",
 *   environment: {} as never,
 * });
 * if (!record.ok || record.dataLine !== "data: none") throw new Error(JSON.stringify(record));
 * console.log(record.ok, record.dataLine); // true data: none
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function recordExampleRun(
  options: RecordRunOptions,
): Promise<ExampleRecord> {
  const { root, script, name, parsed, outDir, synthetic } = options;
  const ranAt = new Date().toISOString();
  const result = await runExample({
    script,
    parsed,
    outDir,
    synthetic,
    cwd: root,
    timeoutSeconds: options.timeoutSeconds,
  });
  return {
    ...result,
    name,
    title: parsed.title,
    summary: parsed.summary,
    key: options.key,
    synthetic,
    datasets: datasetUses(parsed.datasets, synthetic),
    dataLine: findDataLine(result),
    ranAt,
    environment: options.environment,
  };
}

/**
 * The record of an example whose script cannot be parsed: failed, with the
 * parser's message as its only output, so its card and page show the error.
 *
 * @example
 * ```ts
 * import { parseFailureRecord } from "./_example_record.ts";
 *
 * const record = parseFailureRecord("bad", new Error("no title"), true, {} as never);
 * if (record.ok || record.cells[0].stderr !== "no title\n") throw new Error(JSON.stringify(record));
 * console.log(record.ok, record.cells[0].stderr); // false no title
 * ```
 */
export function parseFailureRecord(
  name: string,
  error: unknown,
  synthetic: boolean,
  environment: Environment,
): ExampleRecord {
  return {
    name,
    title: name,
    summary: "This example could not be parsed.",
    key: "",
    ok: false,
    exitCode: -1,
    timedOut: false,
    wallSeconds: 0,
    peakMemoryBytes: null,
    memoryMethod: "not run",
    command: [],
    synthetic,
    datasets: [],
    dataLine: "",
    cells: [{
      codeIndex: 0,
      stdout: "",
      stderr: `${error instanceof Error ? error.message : String(error)}\n`,
      files: [],
      seconds: 0,
    }],
    ranAt: new Date().toISOString(),
    environment,
  };
}

/**
 * The line the builder prints for an example: status, name, wall time, peak memory.
 *
 * @example
 * ```ts
 * import { progressLine } from "./_example_record.ts";
 *
 * const line = progressLine("hi", "ok", { wallSeconds: 1.5, peakMemoryBytes: null });
 * if (!/^ok\s+hi\s+1\.50 s/.test(line)) throw new Error(line);
 * console.log(line.split(/\s+/).slice(0, 4)); // ["ok", "hi", "1.50", "s"]
 * ```
 */
export function progressLine(
  name: string,
  status: string,
  record: Pick<ExampleRecord, "wallSeconds" | "peakMemoryBytes">,
): string {
  return `${status.padEnd(7)} ${name.padEnd(28)} ${
    formatSeconds(record.wallSeconds).padStart(10)
  } ${formatBytes(record.peakMemoryBytes).padStart(11)}`;
}
