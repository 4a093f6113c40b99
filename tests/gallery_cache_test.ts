import { assertEquals } from "./_gallery_assert.ts";
import { join } from "node:path";
import {
  type CacheInputs,
  cacheKey,
  moduleGraph,
  mustRun,
} from "../gallery/_cache.ts";

const BASE: CacheInputs = {
  modules: { "examples/a.ts": "11", "lib/x.ts": "22" },
  npmPackages: ["ndarray@1.1.1"],
  configFiles: { "deno.lock": "33" },
  synthetic: false,
  datasets: { kidney: "80c0" },
  runner: "44",
};

Deno.test("cacheKey is stable under reordering and changes with every input", async () => {
  const key = await cacheKey(BASE);
  assertEquals(
    await cacheKey({
      ...BASE,
      modules: { "lib/x.ts": "22", "examples/a.ts": "11" },
    }),
    key,
  );
  const variants: CacheInputs[] = [
    { ...BASE, modules: { ...BASE.modules, "lib/x.ts": "23" } },
    { ...BASE, modules: { ...BASE.modules, "lib/y.ts": "55" } },
    { ...BASE, npmPackages: ["ndarray@1.1.2"] },
    { ...BASE, configFiles: { "deno.lock": "34" } },
    { ...BASE, configFiles: { "deno.lock": "33", "examples/deno.lock": "35" } },
    { ...BASE, synthetic: true },
    { ...BASE, datasets: { kidney: "synthetic" } },
    { ...BASE, runner: "45" },
  ];
  const keys = await Promise.all(variants.map(cacheKey));
  assertEquals(new Set([key, ...keys]).size, variants.length + 1);
});

Deno.test("mustRun: reuse only a successful record with the same key and all outputs present", () => {
  const record = { key: "k", ok: true, outputs: ["outputs/a/fig.svg"] };
  const present = () => true;
  assertEquals(mustRun(record, "k", false, present), false);
  assertEquals(mustRun(record, "k", true, present), true, "--force");
  assertEquals(mustRun(undefined, "k", false, present), true, "no record");
  assertEquals(
    mustRun(record, "other", false, present),
    true,
    "changed inputs",
  );
  assertEquals(
    mustRun({ ...record, ok: false }, "k", false, present),
    true,
    "failures are not cached",
  );
  assertEquals(
    mustRun(record, "k", false, (path) => path !== "outputs/a/fig.svg"),
    true,
    "missing output",
  );
});

Deno.test("moduleGraph lists the local modules an example imports", async () => {
  const dir = await Deno.makeTempDir({ prefix: "stria-gallery-graph-" });
  try {
    await Deno.writeTextFile(join(dir, "helper.ts"), "export const two = 2;\n");
    await Deno.writeTextFile(
      join(dir, "main.ts"),
      'import { two } from "./helper.ts";\nconsole.log(two);\n',
    );
    const graph = await moduleGraph(join(dir, "main.ts"), dir);
    assertEquals(graph.files, [join(dir, "helper.ts"), join(dir, "main.ts")]);
    assertEquals(graph.npmPackages, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
