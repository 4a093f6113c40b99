// examples/out_of_core.ts on a volume of one block (a small --input, or a --crop): the
// slab check cannot straddle a block boundary, and the printed text must not claim one.
import assert from "node:assert/strict";
import { join } from "node:path";
import { inTempDir, runDeclared, writeOmeStack } from "./_example_inputs.ts";

Deno.test("examples/out_of_core.ts: a volume of one block says it has no block boundary", async () => {
  await inTempDir(async (dir) => {
    const input = await writeOmeStack(dir, [6, 16, 16], [8, 8]);
    const out = join(dir, "out");
    await Deno.mkdir(out);
    const run = await runDeclared("out_of_core", out, [
      "--input",
      input,
      "--channel",
      "1",
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      /^blockPlanes: 16, 1 block, each reading up to 6 planes$/m,
    );
    assert.match(
      run.stdout,
      /^measured: time [\d.]+ s for 6 planes \(1 block\)$/m,
    );
    assert.match(
      run.stdout,
      /^slab: planes 4 to 5 \(one block: no block boundary in the volume\), /m,
    );
    assert.doesNotMatch(run.stdout, /block boundary at plane/);
  });
});
