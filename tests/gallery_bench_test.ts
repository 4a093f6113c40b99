import { assert, assertEquals } from "./_gallery_assert.ts";
import assertModule from "node:assert/strict";
import { join, resolve } from "node:path";
import {
  readBenchResults,
  renderBenchChart,
  validateBenchResult,
} from "../gallery/_bench.ts";

const BENCH = resolve(import.meta.dirname!, "fixtures/gallery/bench");

Deno.test("readBenchResults reads stria-bench files and a missing folder gives none", async () => {
  const results = await readBenchResults(BENCH);
  assertEquals(
    results.map((r) => [r.title, r.series.map((s) => s.points.length)]),
    [
      ["structureTensor + eigenvalues, float64 (fixture)", [3, 3]],
    ],
  );
  assertEquals(await readBenchResults(join(BENCH, "missing")), []);
});

Deno.test("validateBenchResult names the file and the field that does not fit", () => {
  assertModule.throws(
    () => validateBenchResult({ format: "other" }, "a.json"),
    /a\.json: format must be "stria-bench" version 1/,
  );
  assertModule.throws(
    () =>
      validateBenchResult(
        {
          format: "stria-bench",
          version: 1,
          title: "t",
          series: [{
            name: "s",
            points: [{ shape: [1], voxels: 1, voxelsPerSecond: 0 }],
          }],
        },
        "b.json",
      ),
    /b\.json: series "s": each point needs shape, voxels > 0 and voxelsPerSecond > 0/,
  );
});

Deno.test("renderBenchChart draws one line per series on a log-scale volume axis", async () => {
  const [result] = await readBenchResults(BENCH);
  const svg = renderBenchChart(result);
  assertEquals(svg.match(/<path class="line/g)?.length, 2);
  assertEquals(
    svg.match(/<circle class="series-0"/g)?.length,
    4,
    "three points and a legend dot",
  );
  for (const tick of ["1k", "10k", "100k", "1M", "10M"]) {
    assert(svg.includes(`>${tick}</text>`), `x tick ${tick}`);
  }
  assert(svg.includes("voxels (log scale)"));
});
