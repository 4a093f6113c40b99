/**
 * Decides whether an example must run again: a content hash over the example,
 * the local modules it imports, the npm packages it resolves, `deno.lock`, the
 * flags and the data it uses.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { sha256Hex } from "./_outputs.ts";

/** Everything the cache key depends on. */
export interface CacheInputs {
  /** sha256 of each local module in the example's module graph (the example included), by path. */
  readonly modules: Readonly<Record<string, string>>;
  /** npm packages in the module graph, `name@version`. */
  readonly npmPackages: readonly string[];
  /** sha256 of `deno.lock`, or "none". */
  readonly lockfile: string;
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
 * const inputs = { modules: { "a.ts": "00" }, npmPackages: [], lockfile: "none", synthetic: true, datasets: {}, runner: "r" };
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
    lockfile: inputs.lockfile,
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
