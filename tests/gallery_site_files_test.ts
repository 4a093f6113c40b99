/**
 * The gallery's sphinx-gallery parity files, written by `writeSite` for one
 * example (no example is run: the record is made up): the notebook, the zip
 * of all examples, the API reference with code links and backreferences,
 * heading permalinks, the download note and the index's time and memory.
 */

import { assert, assertEquals } from "./_gallery_assert.ts";
import { join, resolve } from "node:path";
import { writeSite } from "../gallery/_site.ts";
import { parseExample } from "../gallery/_parse.ts";
import { recordEnvironment } from "../gallery/_environment.ts";
import { parseBuildArguments } from "../gallery/_options.ts";
import type { BuildRecord, ExampleRecord } from "../gallery/_record.ts";

const ROOT = resolve(import.meta.dirname!, "..");
const SOURCE_URL = "https://example.org/stria/";

const SCRIPT = `// # Largest values
//
// Finds the largest value of a small array.
//
// @permissions --allow-write={out}

import { formatShape, max as largest, ndarray } from "../mod.ts";
import { helper } from "./_helper.ts";

// %% [markdown]
// ## Make an array
//
// A *small* one.

// %% Make it
const a = ndarray(new Float64Array([1, 5, 2]), [3]);
console.log(formatShape(a.shape), Math.max(1, 2)); // formatShape, in a comment

// %% [markdown]
// ## Make an array
//
// Again, to test that permalink ids stay unique.

// %%
console.log(largest(a), { largest: 1 }, "largest", a.largest, helper.largest(a));
`;

const CELLS = [
  { codeIndex: 0, stdout: "", stderr: "", files: [], seconds: 0.1 },
  { codeIndex: 1, stdout: "(3)\n", stderr: "", files: [], seconds: 0.1 },
  { codeIndex: 2, stdout: "5\n", stderr: "", files: [], seconds: 0.1 },
];

async function unzip(path: string, into: string): Promise<string> {
  const result = await new Deno.Command("/usr/bin/python3", {
    args: ["-m", "zipfile", "-t", path],
  }).output();
  assert(
    result.success,
    `python's zipfile rejects the archive: ${
      new TextDecoder().decode(result.stderr)
    }`,
  );
  const extract = await new Deno.Command("/usr/bin/python3", {
    args: ["-m", "zipfile", "-e", path, into],
  }).output();
  assert(extract.success, new TextDecoder().decode(extract.stderr));
  return new TextDecoder().decode(result.stdout);
}

Deno.test("gallery site files: notebook, zip, API reference with code links and backreferences, permalinks", async (t) => {
  // The examples folder sits in the repository, as examples/ does, so its "../mod.ts" is the repository's.
  const examples = await Deno.makeTempDir({
    dir: ROOT,
    prefix: ".stria-gallery-site-files-",
  });
  const site = await Deno.makeTempDir({ prefix: "stria-gallery-site-files-" });
  try {
    await Deno.writeTextFile(join(examples, "largest.ts"), SCRIPT);
    const parsed = parseExample(SCRIPT);
    const environment = await recordEnvironment(ROOT);
    const record: ExampleRecord = {
      name: "largest",
      title: parsed.title,
      summary: parsed.summary,
      key: "",
      ok: true,
      exitCode: 0,
      timedOut: false,
      wallSeconds: 1.5,
      peakMemoryBytes: 50 * 1024 * 1024,
      memoryMethod: "GNU time %M",
      command: [],
      synthetic: true,
      datasets: [],
      dataLine: "",
      ranAt: "2026-12-01T12:00:00.000Z",
      environment,
      cells: CELLS,
    };
    const build: BuildRecord = {
      format: "stria-gallery-build",
      version: 1,
      builtAt: "",
      buildSeconds: 2,
      synthetic: true,
      environment,
      examples: [record],
    };
    await writeSite(build, site, {
      parsedByName: new Map([["largest", parsed]]),
      examplesDir: examples,
      benchDir: join(site, "no-bench"),
      root: ROOT,
      sourceUrl: SOURCE_URL,
    });
    const folder = examples.slice(ROOT.length + 1);
    const page = await Deno.readTextFile(join(site, "largest.html"));

    const notebookText = await Deno.readTextFile(
      join(site, "notebooks/largest.ipynb"),
    );
    await t.step(
      "the notebook: nbformat 4, Deno's kernel, prose as markdown, code as code, imports resolved",
      () => {
        const notebook = JSON.parse(notebookText);
        assertEquals([notebook.nbformat, notebook.metadata.kernelspec], [4, {
          name: "deno",
          display_name: "Deno",
          language: "typescript",
        }]);
        const cells = notebook.cells.map((
          c: { cell_type: string; source: string[] },
        ) => [c.cell_type, c.source.join("")]);
        assertEquals(cells, [
          [
            "markdown",
            "# Largest values\n\nFinds the largest value of a small array.",
          ],
          [
            "code",
            "// The gallery ran this example on the synthetic stand-in; remove this line for the real data.\n" +
            'Deno.env.set("STRIA_SYNTHETIC", "1");',
          ],
          [
            "code",
            `import { formatShape, max as largest, ndarray } from "${SOURCE_URL}mod.ts";\n` +
            `import { helper } from "${SOURCE_URL}${folder}/_helper.ts";`,
          ],
          ["markdown", "## Make an array\n\nA *small* one."],
          ["code", `// Make it\n${parsed.cells[2].text}`],
          [
            "markdown",
            "## Make an array\n\nAgain, to test that permalink ids stay unique.",
          ],
          ["code", parsed.cells[4].text],
        ]);
        assert(
          page.includes('href="notebooks/largest.ipynb"'),
          "the page links the notebook",
        );
      },
    );

    await t.step(
      "the zip holds every script (imports resolved) and notebook; python's zipfile accepts it",
      async () => {
        const out = await Deno.makeTempDir({ prefix: "stria-gallery-unzip-" });
        try {
          await unzip(join(site, "stria_examples.zip"), out);
          assertEquals(
            await Deno.readTextFile(join(out, "stria_examples/largest.ipynb")),
            notebookText,
          );
          const script = await Deno.readTextFile(
            join(out, "stria_examples/largest.ts"),
          );
          assertEquals(
            script,
            SCRIPT.replace('"../mod.ts"', `"${SOURCE_URL}mod.ts"`).replace(
              '"./_helper.ts"',
              `"${SOURCE_URL}${folder}/_helper.ts"`,
            ),
          );
          const index = await Deno.readTextFile(join(site, "index.html"));
          assert(
            index.includes('href="stria_examples.zip"'),
            "index links the zip",
          );
        } finally {
          await Deno.remove(out, { recursive: true });
        }
      },
    );

    await t.step(
      "code cells link the names imported from mod.ts to the API reference, which lists the examples using them",
      async () => {
        const links = [
          ...page.matchAll(/<a class="api-link" href="([^"]+)">([^<]+)<\/a>/g),
        ].map((m) => `${m[2]} -> ${m[1]}`);
        assertEquals([...new Set(links)].sort(), [
          "formatShape -> api/~/formatShape.html",
          "largest -> api/~/max.html",
          "ndarray -> api/~/ndarray.html",
        ]);
        // Each name in its import and its call; not in the key, the string, the properties, the comment, nor Math.max.
        const count = (name: string) =>
          links.filter((l) => l.startsWith(`${name} `)).length;
        assertEquals([count("largest"), count("formatShape")], [2, 2]);
        assert(
          (await Deno.stat(join(site, "api/index.html"))).isFile,
          "deno doc's index",
        );
        const max = await Deno.readTextFile(join(site, "api/~/max.html"));
        assert(
          max.includes(
            'Examples using <code>max</code></h2><ul><li><a href="../../largest.html">Largest values</a></li></ul>',
          ),
          "max's API page lists the example",
        );
        const sobel = await Deno.readTextFile(join(site, "api/~/sobel.html"));
        assert(
          !sobel.includes("stria-backreferences"),
          "an unused symbol has no backreferences",
        );
      },
    );

    await t.step(
      "the API reference links its sources under --source-url, never to the building machine's files",
      async () => {
        const max = await Deno.readTextFile(join(site, "api/~/max.html"));
        assert(
          max.includes(`href="${SOURCE_URL}lib/array/`),
          "max's page links its source file under the source URL",
        );
        for (const folder of ["api", "api/~"]) {
          for await (const entry of Deno.readDir(join(site, folder))) {
            if (!entry.name.endsWith(".html")) continue;
            const html = await Deno.readTextFile(
              join(site, folder, entry.name),
            );
            assert(
              !/href="file:/.test(html),
              `${folder}/${entry.name} links a file: URL`,
            );
          }
        }
      },
    );

    await t.step(
      "headings have unique permalinks; the note at the top leads to the downloads; the index shows time and memory",
      async () => {
        const headings = [...page.matchAll(/<h([23]) id="([^"]+)">/g)].map((
          m,
        ) => m[2]);
        assertEquals(headings, [
          "make-an-array",
          "make-an-array-2",
          "downloads-2",
          "environment",
        ]);
        for (const id of headings) {
          assert(
            page.includes(`<a class="headerlink" href="#${id}"`),
            `permalink to #${id}`,
          );
        }
        assert(
          page.indexOf('class="download-note"') <
              page.indexOf('id="make-an-array"') &&
            page.includes('<a href="#downloads">Go to the end</a>') &&
            page.includes('<section class="downloads" id="downloads">'),
          "the note at the top links to the downloads",
        );
        const index = await Deno.readTextFile(join(site, "index.html"));
        assert(index.includes("1.50 s · peak memory 50.0 MiB"), "card meta");
      },
    );
  } finally {
    await Deno.remove(examples, { recursive: true });
    await Deno.remove(site, { recursive: true });
  }
});

Deno.test("gallery --source-url: an absolute URL, named in the error otherwise", () => {
  const command = parseBuildArguments(
    ["--source-url", SOURCE_URL],
    "/repo",
    () => {},
  );
  assertEquals(
    command.kind === "build" && command.options.sourceUrl,
    SOURCE_URL,
  );
  let message = "";
  try {
    parseBuildArguments(["--source-url", "stria/"], "/repo", () => {});
  } catch (error) {
    message = (error as Error).message;
  }
  assertEquals(
    message,
    '--source-url must be an absolute URL, got "stria/"',
  );
});
