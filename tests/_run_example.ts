/**
 * Test helper: runs an example script on the synthetic stand-in in a
 * subprocess, as a user would, and returns what it printed.
 *
 * @module
 */

/**
 * Runs `examples/<name>.ts --synthetic --out <outDir>` with `permissions`
 * (flags such as `--allow-read=DIR`), without type-checking (the suite has
 * type-checked it once).
 */
export async function runExample(
  name: string,
  outDir: string,
  permissions: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const example = new URL(`../examples/${name}.ts`, import.meta.url).pathname;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-check",
      ...permissions,
      example,
      "--synthetic",
      "--out",
      outDir,
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
