/**
 * An example as a Jupyter notebook (nbformat 4) for Deno's kernel: the
 * header and markdown cells as markdown, the code cells as code, with the
 * example's relative imports resolved to absolute URLs so the notebook runs
 * wherever it is opened.
 *
 * @module
 */

import type { ParsedExample } from "./_parse.ts";

/** The variable that selects the datasets' synthetic stand-ins (notebooks have no command line). */
export const SYNTHETIC_VARIABLE = "STRIA_SYNTHETIC";

// `from "./x.ts"`, `import "./x.ts"` and `import("./x.ts")`: the specifier is group 3.
const RELATIVE_SPECIFIER =
  /\b(from|import)(\s*\(?\s*)(["'])(\.\.?\/[^"'\n]*)\3/g;

/**
 * `code` with every relative module specifier resolved against `moduleUrl`
 * (the URL the example's own file would have), so it imports the same
 * modules from anywhere.
 *
 * @example
 * ```ts
 * import { resolveRelativeImports } from "./_notebook.ts";
 *
 * const code = 'import { kidney } from "../mod.ts";\nconst m = await import("./_cli.ts");';
 * const [first, second] = resolveRelativeImports(code, "https://example.org/stria/examples/a.ts").split("\n");
 * if (!second.includes('import("https://example.org/stria/examples/_cli.ts")')) throw new Error(second);
 * console.log(first); // import { kidney } from "https://example.org/stria/mod.ts";
 * ```
 */
export function resolveRelativeImports(
  code: string,
  moduleUrl: string,
): string {
  return code.replace(
    RELATIVE_SPECIFIER,
    (_, keyword, gap, quote, specifier) =>
      `${keyword}${gap}${quote}${new URL(specifier, moduleUrl).href}${quote}`,
  );
}

/** One notebook cell's JSON. */
interface NotebookCell {
  readonly cell_type: "markdown" | "code";
  readonly id: string;
  readonly metadata: Record<string, never>;
  readonly source: string[];
  readonly execution_count?: null;
  readonly outputs?: never[];
}

/** Notebook `source`: the text as lines, each but the last keeping its newline. */
function sourceLines(text: string): string[] {
  return text.split(/(?<=\n)/);
}

/**
 * The notebook of an example, as nbformat 4 JSON text: a markdown cell with
 * the title, summary and introduction, then the example's cells in order
 * as the page shows them (code cells with their title as a first comment line
 * and relative imports resolved against `moduleUrl`). With `synthetic`, a first code cell sets
 * {@linkcode SYNTHETIC_VARIABLE} so the notebook uses the stand-ins, as the
 * gallery build did.
 *
 * @example
 * ```ts
 * import { exampleNotebook } from "./_notebook.ts";
 * import { parseExample } from "./_parse.ts";
 *
 * const parsed = parseExample('// # Hi\n//\n// Says hi.\nimport { max } from "../mod.ts";\n// %% [markdown]\n// Some *prose*.\n// %% Greet\nconsole.log("hi");\n');
 * const notebook = JSON.parse(exampleNotebook(parsed, "file:///repo/examples/hi.ts", false));
 * const kinds = notebook.cells.map((c: { cell_type: string }) => c.cell_type);
 * if (kinds.join() !== "markdown,code,markdown,code") throw new Error(kinds.join());
 * console.log(notebook.metadata.kernelspec.name, kinds); // deno ["markdown", "code", "markdown", "code"]
 * console.log(notebook.cells[1].source); // ['import { max } from "file:///repo/mod.ts";']
 * console.log(notebook.cells[3].source); // ["// Greet\n", 'console.log("hi");']
 * ```
 */
export function exampleNotebook(
  parsed: ParsedExample,
  moduleUrl: string,
  synthetic: boolean,
): string {
  const cells: NotebookCell[] = [];
  const markdown = (text: string) =>
    cells.push({
      cell_type: "markdown",
      id: `cell-${cells.length}`,
      metadata: {},
      source: sourceLines(text),
    });
  const code = (text: string) =>
    cells.push({
      cell_type: "code",
      id: `cell-${cells.length}`,
      metadata: {},
      execution_count: null,
      outputs: [],
      source: sourceLines(text),
    });
  markdown(
    [`# ${parsed.title}`, parsed.summary, parsed.intro].filter(Boolean).join(
      "\n\n",
    ),
  );
  if (synthetic) {
    code(
      `// The gallery ran this example on the synthetic stand-in; remove this line for the real data.\nDeno.env.set(${
        JSON.stringify(SYNTHETIC_VARIABLE)
      }, "1");`,
    );
  }
  for (const cell of parsed.cells) {
    if (cell.kind === "markdown") {
      markdown(cell.text);
    } else {
      const text = resolveRelativeImports(cell.text, moduleUrl);
      code(cell.title ? `// ${cell.title}\n${text}` : text);
    }
  }
  return JSON.stringify(
    {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {
        kernelspec: {
          name: "deno",
          display_name: "Deno",
          language: "typescript",
        },
        language_info: {
          name: "typescript",
          file_extension: ".ts",
          mimetype: "text/x.typescript",
        },
      },
      cells,
    },
    null,
    1,
  ) + "\n";
}
