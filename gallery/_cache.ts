/**
 * Decides whether an example must run again: a content hash over the example,
 * the local modules it imports, the npm packages it resolves, the Deno
 * configuration and lock files it runs with, the flags and the data it uses.
 *
 * @module
 */

import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { sha256Hex } from "./_outputs.ts";
import type { DatasetUse } from "./_record.ts";

/** Everything the cache key depends on. */
export interface CacheInputs {
  /** sha256 of each local module in the example's module graph (the example included), by path. */
  readonly modules: Readonly<Record<string, string>>;
  /** npm packages in the module graph, `name@version`. */
  readonly npmPackages: readonly string[];
  /** sha256 of each `deno.json`, `deno.jsonc` and `deno.lock` that may apply to the example, by path. */
  readonly configFiles: Readonly<Record<string, string>>;
  readonly synthetic: boolean;
  /** Per dataset named in the header: its registry sha256, or "synthetic". */
  readonly datasets: Readonly<Record<string, string>>;
  /** sha256 of the builder's runner and parser, so a change in how examples run re-runs them. */
  readonly runner: string;
}

/**
 * The cache key: sha256 of the inputs as canonical JSON (sorted keys).
 *
 * @example
 * ```ts
 * import { cacheKey } from "./_cache.ts";
 *
 * const inputs = { modules: { "a.ts": "00" }, npmPackages: [], configFiles: {}, synthetic: true, datasets: {}, runner: "r" };
 * console.log((await cacheKey(inputs)).length); // 64
 * ```
 */
export async function cacheKey(inputs: CacheInputs): Promise<string> {
  const sortKeys = (record: Readonly<Record<string, string>>) =>
    Object.fromEntries(
      Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  return await sha256Hex(JSON.stringify({
    modules: sortKeys(inputs.modules),
    npmPackages: [...inputs.npmPackages].sort(),
    configFiles: sortKeys(inputs.configFiles),
    synthetic: inputs.synthetic,
    datasets: sortKeys(inputs.datasets),
    runner: inputs.runner,
  }));
}

/** What a previous build recorded about an example, as far as caching is concerned. */
export interface CachedRecord {
  readonly key: string;
  readonly ok: boolean;
  /** Output files the record refers to, relative to the site. */
  readonly outputs: readonly string[];
}

/**
 * Whether an example must run: always with `force`; otherwise when there is no
 * record, the key changed, the last run failed (failures may be transient, so
 * they are never cached), or a recorded output file is missing.
 *
 * @example
 * ```ts
 * import { mustRun } from "./_cache.ts";
 *
 * console.log(mustRun({ key: "k", ok: true, outputs: [] }, "k", false, () => true)); // false
 * console.log(mustRun({ key: "k", ok: true, outputs: [] }, "other", false, () => true)); // true
 * ```
 */
export function mustRun(
  previous: CachedRecord | undefined,
  key: string,
  force: boolean,
  outputExists: (path: string) => boolean,
): boolean {
  if (force || previous === undefined) return true;
  if (previous.key !== key || !previous.ok) return true;
  return !previous.outputs.every(outputExists);
}

/**
 * The local module files and npm packages in a script's module graph, from `deno info --json`.
 *
 * @example
 * ```ts
 * import { moduleGraph } from "./_cache.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.ts`, "export const a = 1;\n");
 * const graph = await moduleGraph(`${dir}/a.ts`, dir);
 * console.log(graph.files.length, graph.npmPackages); // 1 []
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function moduleGraph(
  script: string,
  cwd: string,
): Promise<{ files: string[]; npmPackages: string[] }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", script],
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  if (!output.success) {
    throw new Error(
      `deno info failed for ${script}: ${
        new TextDecoder().decode(output.stderr).trim()
      }`,
    );
  }
  const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    modules: { specifier: string; local?: string }[];
    npmPackages?: Record<string, unknown>;
  };
  const files = info.modules
    .filter((module) => module.specifier.startsWith("file://"))
    .map((module) => fileURLToPath(module.specifier))
    .sort();
  return { files, npmPackages: Object.keys(info.npmPackages ?? {}).sort() };
}

/** The builder's files that decide how an example runs and what is recorded of it. */
const RUNNER_FILES = [
  "_run.ts",
  "_parse.ts",
  "_outputs.ts",
  "_example_record.ts",
].map((name) => new URL(name, import.meta.url));

/**
 * The Deno configuration and lock files that may apply to `script`: each
 * `deno.json`, `deno.jsonc` and `deno.lock` in its folder and the folders
 * above it up to `root` (`deno run` looks for a configuration from the
 * script's folder up; tasks and tools from the working folder, `root`).
 */
async function configFiles(script: string, root: string): Promise<string[]> {
  const top = resolve(root);
  const folders = [top];
  if (!relative(top, resolve(script)).startsWith("..")) {
    for (
      let folder = dirname(resolve(script));
      folder !== top;
      folder = dirname(folder)
    ) folders.push(folder);
  }
  const found: string[] = [];
  for (const folder of folders) {
    for (const name of ["deno.json", "deno.jsonc", "deno.lock"]) {
      const path = join(folder, name);
      if (await Deno.stat(path).then((info) => info.isFile, () => false)) {
        found.push(path);
      }
    }
  }
  return found;
}

/** sha256 of each file, by its path relative to `root` (absolute when outside). */
async function fileHashes(
  files: readonly string[],
  root: string,
): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const file of files) {
    hashes[file.startsWith(root + "/") ? file.slice(root.length + 1) : file] =
      await sha256Hex(await Deno.readFile(file));
  }
  return hashes;
}

/**
 * The cache key of one example (see {@linkcode cacheKey}): hashes every local
 * module in its module graph (the example and everything it imports,
 * transitively, as `deno info` resolves it from `root`), the npm packages in
 * that graph, the configuration and lock files that may apply (`deno.json`,
 * `deno.jsonc`, `deno.lock` in `root` and in the folders from `root` down to
 * the example's), the flag, the datasets and the builder's runner files.
 *
 * @example
 * ```ts
 * import { exampleKey } from "./_cache.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/lib.ts`, "export const a = 1;\n");
 * await Deno.writeTextFile(`${dir}/ex.ts`, 'import { a } from "./lib.ts";\nconsole.log(a);\n');
 * const before = await exampleKey(dir, `${dir}/ex.ts`, [], true);
 * await Deno.writeTextFile(`${dir}/lib.ts`, "export const a = 2;\n");
 * const after = await exampleKey(dir, `${dir}/ex.ts`, [], true);
 * if (before === after) throw new Error("an imported module is not in the key");
 * console.log(before !== after); // true
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function exampleKey(
  root: string,
  script: string,
  datasets: readonly DatasetUse[],
  synthetic: boolean,
): Promise<string> {
  const graph = await moduleGraph(script, root);
  const runner = await sha256Hex(
    (await Promise.all(RUNNER_FILES.map((url) => Deno.readTextFile(url))))
      .join("\n"),
  );
  return await cacheKey({
    modules: await fileHashes(graph.files, root),
    npmPackages: graph.npmPackages,
    configFiles: await fileHashes(await configFiles(script, root), root),
    synthetic,
    datasets: Object.fromEntries(
      datasets.map((d) => [d.name, synthetic ? "synthetic" : d.sha256]),
    ),
    runner,
  });
}
