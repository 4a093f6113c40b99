/**
 * Test helper: runs an example script on the synthetic stand-in in a
 * subprocess, as a user would, and returns what it printed.
 *
 * @module
 */

import assert from "node:assert/strict";

const examplePath = (name: string) =>
  new URL(`../examples/${name}.ts`, import.meta.url).pathname;

/** The flags of `examples/<name>.ts`'s `// @permissions` header line, `{out}` replaced by `outDir`. */
export async function declaredPermissions(
  name: string,
  outDir: string,
): Promise<string[]> {
  const source = await Deno.readTextFile(examplePath(name));
  const line = source.match(/^\/\/ @permissions (.+)$/m);
  assert.ok(line, `examples/${name}.ts declares its permissions`);
  return line[1].trim().split(/\s+/).map((flag) =>
    flag.replaceAll("{out}", outDir)
  );
}

/**
 * Runs `examples/<name>.ts --out <outDir> ...args` (default args:
 * `--synthetic`) with `permissions` (flags such as `--allow-read=DIR`),
 * without type-checking (the suite has type-checked it once).
 */
export async function runExample(
  name: string,
  outDir: string,
  permissions: readonly string[],
  args: readonly string[] = ["--synthetic"],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const example = examplePath(name);
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-check",
      ...permissions,
      example,
      "--out",
      outDir,
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code,
    stdout: decoder.decode(stdout),
    stderr: decoder.decode(stderr),
  };
}
