/**
 * Parses a gallery example (see docs/example_format.md) into its header and
 * cells, and writes the instrumented copy the builder runs to attribute output
 * to cells.
 *
 * @module
 */

/** One cell of an example: markdown prose or TypeScript code. */
export interface Cell {
  /** `markdown` for `// %% [markdown]` cells, `code` for everything else. */
  readonly kind: "markdown" | "code";
  /** The title after `// %%`, if any. */
  readonly title: string;
  /** Markdown text (comment markers removed) or code, trimmed of blank edge lines. */
  readonly text: string;
  /** 1-based line of the cell's first line in the file (the marker line, or 1 for setup). */
  readonly line: number;
  /** Index among code cells (0 for the setup cell), or -1 for markdown cells. */
  readonly codeIndex: number;
}

/** The header and cells of an example. */
export interface ParsedExample {
  /** From `// # Title`. */
  readonly title: string;
  /** The first paragraph after the title. */
  readonly summary: string;
  /** Further header paragraphs, markdown. */
  readonly intro: string;
  /** Deno flags from `@permissions`, `{out}` not yet substituted. */
  readonly permissions: readonly string[];
  /** Dataset names from `@dataset` lines. */
  readonly datasets: readonly string[];
  /** Cells in file order; the setup cell (code before the first marker) comes first. */
  readonly cells: readonly Cell[];
}

const MARKER = /^\/\/ ?%%(.*)$/;
const MARKDOWN_MARKER = /^\s*\[markdown\]\s*(.*)$/;

/** Strips `//` and one following space from a comment line. */
function uncomment(line: string): string {
  return line.replace(/^\/\/ ?/, "");
}

function trimBlankLines(lines: string[]): string {
  let start = 0;
  let end = lines.length;
  while (start < end && lines[start].trim() === "") start++;
  while (end > start && lines[end - 1].trim() === "") end--;
  return lines.slice(start, end).join("\n");
}

/**
 * Parses an example's source.
 *
 * @throws {SyntaxError} when the title line is missing or a cell marker is indented
 * (markers must sit between top-level statements).
 *
 * @example
 * ```ts
 * import { parseExample } from "./_parse.ts";
 *
 * const parsed = parseExample([
 *   "// # Hello",
 *   "//",
 *   "// Says hello.",
 *   "//",
 *   "// @permissions --allow-write={out}",
 *   "const name = \"world\";",
 *   "// %% Greet",
 *   "console.log(`hello ${name}`);",
 * ].join("\n"));
 * console.log(parsed.title, parsed.permissions, parsed.cells.length); // Hello ["--allow-write={out}"] 2
 * ```
 */
export function parseExample(source: string): ParsedExample {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  if (!/^\/\/ # \S/.test(lines[0] ?? "")) {
    throw new SyntaxError(
      `example must start with a "// # Title" line, got ${
        JSON.stringify(lines[0] ?? "")
      }`,
    );
  }
  const title = lines[0].slice(5).trim();

  // Header: the leading run of `//` lines that are not cell markers.
  let headerEnd = 1;
  while (
    headerEnd < lines.length && lines[headerEnd].startsWith("//") &&
    !MARKER.test(lines[headerEnd])
  ) headerEnd++;
  const permissions: string[] = [];
  const datasets: string[] = [];
  const paragraphs: string[][] = [[]];
  for (const raw of lines.slice(1, headerEnd)) {
    const text = uncomment(raw);
    const tag = /^@(\w+)\s*(.*)$/.exec(text.trim());
    if (tag) {
      if (tag[1] === "permissions") {
        permissions.push(...tag[2].split(/\s+/).filter(Boolean));
      } else if (tag[1] === "dataset") {
        datasets.push(...tag[2].split(/\s+/).filter(Boolean));
      } else {throw new SyntaxError(
          `line ${lines.indexOf(raw) + 1}: unknown header tag @${tag[1]}`,
        );}
      continue;
    }
    if (text.trim() === "") paragraphs.push([]);
    else paragraphs[paragraphs.length - 1].push(text);
  }
  const nonEmpty = paragraphs.filter((p) => p.length > 0);
  const summary = (nonEmpty[0] ?? []).join(" ").trim();
  const intro = nonEmpty.slice(1).map((p) => p.join("\n")).join("\n\n");

  const cells: Cell[] = [];
  let codeIndex = 0;
  let current = {
    kind: "code" as Cell["kind"],
    title: "",
    line: 1,
    body: [] as string[],
  };
  const flush = () => {
    const text = trimBlankLines(current.body);
    const isSetup = cells.length === 0 && current.line === 1;
    // The setup cell is kept even when empty only if it has code; a markdown cell with no text is dropped.
    if (current.kind === "code" && (text !== "" || !isSetup)) {
      cells.push({
        kind: "code",
        title: current.title,
        text,
        line: current.line,
        codeIndex: codeIndex++,
      });
    } else if (current.kind === "markdown" && text !== "") {
      cells.push({
        kind: "markdown",
        title: current.title,
        text,
        line: current.line,
        codeIndex: -1,
      });
    }
  };
  for (let i = headerEnd; i < lines.length; i++) {
    const line = lines[i];
    const marker = MARKER.exec(line);
    if (marker) {
      flush();
      const markdown = MARKDOWN_MARKER.exec(marker[1]);
      current = {
        kind: markdown ? "markdown" : "code",
        title: (markdown ? markdown[1] : marker[1]).trim(),
        line: i + 1,
        body: [],
      };
      continue;
    }
    if (/^\s+\/\/ ?%%/.test(line)) {
      throw new SyntaxError(
        `line ${
          i + 1
        }: cell markers must start at column 0, between top-level statements`,
      );
    }
    if (
      current.kind === "markdown" && line.trim() !== "" &&
      !line.startsWith("//")
    ) {
      // Code right after a markdown cell without a `// %%` line starts an untitled code cell.
      flush();
      current = { kind: "code", title: "", line: i + 1, body: [] };
    }
    current.body.push(current.kind === "markdown" ? uncomment(line) : line);
  }
  flush();
  return { title, summary, intro, permissions, datasets, cells };
}

/**
 * The line the instrumented script writes to stdout and stderr when code cell `index` starts.
 *
 * @example
 * ```ts
 * import { cellMarker } from "./_parse.ts";
 *
 * console.log(JSON.stringify(cellMarker(2))); // "\u001e\u001estria-cell:2\u001e\n"
 * ```
 */
export function cellMarker(index: number): string {
  return `\u001e\u001estria-cell:${index}\u001e\n`;
}

/**
 * Returns the source with a marker statement at the start of each code cell, on
 * the same line as the cell's first line so that line numbers in error messages
 * still match the original file. The statement writes the cell's marker to
 * stdout and stderr, then blocks until the builder answers on stdin, so the
 * builder can list the output folder between cells. It needs no permissions.
 *
 * @example
 * ```ts
 * import { instrumentExample, parseExample } from "./_parse.ts";
 *
 * const source = "// # T\n//\n// S.\nconst a = 1;\n// %%\nconsole.log(a);\n";
 * const instrumented = instrumentExample(source, parseExample(source));
 * console.log(instrumented.split("\n").length === source.split("\n").length); // true
 * ```
 */
export function instrumentExample(
  source: string,
  parsed: ParsedExample,
): string {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  for (const cell of parsed.cells) {
    if (cell.kind !== "code") continue;
    const marker = JSON.stringify(cellMarker(cell.codeIndex));
    const statement =
      `{ const m = new TextEncoder().encode(${marker}); Deno.stdout.writeSync(m); ` +
      `Deno.stderr.writeSync(m); Deno.stdin.readSync(new Uint8Array(1)); } `;
    lines[cell.line - 1] = statement + lines[cell.line - 1];
  }
  return lines.join("\n");
}
