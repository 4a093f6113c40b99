/**
 * Builds the example gallery: runs every script in `examples/` (each in its own
 * Deno subprocess with exactly its declared permissions), records output,
 * figures, time and memory per cell in `build.json`, and writes static pages.
 *
 * Usage: `deno task gallery [--synthetic] [--only NAME] [--jobs N] [--force]
 * [--check] [--examples DIR] [--site DIR] [--timeout SECONDS]`
 *
 * `--check` re-runs every example and compares it with the recorded build
 * instead of building; it exits non-zero on any difference.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { basename, dirname, join, resolve } from "node:path";
import { type ParsedExample, parseExample } from "./_parse.ts";
import { runExample } from "./_run.ts";
import { cacheKey, moduleGraph, mustRun } from "./_cache.ts";
import { type Environment, recordEnvironment } from "./_environment.ts";
import { sha256Hex } from "./_outputs.ts";
import { compareOutput, DEFAULT_RELATIVE_TOLERANCE } from "./_compare.ts";
import {
  BUILD_FORMAT,
  BUILD_VERSION,
  type BuildRecord,
  type DatasetUse,
  type ExampleRecord,
  outputFolder,
  recordedOutputs,
} from "./_record.ts";
import {
  examplePage,
  formatBytes,
  formatSeconds,
  renderExamplePage,
  renderIndex,
  renderTimesPage,
  sourceFile,
} from "./_render.ts";
import { readBenchResults } from "./_bench.ts";
import { datasetRegistry } from "../lib/data/registry.ts";

/** Options of one gallery build or check. */
export interface BuildOptions {
  /** Repository root: the examples run from here (deno.json, deno.lock). */
  readonly root: string;
  readonly examplesDir: string;
  readonly siteDir: string;
  readonly synthetic: boolean;
  /** Build only these examples (names without `.ts`); others keep their recorded pages. */
  readonly only: readonly string[];
  readonly jobs: number;
  readonly force: boolean;
  readonly timeoutSeconds: number;
  /** Called with one progress line per example. */
  readonly log: (line: string) => void;
  /** Folder of `stria-bench` results for the times page; default `ROOT/bench/results`. */
  readonly benchDir?: string;
}

/** The outcome of {@linkcode buildGallery}. */
export interface BuildOutcome {
  readonly build: BuildRecord;
  /** Names of the examples that failed. */
  readonly failed: readonly string[];
  /** Names of the examples that were re-run (not taken from the cache). */
  readonly ran: readonly string[];
}

const STATIC_DIR = join(dirname(new URL(import.meta.url).pathname), "static");
const RUNNER_FILES = ["_run.ts", "_parse.ts", "_outputs.ts"].map((f) =>
  join(dirname(new URL(import.meta.url).pathname), f)
);

/**
 * Writes a file through a temporary sibling and a rename, so readers never see half a file.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "./build.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await writeFileAtomic(`${dir}/sub/a.txt`, "hello");
 * console.log(await Deno.readTextFile(`${dir}/sub/a.txt`)); // hello
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const temp = join(
    dirname(path),
    `.${basename(path)}.${crypto.randomUUID().slice(0, 8)}.tmp`,
  );
  if (typeof data === "string") await Deno.writeTextFile(temp, data);
  else await Deno.writeFile(temp, data);
  await Deno.rename(temp, path);
}

async function readTextOr(path: string, fallback: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return fallback;
  }
}

/**
 * Example scripts in a folder: `*.ts`, excluding hidden and `_`-prefixed files, sorted.
 *
 * @example
 * ```ts
 * import { listExamples } from "./build.ts";
 *
 * const fixtures = new URL("../tests/fixtures/gallery/examples", import.meta.url).pathname;
 * console.log(await listExamples(fixtures)); // ["broken", "hello_figures", "volume_view"]
 * ```
 */
export async function listExamples(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (
      entry.isFile && entry.name.endsWith(".ts") && !/^[._]/.test(entry.name)
    ) names.push(entry.name.slice(0, -3));
  }
  return names.sort();
}

function datasetUses(parsed: ParsedExample, synthetic: boolean): DatasetUse[] {
  return parsed.datasets.map((name) => ({
    name,
    sha256: Object.hasOwn(datasetRegistry, name)
      ? datasetRegistry[name].sha256
      : "unknown",
    source: synthetic ? "synthetic" : "real",
  }));
}

async function exampleKey(
  root: string,
  script: string,
  parsed: ParsedExample,
  synthetic: boolean,
): Promise<string> {
  const graph = await moduleGraph(script, root);
  const modules: Record<string, string> = {};
  for (const file of graph.files) {
    modules[file.startsWith(root) ? file.slice(root.length + 1) : file] =
      await sha256Hex(await Deno.readFile(file));
  }
  const runner = await sha256Hex(
    (await Promise.all(RUNNER_FILES.map((f) => readTextOr(f, "")))).join("\n"),
  );
  return await cacheKey({
    modules,
    npmPackages: graph.npmPackages,
    lockfile: await sha256Hex(
      await readTextOr(join(root, "deno.lock"), "none"),
    ),
    synthetic,
    datasets: Object.fromEntries(
      datasetUses(parsed, synthetic).map((
        d,
      ) => [d.name, synthetic ? "synthetic" : d.sha256]),
    ),
    runner,
  });
}

function findDataLine(record: Pick<ExampleRecord, "cells">): string {
  for (const cell of record.cells) {
    const line = cell.stdout.split("\n").find((l) =>
      /^\s*data(set)?\b/i.test(l)
    );
    if (line) return line.trim();
  }
  return "";
}

/** Runs one example into `outDir` and turns the result into a record. */
async function runToRecord(
  options: {
    root: string;
    script: string;
    name: string;
    parsed: ParsedExample;
    outDir: string;
    synthetic: boolean;
    timeoutSeconds: number;
    key: string;
    environment: Environment;
  },
): Promise<ExampleRecord> {
  const {
    root,
    script,
    name,
    parsed,
    outDir,
    synthetic,
    timeoutSeconds,
    key,
    environment,
  } = options;
  const ranAt = new Date().toISOString();
  const result = await runExample({
    script,
    parsed,
    outDir,
    synthetic,
    cwd: root,
    timeoutSeconds,
  });
  const record = {
    name,
    title: parsed.title,
    summary: parsed.summary,
    key,
    ok: result.ok,
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    wallSeconds: result.wallSeconds,
    peakMemoryBytes: result.peakMemoryBytes,
    memoryMethod: result.memoryMethod,
    command: result.command,
    synthetic,
    datasets: datasetUses(parsed, synthetic),
    cells: result.cells,
    ranAt,
    environment,
  };
  return { ...record, dataLine: findDataLine(record) };
}

function parseFailureRecord(
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

/** Runs `task` over `items` with at most `jobs` at once, keeping the input order in the result. */
async function pool<T, R>(
  items: readonly T[],
  jobs: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker),
  );
  return results;
}

/**
 * Reads a previous `build.json`, or undefined when there is none or it is of another format.
 *
 * @example
 * ```ts
 * import { readBuildRecord } from "./build.ts";
 *
 * console.log(await readBuildRecord("/nonexistent/site")); // undefined
 * ```
 */
export async function readBuildRecord(
  siteDir: string,
): Promise<BuildRecord | undefined> {
  try {
    const record = JSON.parse(
      await Deno.readTextFile(join(siteDir, "build.json")),
    );
    return record?.format === BUILD_FORMAT && record.version === BUILD_VERSION
      ? record
      : undefined;
  } catch {
    return undefined;
  }
}

function progressLine(
  name: string,
  status: string,
  record: ExampleRecord,
): string {
  return `${status.padEnd(7)} ${name.padEnd(28)} ${
    formatSeconds(record.wallSeconds).padStart(10)
  } ${formatBytes(record.peakMemoryBytes).padStart(11)}`;
}

/**
 * Builds (or incrementally rebuilds) the gallery site.
 *
 * @example
 * ```ts
 * import { buildGallery } from "./build.ts";
 *
 * const examples = await Deno.makeTempDir();
 * const site = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${examples}/hi.ts`, "// # Hi\n//\n// Prints hi.\nconsole.log(\"hi\");\n");
 * const outcome = await buildGallery({
 *   root: Deno.cwd(),
 *   examplesDir: examples,
 *   siteDir: site,
 *   synthetic: true,
 *   only: [],
 *   jobs: 1,
 *   force: false,
 *   timeoutSeconds: 60,
 *   log: () => {},
 * });
 * console.log(outcome.failed, outcome.build.examples[0].cells[0].stdout); // [] hi
 * await Deno.remove(examples, { recursive: true });
 * await Deno.remove(site, { recursive: true });
 * ```
 */
export async function buildGallery(
  options: BuildOptions,
): Promise<BuildOutcome> {
  const t0 = performance.now();
  const {
    root,
    examplesDir,
    siteDir,
    synthetic,
    jobs,
    force,
    timeoutSeconds,
    log,
  } = options;
  const environment = await recordEnvironment(root);
  const previous = await readBuildRecord(siteDir);
  const previousByName = new Map(
    (previous?.examples ?? []).map((e) => [e.name, e]),
  );
  const names = await listExamples(examplesDir);
  for (const name of options.only) {
    if (!names.includes(name)) {
      throw new Error(
        `--only ${name}: no example ${name}.ts in ${examplesDir}`,
      );
    }
  }
  const selected = options.only.length
    ? names.filter((n) => options.only.includes(n))
    : names;
  const parsedByName = new Map<string, ParsedExample>();
  const ran: string[] = [];

  const results = await pool(
    names,
    jobs,
    async (name): Promise<ExampleRecord | null> => {
      const script = join(examplesDir, `${name}.ts`);
      const old = previousByName.get(name);
      let parsed: ParsedExample;
      try {
        parsed = parseExample(await Deno.readTextFile(script));
      } catch (error) {
        const record = parseFailureRecord(name, error, synthetic, environment);
        log(progressLine(name, "FAILED", record));
        return record;
      }
      parsedByName.set(name, parsed);
      // With --only, the other examples keep their recorded pages, or stay out if never built.
      if (!selected.includes(name)) return old ?? null;
      const key = await exampleKey(root, script, parsed, synthetic);
      const outputExists = (path: string) => {
        try {
          return Deno.statSync(join(siteDir, path)).isFile;
        } catch {
          return false;
        }
      };
      if (
        old &&
        !mustRun(
          { key: old.key, ok: old.ok, outputs: recordedOutputs(old) },
          key,
          force,
          outputExists,
        )
      ) {
        log(progressLine(name, "cached", old));
        return old;
      }
      const finalDir = join(siteDir, outputFolder(name));
      const tempDir = join(
        siteDir,
        "outputs",
        `.${name}.${crypto.randomUUID().slice(0, 8)}.tmp`,
      );
      const record = await runToRecord({
        root,
        script,
        name,
        parsed,
        outDir: tempDir,
        synthetic,
        timeoutSeconds,
        key,
        environment,
      });
      await Deno.remove(finalDir, { recursive: true }).catch(() => {});
      await Deno.rename(tempDir, finalDir);
      const fixed = {
        ...record,
        command: record.command.map((arg) => arg.replaceAll(tempDir, finalDir)),
      };
      ran.push(name);
      log(progressLine(name, record.ok ? "ok" : "FAILED", fixed));
      return fixed;
    },
  );

  const records = results.filter((record): record is ExampleRecord =>
    record !== null
  );
  const build: BuildRecord = {
    format: BUILD_FORMAT,
    version: BUILD_VERSION,
    builtAt: new Date().toISOString(),
    buildSeconds: (performance.now() - t0) / 1000,
    synthetic,
    environment,
    examples: records,
  };
  await writeSite(
    build,
    parsedByName,
    examplesDir,
    siteDir,
    options.benchDir ?? join(root, "bench", "results"),
  );
  return {
    build,
    failed: records.filter((r) => !r.ok).map((r) => r.name),
    ran,
  };
}

async function writeSite(
  build: BuildRecord,
  parsedByName: ReadonlyMap<string, ParsedExample>,
  examplesDir: string,
  siteDir: string,
  benchDir: string,
): Promise<void> {
  for await (const entry of Deno.readDir(STATIC_DIR)) {
    if (entry.isFile) {
      await writeFileAtomic(
        join(siteDir, "static", entry.name),
        await Deno.readFile(join(STATIC_DIR, entry.name)),
      );
    }
  }
  for (const record of build.examples) {
    const source = await readTextOr(join(examplesDir, `${record.name}.ts`), "");
    await writeFileAtomic(join(siteDir, sourceFile(record.name)), source);
    const parsed = parsedByName.get(record.name) ??
      {
        title: record.title,
        summary: record.summary,
        intro: "",
        permissions: [],
        datasets: [],
        cells: [],
      };
    const views = new Map<string, string>();
    for (const file of record.cells.flatMap((c) => c.files)) {
      if (file.kind !== "view") continue;
      const text = await readTextOr(
        join(siteDir, outputFolder(record.name), file.name),
        "",
      );
      if (text) views.set(file.name, text);
    }
    await writeFileAtomic(
      join(siteDir, examplePage(record.name)),
      renderExamplePage(record, parsed, views),
    );
  }
  await writeFileAtomic(join(siteDir, "index.html"), renderIndex(build));
  await writeFileAtomic(
    join(siteDir, "times.html"),
    renderTimesPage(build, await readBenchResults(benchDir)),
  );
  await writeFileAtomic(
    join(siteDir, "build.json"),
    JSON.stringify(build, null, 1) + "\n",
  );
}

/** One difference found by the reproducibility check. */
export interface CheckDifference {
  readonly example: string;
  /** Code cell index, or -1 for the example as a whole. */
  readonly cell: number;
  readonly what: string;
  readonly old: string;
  readonly new: string;
}

/**
 * Compares a fresh run with its record: status, each cell's printed output
 * (numbers within `rtol`, other text exactly) and each output file by sha256,
 * including PNG payloads embedded in SVGs.
 *
 * @example
 * ```ts
 * import { compareRecords } from "./build.ts";
 *
 * const cell = { codeIndex: 0, stdout: "x = 1\n", stderr: "", files: [], seconds: 0 };
 * const record = { name: "a", ok: true, cells: [cell] };
 * console.log(compareRecords(record, { ...record, cells: [{ ...cell, stdout: "x = 2\n" }] }).length); // 1
 * ```
 */
export function compareRecords(
  old: Pick<ExampleRecord, "name" | "ok" | "cells">,
  fresh: Pick<ExampleRecord, "name" | "ok" | "cells">,
  rtol: number = DEFAULT_RELATIVE_TOLERANCE,
): CheckDifference[] {
  const differences: CheckDifference[] = [];
  const add = (cell: number, what: string, a: string, b: string) =>
    differences.push({ example: old.name, cell, what, old: a, new: b });
  if (old.ok !== fresh.ok) {
    add(-1, "status", old.ok ? "ok" : "failed", fresh.ok ? "ok" : "failed");
  }
  const freshCells = new Map(fresh.cells.map((c) => [c.codeIndex, c]));
  const indexes = new Set([
    ...old.cells.map((c) => c.codeIndex),
    ...fresh.cells.map((c) => c.codeIndex),
  ]);
  for (const index of [...indexes].sort((a, b) => a - b)) {
    const a = old.cells.find((c) => c.codeIndex === index);
    const b = freshCells.get(index);
    if (!a || !b) {
      add(index, "cell", a ? "present" : "absent", b ? "present" : "absent");
      continue;
    }
    for (const d of compareOutput(a.stdout, b.stdout, rtol)) {
      add(index, `output line ${d.line}`, d.old ?? "(none)", d.new ?? "(none)");
    }
    const filesA = new Map(a.files.map((f) => [f.name, f]));
    const filesB = new Map(b.files.map((f) => [f.name, f]));
    for (
      const name of [...new Set([...filesA.keys(), ...filesB.keys()])].sort()
    ) {
      const fa = filesA.get(name);
      const fb = filesB.get(name);
      if (!fa || !fb) {
        add(
          index,
          `file ${name}`,
          fa ? fa.sha256 : "(absent)",
          fb ? fb.sha256 : "(absent)",
        );
        continue;
      }
      if (fa.sha256 === fb.sha256) continue;
      const pngCount = Math.max(
        fa.embeddedPngSha256.length,
        fb.embeddedPngSha256.length,
      );
      const changedPngs = Array.from({ length: pngCount }, (_, i) => i).filter((
        i,
      ) => fa.embeddedPngSha256[i] !== fb.embeddedPngSha256[i]);
      for (const i of changedPngs) {
        add(
          index,
          `file ${name} embedded PNG #${i + 1}`,
          fa.embeddedPngSha256[i] ?? "(absent)",
          fb.embeddedPngSha256[i] ?? "(absent)",
        );
      }
      if (changedPngs.length === 0) {
        add(index, `file ${name}`, fa.sha256, fb.sha256);
      }
    }
  }
  return differences;
}

/**
 * Re-runs every recorded example (or those in `only`) into a temporary folder and compares.
 *
 * @example
 * ```ts
 * import { checkGallery } from "./build.ts";
 *
 * const site = await Deno.makeTempDir();
 * const options = { root: ".", examplesDir: ".", siteDir: site, synthetic: true, only: [], jobs: 1, force: false, timeoutSeconds: 60, log: () => {} };
 * console.log(await checkGallery(options).catch((e) => e.message.startsWith("no build record"))); // true
 * await Deno.remove(site, { recursive: true });
 * ```
 */
export async function checkGallery(
  options: BuildOptions,
): Promise<CheckDifference[]> {
  const recorded = await readBuildRecord(options.siteDir);
  if (!recorded) {
    throw new Error(
      `no build record at ${
        join(options.siteDir, "build.json")
      }; build the gallery first`,
    );
  }
  const environment = await recordEnvironment(options.root);
  const selected = recorded.examples.filter((e) =>
    !options.only.length || options.only.includes(e.name)
  );
  const scratch = await Deno.makeTempDir({ prefix: "stria-gallery-check-" });
  try {
    const differences = await pool(selected, options.jobs, async (old) => {
      const script = join(options.examplesDir, `${old.name}.ts`);
      let parsed: ParsedExample;
      try {
        parsed = parseExample(await Deno.readTextFile(script));
      } catch (error) {
        return [{
          example: old.name,
          cell: -1,
          what: "parse",
          old: "parsed",
          new: String(error),
        }];
      }
      const fresh = await runToRecord({
        root: options.root,
        script,
        name: old.name,
        parsed,
        outDir: join(scratch, old.name),
        synthetic: old.synthetic,
        timeoutSeconds: options.timeoutSeconds,
        key: old.key,
        environment,
      });
      const found = compareRecords(old, fresh);
      options.log(
        progressLine(old.name, found.length ? "DIFFERS" : "same", fresh),
      );
      return found;
    });
    return differences.flat();
  } finally {
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
}

const USAGE = `Usage: deno task gallery [options]

Builds the static gallery site from the literate scripts in examples/.

  --synthetic      pass --synthetic to every example (the datasets' stand-ins)
  --only NAME      build only examples/NAME.ts (repeatable)
  --jobs N         run N examples at once (default 1)
  --force          re-run every example, ignoring the cache
  --check          re-run and compare with the recorded build (exit 1 on differences)
  --examples DIR   folder of example scripts (default examples)
  --site DIR       output folder (default gallery/site)
  --timeout S      kill an example after S seconds (default 600)
  --help           show this text`;

if (import.meta.main) {
  let parsed;
  try {
    parsed = parseArgs({
      args: Deno.args,
      options: {
        help: { type: "boolean", default: false },
        synthetic: { type: "boolean", default: false },
        only: { type: "string", multiple: true, default: [] },
        jobs: { type: "string", default: "1" },
        force: { type: "boolean", default: false },
        check: { type: "boolean", default: false },
        examples: { type: "string", default: "examples" },
        site: { type: "string", default: "gallery/site" },
        timeout: { type: "string", default: "600" },
      },
    });
  } catch (error) {
    console.error(`gallery: ${(error as Error).message}\n\n${USAGE}`);
    Deno.exit(2);
  }
  const { values } = parsed;
  if (values.help) {
    console.log(USAGE);
    Deno.exit(0);
  }
  const jobs = Number(values.jobs);
  const timeoutSeconds = Number(values.timeout);
  if (!Number.isInteger(jobs) || jobs < 1) {
    console.error(
      `gallery: --jobs must be an integer >= 1, got ${
        JSON.stringify(values.jobs)
      }`,
    );
    Deno.exit(2);
  }
  if (!(timeoutSeconds > 0)) {
    console.error(
      `gallery: --timeout must be a number of seconds > 0, got ${
        JSON.stringify(values.timeout)
      }`,
    );
    Deno.exit(2);
  }
  const options: BuildOptions = {
    root: Deno.cwd(),
    examplesDir: resolve(values.examples),
    siteDir: resolve(values.site),
    synthetic: values.synthetic,
    only: values.only,
    jobs,
    force: values.force,
    timeoutSeconds,
    log: (line) => console.log(line),
  };
  if (values.check) {
    const differences = await checkGallery(options);
    for (const d of differences) {
      console.log(
        `${d.example}${
          d.cell >= 0 ? ` cell ${d.cell}` : ""
        }: ${d.what}\n  old: ${d.old}\n  new: ${d.new}`,
      );
    }
    if (differences.length) {
      const examples = [...new Set(differences.map((d) => d.example))];
      console.error(
        `gallery --check: ${differences.length} difference(s) in ${
          examples.join(", ")
        } (numbers compared with relative tolerance ${DEFAULT_RELATIVE_TOLERANCE})`,
      );
      Deno.exit(1);
    }
    console.log(
      "gallery --check: every example reproduces its recorded output and figures",
    );
  } else {
    const outcome = await buildGallery(options);
    const site = join(options.siteDir, "index.html");
    console.log(
      `built ${outcome.build.examples.length} examples (${outcome.ran.length} run, ${
        outcome.build.examples.length - outcome.ran.length
      } cached) in ${formatSeconds(outcome.build.buildSeconds)}: ${site}`,
    );
    if (outcome.failed.length) {
      console.error(
        `gallery: ${outcome.failed.length} example(s) failed: ${
          outcome.failed.join(", ")
        }`,
      );
      Deno.exit(1);
    }
  }
}
