/**
 * Rebuilding a gallery: a change in a library module an example imports
 * re-runs it (and nothing else does), and a rebuild that fails part-way
 * through writing leaves the previous site as it was.
 */

import { assert, assertEquals } from "./_gallery_assert.ts";
import { join } from "node:path";
import { buildGallery, type BuildOptions } from "../gallery/build.ts";
import { temporaryFilesIn, withFailingWrites } from "./_write_faults.ts";

const EXAMPLE = `// # Tiny
//
// Prints a library value and writes one figure.
//
// @permissions --allow-write={out}

import { VALUE } from "../mod.ts";

const out = Deno.args[Deno.args.indexOf("--out") + 1];
Deno.writeTextFileSync(
  \`\${out}/value.svg\`,
  \`<svg xmlns="http://www.w3.org/2000/svg"><title>Value \${VALUE}</title></svg>\`,
);
console.log("value:", VALUE);
`;

/**
 * A tiny repository in a temporary folder: `lib/value.ts`, re-exported by
 * `mod.ts`, imported by `examples/tiny.ts`; the site goes to `site/`.
 */
async function tinyRepository(): Promise<
  { root: string; options: (overrides?: Partial<BuildOptions>) => BuildOptions }
> {
  const root = await Deno.makeTempDir({ prefix: "stria-gallery-rebuild-" });
  await Deno.mkdir(join(root, "lib"));
  await Deno.mkdir(join(root, "examples"));
  await Deno.writeTextFile(
    join(root, "lib/value.ts"),
    "export const VALUE = 1;\n",
  );
  await Deno.writeTextFile(
    join(root, "mod.ts"),
    'export { VALUE } from "./lib/value.ts";\n',
  );
  await Deno.writeTextFile(join(root, "examples/tiny.ts"), EXAMPLE);
  return {
    root,
    options: (overrides = {}) => ({
      root,
      examplesDir: join(root, "examples"),
      siteDir: join(root, "site"),
      synthetic: true,
      only: [],
      jobs: 1,
      force: false,
      timeoutSeconds: 60,
      log: () => {},
      benchDir: join(root, "no-bench"),
      ...overrides,
    }),
  };
}

Deno.test("a change in a library module the example imports through ../mod.ts, or in its Deno configuration, re-runs it; no change does not", async () => {
  const { root, options } = await tinyRepository();
  try {
    const first = await buildGallery(options());
    assertEquals(first.ran, ["tiny"]);
    assertEquals(first.build.examples[0].cells[0].stdout, "value: 1\n");

    const unchanged = await buildGallery(options());
    assertEquals(unchanged.ran, [], "nothing changed: taken from the cache");
    assertEquals(unchanged.build.examples[0].cells[0].stdout, "value: 1\n");
    assertEquals(
      await Deno.readTextFile(join(root, "site/outputs/tiny/value.svg")),
      '<svg xmlns="http://www.w3.org/2000/svg"><title>Value 1</title></svg>',
      "a cached example keeps its outputs in the new site",
    );

    await Deno.writeTextFile(
      join(root, "lib/value.ts"),
      "export const VALUE = 2;\n",
    );
    const edited = await buildGallery(options());
    assertEquals(edited.ran, ["tiny"], "lib/value.ts changed: re-run");
    assertEquals(edited.build.examples[0].cells[0].stdout, "value: 2\n");

    // deno run takes the configuration (and its lock file) from the script's folder up.
    await Deno.writeTextFile(join(root, "examples/deno.json"), "{}\n");
    const configured = await buildGallery(options());
    assertEquals(configured.ran, ["tiny"], "examples/deno.json added: re-run");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

/**
 * Total size of the site's files outside `outputs/` and `api/` (which
 * `deno doc` writes from its own process): about what a rebuild writes
 * through `Deno.FsFile`.
 */
async function pageBytes(site: string, folder = site): Promise<number> {
  let total = 0;
  for await (const entry of Deno.readDir(folder)) {
    const path = join(folder, entry.name);
    if (
      entry.isDirectory &&
      ![join(site, "outputs"), join(site, "api")].includes(path)
    ) {
      total += await pageBytes(site, path);
    } else if (entry.isFile) total += (await Deno.stat(path)).size;
  }
  return total;
}

Deno.test("a rebuild that fails mid-write keeps the previous site's files and leaves no temporary file or folder", async () => {
  const { root, options } = await tinyRepository();
  const site = join(root, "site");
  const kept = [
    "index.html",
    "tiny.html",
    "build.json",
    "outputs/tiny/value.svg",
  ];
  try {
    await buildGallery(options());
    const before = await Promise.all(
      kept.map((path) => Deno.readFile(join(site, path))),
    );
    const total = await pageBytes(site);
    // Fail at the first byte, halfway and near the end (build.json is written last).
    for (const allowed of [0, Math.floor(total / 2), Math.floor(total * 0.9)]) {
      // --force re-runs the example, so every page of the rebuild differs from the old one.
      const { failures, error } = await withFailingWrites(
        allowed,
        () => buildGallery(options({ force: true })),
      );
      assert(
        failures > 0,
        `no write failed at ${allowed} bytes: the site is not written through Deno.FsFile`,
      );
      assert(error instanceof Error, `the rebuild rejects (${allowed} bytes)`);
      assert(
        error.message.includes(site) &&
          error.message.includes("No space left on device"),
        error.message,
      );
      for (const [i, path] of kept.entries()) {
        assertEquals(
          await Deno.readFile(join(site, path)),
          before[i],
          `${path} is unchanged after a failure at ${allowed} bytes`,
        );
      }
      for (const folder of [root, site, join(site, "outputs")]) {
        assertEquals(await temporaryFilesIn(folder), [], folder);
      }
    }
    assertEquals((await buildGallery(options({ force: true }))).ran, ["tiny"]);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
