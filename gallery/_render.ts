/**
 * The gallery's HTML pages: index, one page per example and the computation
 * times page. Plain static HTML that works from file:// as well as served.
 *
 * @module
 */

import {
  escapeHtml,
  highlightTypeScript,
  permalinkHeadings,
  renderMarkdown,
} from "./_markdown.ts";
import type { Cell, ParsedExample } from "./_parse.ts";
import type { Environment } from "./_environment.ts";
import type { OutputFile } from "./_outputs.ts";
import {
  type BuildRecord,
  type CellRecord,
  type ExampleRecord,
  outputFolder,
} from "./_record.ts";
import { type BenchResult, renderBenchChart } from "./_bench.ts";
import { API_FOLDER, linkApiNames } from "./_api.ts";
import { embedFigure } from "./_figure_embed.ts";

/**
 * Seconds as "(0 minutes 1.291 seconds)", the sphinx-gallery phrase.
 *
 * @example
 * ```ts
 * import { sphinxRunningTime } from "./_render.ts";
 *
 * console.log(sphinxRunningTime(61.2914)); // (1 minutes 1.291 seconds)
 * ```
 */
export function sphinxRunningTime(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return `(${minutes} minutes ${(seconds - 60 * minutes).toFixed(3)} seconds)`;
}

/**
 * Seconds for tables: "0.42 s", "1 min 3.2 s".
 *
 * @example
 * ```ts
 * import { formatSeconds } from "./_render.ts";
 *
 * console.log(formatSeconds(0.4231), formatSeconds(63.2)); // 0.42 s 1 min 3.2 s
 * ```
 */
export function formatSeconds(seconds: number): string {
  if (seconds < 60) {
    return `${seconds < 10 ? seconds.toFixed(2) : seconds.toFixed(1)} s`;
  }
  return `${Math.floor(seconds / 60)} min ${(seconds % 60).toFixed(1)} s`;
}

/**
 * Bytes in binary units, e.g. "182.4 MiB".
 *
 * @example
 * ```ts
 * import { formatBytes } from "./_render.ts";
 *
 * console.log(formatBytes(191_260_000)); // 182.4 MiB
 * ```
 */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return "n/a";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/**
 * Site-relative href of an example's page.
 *
 * @example
 * ```ts
 * import { examplePage } from "./_render.ts";
 *
 * console.log(examplePage("anisotropy_3d")); // anisotropy_3d.html
 * ```
 */
export function examplePage(name: string): string {
  return `${name}.html`;
}

/**
 * Site-relative href of an example's copied source.
 *
 * @example
 * ```ts
 * import { sourceFile } from "./_render.ts";
 *
 * console.log(sourceFile("anisotropy_3d")); // sources/anisotropy_3d.ts
 * ```
 */
export function sourceFile(name: string): string {
  return `sources/${name}.ts`;
}

/**
 * Site-relative href of an example's notebook.
 *
 * @example
 * ```ts
 * import { notebookFile } from "./_render.ts";
 *
 * console.log(notebookFile("anisotropy_3d")); // notebooks/anisotropy_3d.ipynb
 * ```
 */
export function notebookFile(name: string): string {
  return `notebooks/${name}.ipynb`;
}

/** Site-relative href of the archive of every example's script and notebook. */
export const EXAMPLES_ZIP = "stria_examples.zip";

/**
 * A site-relative path as an href: each segment percent-encoded, so that a
 * file name with a space, `#`, `?`, `&` or a quote still links to its file.
 *
 * @example
 * ```ts
 * import { encodePath } from "./_render.ts";
 *
 * console.log(encodePath("outputs/fibres #2/a b.svg")); // outputs/fibres%20%232/a%20b.svg
 * ```
 */
export function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

function page(
  title: string,
  body: string,
  active: "index" | "times" | "example",
): string {
  const nav = (href: string, label: string, key: string) =>
    `<a href="${href}"${
      key === active ? ' aria-current="page"' : ""
    }>${label}</a>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)} · stria gallery</title>
<link rel="stylesheet" href="static/gallery.css">
<script src="static/gallery.js"></script>
</head>
<body>
<header class="site-header">
  <a class="brand" href="index.html">stria <span>gallery</span></a>
  <nav>${nav("index.html", "Examples", "index")}${
    nav("times.html", "Computation times", "times")
  }</nav>
  <button type="button" class="theme-toggle" aria-label="Toggle dark mode" title="Toggle dark mode">
    <span class="theme-icon" aria-hidden="true"></span>
  </button>
</header>
<main>
${body}
</main>
</body>
</html>
`;
}

/**
 * The environment record as a definition list.
 *
 * @example
 * ```ts
 * import { renderEnvironment } from "./_render.ts";
 * import { recordEnvironment } from "./_environment.ts";
 *
 * console.log(renderEnvironment(await recordEnvironment(".")).startsWith("<dl")); // true
 * ```
 */
export function renderEnvironment(env: Environment): string {
  const rows: [string, string][] = [
    [
      "stria",
      `${escapeHtml(env.striaVersion)} · commit <code>${
        escapeHtml(env.gitCommit)
      }</code>${env.gitDirty ? " (dirty)" : ""}`,
    ],
    [
      "Deno",
      `${escapeHtml(env.deno)} · V8 ${escapeHtml(env.v8)} · TypeScript ${
        escapeHtml(env.typescript)
      }`,
    ],
    [
      "Machine",
      `${escapeHtml(env.os)}, ${escapeHtml(env.arch)} · ${
        escapeHtml(env.cpuModel)
      } · ${env.cpuCount} CPUs · ${formatBytes(env.memoryBytes)} memory`,
    ],
    [
      "npm packages",
      env.npmDirect.length
        ? `${
          env.npmDirect.map((p) => `<code>${escapeHtml(p)}</code>`).join(", ")
        }` +
          `<details><summary>all ${env.npmPackages.length} packages in deno.lock</summary>${
            env.npmPackages.map((p) => `<code>${escapeHtml(p)}</code>`).join(
              ", ",
            )
          }</details>`
        : "none",
    ],
  ];
  return `<dl class="environment">${
    rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join("")
  }</dl>`;
}

/** A figure or other output file (views are embedded by `renderCellOutputs`). */
function renderFile(
  record: ExampleRecord,
  file: OutputFile,
  texts: ReadonlyMap<string, string>,
): string {
  const href = encodePath(`${outputFolder(record.name)}/${file.name}`);
  if (file.kind === "figure") {
    // An SVG whose text the site passed in is inlined, so it is interactive.
    return embedFigure({ svg: texts.get(file.name), href, title: file.title });
  }
  return `<p class="output-file">Wrote <a href="${href}">${
    escapeHtml(file.name)
  }</a> (${formatBytes(file.bytes)})</p>`;
}

/**
 * The JSON of a view, safe to embed in a `<script type="application/json">` element.
 *
 * @example
 * ```ts
 * import { embeddableJson } from "./_render.ts";
 *
 * console.log(embeddableJson('{"title":"</script>"}')); // {"title":"\u003c/script>"}
 * ```
 */
export function embeddableJson(text: string): string {
  return text.replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(
    /\u2029/g,
    "\\u2029",
  );
}

function renderCellOutputs(
  record: ExampleRecord,
  cell: CellRecord,
  views: ReadonlyMap<string, string>,
): string {
  const parts: string[] = [];
  if (cell.stdout.trim() !== "") {
    parts.push(
      `<pre class="output" aria-label="printed output">${
        escapeHtml(cell.stdout.replace(/\n$/, ""))
      }</pre>`,
    );
  }
  if (cell.stderr.trim() !== "") {
    parts.push(
      `<pre class="output stderr" aria-label="standard error">${
        escapeHtml(cell.stderr.replace(/\n$/, ""))
      }</pre>`,
    );
  }
  for (const file of cell.files) {
    if (file.kind === "view") {
      const json = views.get(file.name);
      const href = encodePath(`${outputFolder(record.name)}/${file.name}`);
      parts.push(
        json === undefined
          ? `<p class="output-file">Interactive view <a href="${href}">${
            escapeHtml(file.name)
          }</a> could not be read.</p>`
          : `<section class="stria-view" aria-label="${
            escapeHtml(file.title)
          }"><h3>${escapeHtml(file.title)}</h3>` +
            `<script type="application/json">${embeddableJson(json)}</script>` +
            `<noscript>This interactive view needs JavaScript; download <a href="${href}">${
              escapeHtml(file.name)
            }</a>.</noscript></section>`,
      );
    } else {
      parts.push(renderFile(record, file, views));
    }
  }
  return parts.length
    ? `<div class="cell-output">${parts.join("\n")}</div>`
    : "";
}

function renderCodeCell(
  cell: Cell,
  lines: string,
  apiNames: ReadonlyMap<string, string>,
): string {
  const title = cell.title
    ? `<div class="cell-title">${escapeHtml(cell.title)}</div>`
    : "";
  return `<div class="cell code-cell" id="cell-${cell.codeIndex}">${title}<pre class="code" data-lines="${lines}"><code class="hljs language-typescript">${
    linkApiNames(highlightTypeScript(cell.text), apiNames)
  }</code></pre></div>`;
}

/**
 * The page of one example: intro, cells with their outputs, downloads
 * (source, notebook, every output, the zip of all examples), environment.
 * `apiNames` (local name → exported name, see `apiImports` in `_api.ts`)
 * are linked to their API pages in the code cells; `h2` and `h3` headings
 * get permalinks.
 *
 * @example
 * ```ts
 * import { renderExamplePage } from "./_render.ts";
 * import { parseExample } from "./_parse.ts";
 * import { recordEnvironment } from "./_environment.ts";
 * import type { BuildRecord, ExampleRecord } from "./_record.ts";
 *
 * const environment = await recordEnvironment(".");
 * const example: ExampleRecord = {
 *   name: "hello", title: "Hello", summary: "Says hello.", key: "", ok: true, exitCode: 0, timedOut: false,
 *   wallSeconds: 1.291, peakMemoryBytes: 50e6, memoryMethod: "GNU time %M", command: [], synthetic: true,
 *   datasets: [], dataLine: "", ranAt: "2026-11-24T12:00:00.000Z", environment,
 *   cells: [{ codeIndex: 0, stdout: "hello\n", stderr: "", files: [], seconds: 1.2 }],
 * };
 *
 * const parsed = parseExample("// # Hello\n//\n// Says hello.\nconsole.log(\"hello\");\n");
 * const html = renderExamplePage(example, parsed, new Map(), new Map());
 * console.log(html.includes("(0 minutes 1.291 seconds)")); // true
 * console.log(html.includes('href="notebooks/hello.ipynb"')); // true
 * ```
 */
export function renderExamplePage(
  record: ExampleRecord,
  parsed: ParsedExample,
  views: ReadonlyMap<string, string>,
  apiNames: ReadonlyMap<string, string>,
): string {
  // The downloads section's own id, which the note at the top links to.
  const headingIds = new Set<string>(["downloads"]);
  const cellsByIndex = new Map(
    record.cells.map((cell) => [cell.codeIndex, cell]),
  );
  const body: string[] = [];
  body.push(`<article class="example"><h1>${escapeHtml(parsed.title)}</h1>`);
  body.push(`<p class="summary">${escapeHtml(parsed.summary)}</p>`);
  body.push(
    `<p class="download-note"><a href="#downloads">Go to the end</a> to download the full example code or the notebook.</p>`,
  );
  if (!record.ok) {
    const failing = [...record.cells].reverse().find((cell) =>
      cell.stderr.trim() !== ""
    );
    body.push(
      `<div class="error-banner" role="alert"><strong>This example failed</strong> ` +
        `(${
          record.timedOut ? "timed out" : `exit code ${record.exitCode}`
        }). ` +
        `${
          failing
            ? `The error is shown below <a href="#cell-${failing.codeIndex}">cell ${failing.codeIndex}</a>.`
            : ""
        }` +
        `<pre class="output stderr">${
          escapeHtml((failing?.stderr ?? "no error output").trim())
        }</pre></div>`,
    );
  }
  // A synthetic run never read the registry's file: its sha256 would mislead.
  const data = record.datasets.map((d) =>
    d.source === "real"
      ? `<li><strong>${
        escapeHtml(d.name)
      }</strong> · real data · sha256 <code>${escapeHtml(d.sha256)}</code></li>`
      : `<li><strong>${
        escapeHtml(d.name)
      }</strong> · synthetic stand-in, generated by the example (the registry's file, sha256 <code>${
        escapeHtml(d.sha256)
      }</code>, was not used)</li>`
  );
  body.push(
    `<div class="meta-strip">` +
      `<span>Ran ${
        escapeHtml(record.ranAt.replace("T", " ").replace(/\.\d+Z$/, " UTC"))
      }</span>` +
      `<span>${formatSeconds(record.wallSeconds)}</span><span>peak memory ${
        formatBytes(record.peakMemoryBytes)
      }</span>` +
      `<span>${record.synthetic ? "--synthetic" : "real data"}</span></div>`,
  );
  const prose = (markdown: string) =>
    permalinkHeadings(renderMarkdown(markdown), headingIds);
  if (parsed.intro) {
    body.push(`<div class="prose">${prose(parsed.intro)}</div>`);
  }
  for (const cell of parsed.cells) {
    if (cell.kind === "markdown") {
      body.push(`<div class="cell prose">${prose(cell.text)}</div>`);
      continue;
    }
    body.push(renderCodeCell(cell, String(cell.line), apiNames));
    const output = cellsByIndex.get(cell.codeIndex);
    if (output) body.push(renderCellOutputs(record, output, views));
  }
  body.push(
    `<p class="running-time"><strong>Total running time of the script:</strong> ${
      sphinxRunningTime(record.wallSeconds)
    }</p>`,
  );
  const downloads = [
    `<li><a class="download" href="${
      encodePath(sourceFile(record.name))
    }" download>Source: ${escapeHtml(record.name)}.ts</a></li>`,
    `<li><a class="download" href="${
      encodePath(notebookFile(record.name))
    }" download>Jupyter notebook: ${
      escapeHtml(record.name)
    }.ipynb</a> <span class="muted">Deno kernel</span></li>`,
  ];
  for (const cell of record.cells) {
    for (const file of cell.files) {
      downloads.push(
        `<li><a class="download" href="${
          encodePath(`${outputFolder(record.name)}/${file.name}`)
        }" download>${escapeHtml(file.name)}</a> <span class="muted">${
          formatBytes(file.bytes)
        }</span></li>`,
      );
    }
  }
  downloads.push(
    `<li><a class="download" href="${EXAMPLES_ZIP}" download>All examples: scripts and notebooks (zip)</a></li>`,
  );
  body.push(
    `<section class="downloads" id="downloads">${
      permalinkHeadings("<h2>Downloads</h2>", headingIds)
    }<ul>${downloads.join("")}</ul></section>`,
  );
  body.push(
    `<footer class="page-footer">${
      permalinkHeadings("<h2>Environment</h2>", headingIds)
    }` +
      `<p class="muted">Command: <code>${
        escapeHtml(
          record.command.map((a) => (/\s/.test(a) ? JSON.stringify(a) : a))
            .join(" "),
        )
      }</code></p>` +
      `<dl class="environment"><dt>Data</dt><dd>${
        data.length
          ? `<ul class="plain">${data.join("")}</ul>`
          : "no registry dataset"
      }` +
      `${
        record.dataLine
          ? `<br>Printed: <code>${escapeHtml(record.dataLine)}</code>`
          : ""
      }</dd></dl>` +
      renderEnvironment(record.environment) + `</footer></article>`,
  );
  return page(parsed.title, body.join("\n"), "example");
}

/**
 * The index: a card per example with a thumbnail, title and summary.
 *
 * @example
 * ```ts
 * import { renderIndex } from "./_render.ts";
 * import { recordEnvironment } from "./_environment.ts";
 * import type { BuildRecord, ExampleRecord } from "./_record.ts";
 *
 * const environment = await recordEnvironment(".");
 * const example: ExampleRecord = {
 *   name: "hello", title: "Hello", summary: "Says hello.", key: "", ok: true, exitCode: 0, timedOut: false,
 *   wallSeconds: 1.291, peakMemoryBytes: 50e6, memoryMethod: "GNU time %M", command: [], synthetic: true,
 *   datasets: [], dataLine: "", ranAt: "2026-11-24T12:00:00.000Z", environment,
 *   cells: [{ codeIndex: 0, stdout: "hello\n", stderr: "", files: [], seconds: 1.2 }],
 * };
 *
 * const build: BuildRecord = {
 *   format: "stria-gallery-build", version: 1, builtAt: "", buildSeconds: 2, synthetic: true, environment, examples: [example],
 * };
 * console.log(renderIndex(build).includes('href="hello.html"')); // true
 * console.log(renderIndex(build).includes("peak memory 47.7 MiB")); // true
 * ```
 */
export function renderIndex(build: BuildRecord): string {
  const cards = build.examples.map((record) => {
    const figure = record.cells.flatMap((c) => c.files).find((f) =>
      f.kind === "figure"
    );
    const view = record.cells.flatMap((c) => c.files).find((f) =>
      f.kind === "view"
    );
    const thumbnail = figure
      ? `<img src="${
        encodePath(`${outputFolder(record.name)}/${figure.name}`)
      }" alt="${escapeHtml(figure.title)}">`
      : `<div class="thumb-placeholder" aria-hidden="true">${
        view ? "3D" : "TS"
      }</div>`;
    const status = record.ok ? "" : `<span class="badge failed">failed</span>`;
    return `<a class="card${record.ok ? "" : " card-failed"}" href="${
      encodePath(examplePage(record.name))
    }">` +
      `<div class="thumb">${thumbnail}</div><div class="card-body"><h2>${
        escapeHtml(record.title)
      } ${status}</h2>` +
      `<p>${escapeHtml(record.summary)}</p><p class="muted card-meta">${
        formatSeconds(record.wallSeconds)
      } · peak memory ${formatBytes(record.peakMemoryBytes)}</p></div></a>`;
  });
  const failed = build.examples.filter((e) => !e.ok).length;
  const total = build.examples.reduce((sum, e) => sum + e.wallSeconds, 0);
  const body = `<section class="hero"><h1>Examples</h1>
<p class="lede">Reproducible 3D microscopy image analysis with stria. Every page is produced by running its script; the numbers and figures below are that run's output.</p>
<p class="muted">${build.examples.length} example${
    build.examples.length === 1 ? "" : "s"
  }${
    failed ? `, <strong class="failed-text">${failed} failed</strong>` : ""
  } · examples' total running time ${formatSeconds(total)} · build took ${
    formatSeconds(build.buildSeconds)
  } · ${
    build.synthetic ? "synthetic data" : "real data"
  } · <a href="times.html">computation times</a> · <a href="${API_FOLDER}/index.html">API reference</a> · <a href="build.json">build.json</a></p>
<p><a class="download" href="${EXAMPLES_ZIP}" download>Download all examples: scripts and Jupyter notebooks (zip)</a></p></section>
<div class="cards">${cards.join("\n")}</div>
<footer class="page-footer"><h2>Environment</h2>${
    renderEnvironment(build.environment)
  }</footer>`;
  return page("Examples", body, "index");
}

/**
 * A horizontal bar chart of wall time per example, as inline SVG themed by CSS.
 *
 * @example
 * ```ts
 * import { renderTimesChart } from "./_render.ts";
 * import { recordEnvironment } from "./_environment.ts";
 * import type { BuildRecord, ExampleRecord } from "./_record.ts";
 *
 * const environment = await recordEnvironment(".");
 * const example: ExampleRecord = {
 *   name: "hello", title: "Hello", summary: "Says hello.", key: "", ok: true, exitCode: 0, timedOut: false,
 *   wallSeconds: 1.291, peakMemoryBytes: 50e6, memoryMethod: "GNU time %M", command: [], synthetic: true,
 *   datasets: [], dataLine: "", ranAt: "2026-11-24T12:00:00.000Z", environment,
 *   cells: [{ codeIndex: 0, stdout: "hello\n", stderr: "", files: [], seconds: 1.2 }],
 * };
 *
 * console.log(renderTimesChart([example]).includes("1.29 s")); // true
 * ```
 */
export function renderTimesChart(examples: readonly ExampleRecord[]): string {
  const rowHeight = 26;
  const labelWidth = 200;
  const width = 640;
  const chartWidth = width - labelWidth - 90;
  const max = Math.max(1e-9, ...examples.map((e) => e.wallSeconds));
  const rows = examples.map((e, i) => {
    const y = i * rowHeight;
    const w = Math.max(1, (e.wallSeconds / max) * chartWidth);
    const label = e.name.length > 28 ? `${e.name.slice(0, 27)}…` : e.name;
    return `<g transform="translate(0 ${y})"><text class="bar-label" x="${
      labelWidth - 8
    }" y="17" text-anchor="end">${escapeHtml(label)}</text>` +
      `<rect class="bar${
        e.ok ? "" : " bar-failed"
      }" x="${labelWidth}" y="5" width="${w.toFixed(1)}" height="16" rx="2"/>` +
      `<text class="bar-value" x="${(labelWidth + w + 6).toFixed(1)}" y="17">${
        formatSeconds(e.wallSeconds)
      }</text></g>`;
  });
  const height = examples.length * rowHeight + 6;
  return `<svg class="chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<title>Wall time per example, slowest first</title>${rows.join("")}</svg>`;
}

/**
 * The computation times page: examples slowest first, and benchmark results when present.
 *
 * @example
 * ```ts
 * import { renderTimesPage } from "./_render.ts";
 * import { recordEnvironment } from "./_environment.ts";
 * import type { BuildRecord, ExampleRecord } from "./_record.ts";
 *
 * const environment = await recordEnvironment(".");
 * const example: ExampleRecord = {
 *   name: "hello", title: "Hello", summary: "Says hello.", key: "", ok: true, exitCode: 0, timedOut: false,
 *   wallSeconds: 1.291, peakMemoryBytes: 50e6, memoryMethod: "GNU time %M", command: [], synthetic: true,
 *   datasets: [], dataLine: "", ranAt: "2026-11-24T12:00:00.000Z", environment,
 *   cells: [{ codeIndex: 0, stdout: "hello\n", stderr: "", files: [], seconds: 1.2 }],
 * };
 *
 * const build: BuildRecord = {
 *   format: "stria-gallery-build", version: 1, builtAt: "", buildSeconds: 2, synthetic: true, environment, examples: [example],
 * };
 * console.log(renderTimesPage(build, []).includes("47.7 MiB")); // true
 * ```
 */
export function renderTimesPage(
  build: BuildRecord,
  bench: readonly BenchResult[],
): string {
  const sorted = [...build.examples].sort((a, b) =>
    b.wallSeconds - a.wallSeconds
  );
  const rows = sorted.map((e) =>
    `<tr><td><a href="${encodePath(examplePage(e.name))}">${
      escapeHtml(e.name)
    }</a>${e.ok ? "" : ` <span class="badge failed">failed</span>`}</td>` +
    `<td class="num">${formatSeconds(e.wallSeconds)}</td><td class="num">${
      formatBytes(e.peakMemoryBytes)
    }</td></tr>`
  );
  const total = build.examples.reduce((sum, e) => sum + e.wallSeconds, 0);
  const benchSection = bench.length
    ? `<section><h2>Benchmarks</h2><p class="muted">Throughput against volume size, from <code>bench/results/*.json</code>.</p>${
      bench.map(renderBenchChart).join("\n")
    }</section>`
    : "";
  const body = `<section class="hero"><h1>Computation times</h1>
<p class="muted">Wall time and peak resident memory of each example's process, slowest first. Examples' total ${
    formatSeconds(total)
  }; the build took ${formatSeconds(build.buildSeconds)}.</p></section>
<figure class="chart-figure">${renderTimesChart(sorted)}</figure>
<div class="table-wrap"><table class="times"><thead><tr><th>Example</th><th class="num">Wall time</th><th class="num">Peak memory</th></tr></thead>
<tbody>${rows.join("")}</tbody><tfoot><tr><td>Total</td><td class="num">${
    formatSeconds(total)
  }</td><td></td></tr></tfoot></table></div>
<p class="muted">Memory: ${
    escapeHtml(build.examples[0]?.memoryMethod ?? "n/a")
  }.</p>
${benchSection}`;
  return page("Computation times", body, "times");
}
