// The examples' shared command line, where examples differed: `--channel` on a file
// with one channel, or on a file with several but none picked, or out of range, is the
// same usage error (exit 2, usage, no stack trace) in the in-memory and out-of-core
// examples; a file the reader refuses is named once in the message; and a notebook of a
// synthetic build sets the very variable the examples read (the name is written twice,
// in gallery/_notebook.ts and examples/_example_cli.ts).
import assert from "node:assert/strict";
import { join } from "node:path";
import { ndarray, writeTiff } from "../mod.ts";
import { SYNTHETIC_VARIABLE } from "../examples/_example_cli.ts";
import { exampleNotebook } from "../gallery/_notebook.ts";
import { parseExample } from "../gallery/_parse.ts";
import {
  inTempDir,
  runDeclared,
  STACK_FRAME,
  writeOmeStack,
} from "./_example_inputs.ts";

/** A single-channel ZYX OME-TIFF of 6 x 24 x 24 with a bright column. */
async function writeGreyStack(dir: string): Promise<string> {
  const [planes, rows, cols] = [6, 24, 24];
  const stack = ndarray(new Uint16Array(planes * rows * cols), [
    planes,
    rows,
    cols,
  ]);
  for (let z = 0; z < planes; z++) {
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        stack.set(z, y, x, y === 12 && x === 11 ? 3000 - 100 * z : 100);
      }
    }
  }
  const path = join(dir, "grey.ome.tif");
  await writeTiff(path, stack, {
    axes: "ZYX",
    ome: true,
    metadata: { physicalSizes: { Z: 2, Y: 0.5, X: 0.5 }, physicalUnit: "µm" },
  });
  return path;
}

function assertUsageError(
  run: { code: number; stderr: string },
  message: string,
) {
  assert.equal(run.code, 2, run.stderr);
  assert.ok(run.stderr.includes(message), run.stderr);
  assert.ok(run.stderr.includes("Usage: deno run"), "usage follows");
  assert.doesNotMatch(run.stderr, STACK_FRAME);
}

Deno.test("examples/out_of_core.ts: a missing or out-of-range --channel is a usage error (exit 2), as in the other examples", async () => {
  await inTempDir(async (dir) => {
    const input = await writeOmeStack(dir, [4, 16, 16], [8, 8]);
    const out = join(dir, "out");
    await Deno.mkdir(out);
    assertUsageError(
      await runDeclared("out_of_core", out, ["--input", input]),
      "the file has 2 channels (axes ZCYX): choose one with --channel N",
    );
    assertUsageError(
      await runDeclared("out_of_core", out, [
        "--input",
        input,
        "--channel",
        "5",
      ]),
      "--channel N must be an integer in 0..1 for this 2-channel file, got 5",
    );
    // The in-memory example refuses the same command lines with the same exit code.
    assertUsageError(
      await runDeclared("anisotropy_3d", out, ["--input", input]),
      "pick one with --channel N (0 to 1)",
    );
  });
});

Deno.test("examples/anisotropy_3d.ts: --channel 0 picks the one channel of a file without a C axis, as out_of_core's reader does", async () => {
  await inTempDir(async (dir) => {
    const input = await writeGreyStack(dir);
    const out = join(dir, "out");
    await Deno.mkdir(out);
    const ok = await runDeclared("anisotropy_3d", out, [
      "--input",
      input,
      "--channel",
      "0",
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^data: .*grey\.ome\.tif \(your file\), axes ZYX/m);
    assertUsageError(
      await runDeclared("anisotropy_3d", out, [
        "--input",
        input,
        "--channel",
        "1",
      ]),
      `--channel 1: ${input} (axes ZYX) has a single channel (no C axis); only --channel 0 picks it`,
    );
  });
});

Deno.test("examples/anisotropy_3d.ts: a file the reader refuses is named once, exit 1, no stack trace", async () => {
  await inTempDir(async (dir) => {
    const missing = join(dir, "absent.tif");
    const out = join(dir, "out");
    await Deno.mkdir(out);
    const run = await runDeclared("anisotropy_3d", out, ["--input", missing]);
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stderr.split(missing).length - 1, 1, run.stderr);
    assert.doesNotMatch(run.stderr, STACK_FRAME);
  });
});

Deno.test("a synthetic build's notebook sets the variable examples/_example_cli.ts reads", () => {
  const notebook = JSON.parse(
    exampleNotebook(
      parseExample("// # T\n//\n// S.\nconsole.log(1);\n"),
      "file:///repo/examples/t.ts",
      true,
    ),
  );
  assert.ok(
    notebook.cells[1].source.join("").includes(
      `Deno.env.set("${SYNTHETIC_VARIABLE}", "1");`,
    ),
    notebook.cells[1].source.join(""),
  );
});
