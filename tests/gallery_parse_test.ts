import { assert, assertEquals } from "./_gallery_assert.ts";
import assertModule from "node:assert/strict";
import { instrumentExample, parseExample } from "../gallery/_parse.ts";

const SOURCE = [
  "// # Estimate anisotropy",
  "//",
  "// One-line summary shown on the card,",
  "// continued on a second line.",
  "//",
  "// @permissions --allow-read --allow-write={out} --allow-net=gitlab.com",
  "// @dataset kidney",
  "//",
  "// An *introduction* paragraph.",
  "//",
  "// And a second one.",
  "",
  'import { parseArgs } from "node:util";',
  'const out = parseArgs({ args: Deno.args, options: { out: { type: "string" } } }).values.out;',
  "",
  "// %% [markdown]",
  "// ## Load",
  "//",
  "// Text about loading.",
  "",
  "// %% Load the image",
  "const a = 1;",
  "",
  "// %%",
  "console.log(a, out);",
  "",
].join("\n");

Deno.test("parseExample reads the header: title, summary, permissions, datasets, intro", () => {
  const parsed = parseExample(SOURCE);
  assertEquals(parsed.title, "Estimate anisotropy");
  assertEquals(
    parsed.summary,
    "One-line summary shown on the card, continued on a second line.",
  );
  assertEquals(parsed.permissions, [
    "--allow-read",
    "--allow-write={out}",
    "--allow-net=gitlab.com",
  ]);
  assertEquals(parsed.datasets, ["kidney"]);
  assertEquals(
    parsed.intro,
    "An *introduction* paragraph.\n\nAnd a second one.",
  );
});

Deno.test("parseExample splits setup, markdown and code cells with titles and lines", () => {
  const cells = parseExample(SOURCE).cells;
  assertEquals(cells.map((c) => [c.kind, c.title, c.line, c.codeIndex]), [
    ["code", "", 1, 0],
    ["markdown", "", 16, -1],
    ["code", "Load the image", 21, 1],
    ["code", "", 24, 2],
  ]);
  assertEquals(cells[1].text, "## Load\n\nText about loading.");
  assert(
    cells[0].text.startsWith("import { parseArgs }"),
    "the setup cell holds the code before the first marker",
  );
  assertEquals(cells[2].text, "const a = 1;");
});

Deno.test("parseExample: code right after a markdown cell starts an untitled code cell", () => {
  const cells = parseExample(
    "// # T\n//\n// S.\n// %% [markdown]\n// Prose.\nconst x = 1;\n",
  ).cells;
  assertEquals(cells.map((c) => [c.kind, c.text]), [["markdown", "Prose."], [
    "code",
    "const x = 1;",
  ]]);
});

Deno.test("parseExample rejects a missing title, unknown tags and indented markers", () => {
  assertModule.throws(
    () => parseExample("const a = 1;\n"),
    /must start with a "\/\/ # Title" line/,
  );
  assertModule.throws(
    () => parseExample("// # T\n// @permision --allow-read\n"),
    /unknown header tag @permision/,
  );
  assertModule.throws(
    () =>
      parseExample(
        "// # T\n//\n// S.\nif (true) {\n  // %% inside a block\n}\n",
      ),
    /line 5: cell markers must start at column 0/,
  );
});

Deno.test("instrumentExample adds one marker statement per code cell and keeps line numbers", () => {
  const parsed = parseExample(SOURCE);
  const instrumented = instrumentExample(SOURCE, parsed);
  const original = SOURCE.split("\n");
  const lines = instrumented.split("\n");
  assertEquals(lines.length, original.length);
  const changed = lines.map((line, i) => (line === original[i] ? -1 : i + 1))
    .filter((i) => i > 0);
  assertEquals(changed, [1, 21, 24]);
  for (const [line, index] of [[1, 0], [21, 1], [24, 2]]) {
    assert(
      lines[line - 1].includes(`stria-cell:${index}`),
      `line ${line} marks code cell ${index}`,
    );
    assert(
      lines[line - 1].endsWith(original[line - 1]),
      `line ${line} keeps its original text`,
    );
  }
});
