/**
 * The gallery's runner (gallery/_run.ts) records printed output with the
 * example's output folder written `{out}`: a build and its `--check` run
 * the example with different folders, and the pages must not show the
 * build machine's paths.
 */

import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { parseExample } from "../gallery/_parse.ts";
import { runExample } from "../gallery/_run.ts";

Deno.test("runExample writes the output folder as {out} in stdout and stderr", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const source = [
      "// # Out",
      "//",
      "// Prints where it writes.",
      "// @permissions --allow-write={out}",
      'const out = Deno.args[Deno.args.indexOf("--out") + 1];',
      "// %%",
      "console.log(`figures: written to ${out}`);",
      "console.error(`${out}/a.svg and ${out}/b.svg`);",
      "",
    ].join("\n");
    await Deno.writeTextFile(`${dir}/out_example.ts`, source);
    const outDir = `${dir}/site/outputs/out_example`;
    const result = await runExample({
      script: `${dir}/out_example.ts`,
      parsed: parseExample(source),
      outDir,
      synthetic: false,
      cwd: dir,
      timeoutSeconds: 60,
    });
    assertEquals(result.ok, true, result.cells.map((c) => c.stderr).join());
    const cell = result.cells.at(-1)!;
    assertEquals(cell.stdout, "figures: written to {out}\n");
    assertEquals(cell.stderr, "{out}/a.svg and {out}/b.svg\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
