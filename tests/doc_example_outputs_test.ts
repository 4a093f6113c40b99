/**
 * Every documentation example that prints says what it prints: a line
 * `console.log(...); // expected` in a JSDoc or README code block must print
 * `expected`. `deno test --doc` runs the blocks but never compares the
 * comments; this test runs each block with those calls recorded and compares
 * what they print with the comments (ignoring white space and quotes, which
 * a comment writes loosely: `[3, 5] "ZYX"` matches `[ 3, 5 ] ZYX`).
 *
 * @module
 */

import assert from "node:assert/strict";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** Where documented code lives: the library, its entry point, the gallery, the docs. */
const SOURCES = ["lib", "gallery", "mod.ts", "README.md", "docs"];
/** A printing line with its expected output: `console.log(args); // expected`. */
const PRINTING = /^(\s*)console\.log\((.*)\);?\s*\/\/\s*(.+)$/;

interface Example {
  file: string;
  line: number;
  code: string;
}

async function* filesUnder(path: string): AsyncGenerator<string> {
  const info = await Deno.stat(path);
  if (info.isFile) {
    if (/\.(ts|md)$/.test(path)) yield path;
    return;
  }
  for await (const entry of Deno.readDir(path)) {
    if (entry.name === "site" || entry.name.startsWith(".")) continue;
    yield* filesUnder(join(path, entry.name));
  }
}

/** The TypeScript code blocks of a file: in JSDoc comments (`.ts`) or Markdown. */
function examplesOf(file: string, text: string): Example[] {
  const lines = text.split("\n");
  const examples: Example[] = [];
  const prefix = file.endsWith(".md") ? /^/ : /^\s*\* ?/;
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i].replace(prefix, "");
    if (!/^```(ts|typescript)\s*$/.test(open)) continue;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const line = lines[j].replace(prefix, "");
      if (line.startsWith("```")) break;
      body.push(line);
    }
    examples.push({ file, line: i + 1, code: body.join("\n") });
    i = j;
  }
  return examples;
}

/** Loose equality of printed text: no white space, no quotes. */
function normalized(text: string): string {
  return text.replace(/[\s"'`]/g, "");
}

/**
 * The block with its relative imports made absolute and each printing line's
 * `console.log` replaced by a recorder; returns the expected outputs.
 */
function instrument(
  example: Example,
): { code: string; expected: string[] } {
  const base = pathToFileURL(dirname(example.file) + "/");
  const expected: string[] = [];
  const code = example.code.split("\n").map((line) => {
    const match = PRINTING.exec(line);
    if (match === null) return line;
    expected.push(match[3].trim());
    return `${match[1]}__record(${expected.length - 1}, ${match[2]});`;
  }).map((line) =>
    // Relative imports and `import.meta.url` as seen from the documented file.
    /^\s*(import\b|export\b|\})/.test(line)
      ? line.replace(
        /"(\.\.?\/[^"]+)"/,
        (_, path: string) => `"${new URL(path, base).href}"`,
      )
      : line.replaceAll(
        "import.meta.url",
        JSON.stringify(pathToFileURL(example.file).href),
      )
  ).join("\n");
  return { code, expected };
}

const examples: Example[] = [];
for (const source of SOURCES) {
  for await (const file of filesUnder(join(ROOT, source))) {
    const text = await Deno.readTextFile(file);
    examples.push(
      ...examplesOf(file, text).filter((e) =>
        /console\.log\(.*\/\//.test(e.code)
      ),
    );
  }
}

Deno.test("documentation examples print what their comments say", async () => {
  assert.ok(
    examples.length >= 40,
    `found ${examples.length} printing examples`,
  );
  const folder = await Deno.makeTempDir();
  const failures: string[] = [];
  const printed: string[] = [];
  const globals = globalThis as unknown as {
    __record: (index: number, ...args: unknown[]) => void;
  };
  globals.__record = (index, ...args) => {
    printed[index] = args.map((a) =>
      typeof a === "string" ? a : Deno.inspect(a, { depth: 8 })
    ).join(" ");
  };
  const cwd = Deno.cwd();
  try {
    Deno.chdir(ROOT);
    for (const [n, example] of examples.entries()) {
      const { code, expected } = instrument(example);
      const where = `${relative(ROOT, example.file)}:${example.line}`;
      const module = join(folder, `example_${n}.ts`);
      await Deno.writeTextFile(module, code);
      printed.length = 0;
      try {
        await import(pathToFileURL(module).href);
      } catch (error) {
        failures.push(`${where}: threw ${(error as Error).message}`);
        continue;
      }
      expected.forEach((want, i) => {
        const got = printed[i];
        if (got === undefined) {
          failures.push(`${where}: printing line ${i + 1} never ran`);
        } else if (normalized(got) !== normalized(want)) {
          failures.push(`${where}: printed ${got}, its comment says ${want}`);
        }
      });
    }
  } finally {
    Deno.chdir(cwd);
    await Deno.remove(folder, { recursive: true });
  }
  assert.deepEqual(failures, []);
});
