/**
 * The environment record printed in every page's footer and stored in
 * build.json: versions, commit, machine and npm dependencies.
 *
 * @module
 */

import { join } from "node:path";

/** Where and with what the gallery was built. */
export interface Environment {
  readonly striaVersion: string;
  /** `git rev-parse HEAD`, or "no commit". */
  readonly gitCommit: string;
  /** Whether the working tree differs from the commit. */
  readonly gitDirty: boolean;
  readonly deno: string;
  readonly v8: string;
  readonly typescript: string;
  readonly os: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cpuCount: number;
  /** Total memory in bytes, or null when unavailable. */
  readonly memoryBytes: number | null;
  /** npm packages the code names (deno.lock's specifiers), `name@version`. */
  readonly npmDirect: readonly string[];
  /** Every npm package pinned in deno.lock, dependencies included, `name@version`. */
  readonly npmPackages: readonly string[];
}

async function command(
  name: string,
  args: string[],
  cwd = ".",
): Promise<string | null> {
  try {
    const output = await new Deno.Command(name, {
      args,
      cwd,
      stdout: "piped",
      stderr: "null",
    }).output();
    return output.success
      ? new TextDecoder().decode(output.stdout).trim()
      : null;
  } catch {
    return null;
  }
}

async function readOr(path: string, fallback: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return fallback;
  }
}

/**
 * Records the environment of the repository at `root`.
 *
 * @example
 * ```ts
 * import { recordEnvironment } from "./_environment.ts";
 *
 * const env = await recordEnvironment(".");
 * console.log(env.deno === Deno.version.deno); // true
 * ```
 */
export async function recordEnvironment(root: string): Promise<Environment> {
  const config = JSON.parse(await readOr(join(root, "deno.json"), "{}"));
  const lock = JSON.parse(await readOr(join(root, "deno.lock"), "{}"));
  const commit = await command("git", ["rev-parse", "HEAD"], root);
  const status = await command("git", [
    "status",
    "--porcelain",
    "--untracked-files=no",
  ], root);
  // Deno reads /proc only with --allow-all; a subprocess needs just --allow-run.
  const cpuinfo = await command("cat", ["/proc/cpuinfo"]) ?? "";
  let memoryBytes: number | null = null;
  try {
    memoryBytes = Deno.systemMemoryInfo().total;
  } catch {
    memoryBytes = null;
  }
  return {
    striaVersion: String(config.version ?? "unknown"),
    gitCommit: commit ?? "no commit",
    // With no commit yet, everything in the tree is uncommitted.
    gitDirty: commit === null || (status ?? "") !== "",
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
    os: `${Deno.build.os} (${Deno.build.target})`,
    arch: Deno.build.arch,
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1].trim() ?? "unknown",
    cpuCount: navigator.hardwareConcurrency,
    memoryBytes,
    npmDirect: Object.keys(lock.specifiers ?? {})
      .filter((specifier) => specifier.startsWith("npm:"))
      .map((specifier) => specifier.slice(4))
      .sort(),
    npmPackages: Object.keys(lock.npm ?? {}).sort(),
  };
}
