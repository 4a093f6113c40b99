/**
 * Benchmark results for the computation times page: the `stria-bench` JSON
 * format (see gallery/README.md) and a throughput-against-volume-size chart.
 *
 * @module
 */

import { join } from "node:path";
import { escapeHtml } from "./_markdown.ts";

/** One measured volume size. */
export interface BenchPoint {
  /** Volume shape, e.g. [8, 30, 30]. */
  readonly shape: readonly number[];
  /** Number of voxels (product of shape). */
  readonly voxels: number;
  /** Voxels per second. */
  readonly voxelsPerSecond: number;
}

/** One benchmark file: one or more series of points. */
export interface BenchResult {
  readonly format: "stria-bench";
  readonly version: 1;
  readonly title: string;
  /** Where it ran, free text (CPU, OS). */
  readonly machine: string;
  /** ISO date of the run. */
  readonly date: string;
  readonly series: readonly {
    readonly name: string;
    readonly points: readonly BenchPoint[];
  }[];
}

/**
 * Checks that a parsed JSON value is a `stria-bench` version 1 result.
 *
 * @throws {TypeError} naming the first field that does not fit.
 *
 * @example
 * ```ts
 * import { validateBenchResult } from "./_bench.ts";
 *
 * const result = validateBenchResult({
 *   format: "stria-bench",
 *   version: 1,
 *   title: "t",
 *   series: [{ name: "s", points: [{ shape: [2, 2], voxels: 4, voxelsPerSecond: 100 }] }],
 * }, "t.json");
 * console.log(result.series[0].name); // s
 * ```
 */
export function validateBenchResult(
  value: unknown,
  source: string,
): BenchResult {
  const fail = (what: string) => new TypeError(`${source}: ${what}`);
  const v = value as Partial<BenchResult>;
  if (v?.format !== "stria-bench" || v.version !== 1) {
    throw fail(`format must be "stria-bench" version 1`);
  }
  if (typeof v.title !== "string") throw fail("title must be a string");
  if (!Array.isArray(v.series) || v.series.length === 0) {
    throw fail("series must be a non-empty array");
  }
  for (const series of v.series) {
    if (typeof series?.name !== "string" || !Array.isArray(series.points)) {
      throw fail("each series needs a name and points");
    }
    for (const p of series.points) {
      if (
        !(p?.voxels > 0) || !(p.voxelsPerSecond > 0) || !Array.isArray(p.shape)
      ) {
        throw fail(
          `series ${
            JSON.stringify(series.name)
          }: each point needs shape, voxels > 0 and voxelsPerSecond > 0`,
        );
      }
    }
  }
  return { machine: "", date: "", ...v } as BenchResult;
}

/**
 * Reads every `*.json` in `dir` (sorted by name); a missing folder gives none.
 *
 * @example
 * ```ts
 * import { readBenchResults } from "./_bench.ts";
 *
 * console.log(await readBenchResults("/nonexistent/folder")); // []
 * ```
 */
export async function readBenchResults(dir: string): Promise<BenchResult[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && entry.name.endsWith(".json")) names.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  const results: BenchResult[] = [];
  for (const name of names.sort()) {
    results.push(
      validateBenchResult(
        JSON.parse(await Deno.readTextFile(join(dir, name))),
        name,
      ),
    );
  }
  return results;
}

function niceLog10Ticks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (
    let e = Math.floor(Math.log10(min));
    e <= Math.ceil(Math.log10(max));
    e++
  ) ticks.push(10 ** e);
  return ticks;
}

function formatCount(n: number): string {
  if (n >= 1e9) return `${+(n / 1e9).toPrecision(3)}G`;
  if (n >= 1e6) return `${+(n / 1e6).toPrecision(3)}M`;
  if (n >= 1e3) return `${+(n / 1e3).toPrecision(3)}k`;
  return String(+n.toPrecision(3));
}

/**
 * A line chart (log voxels on x, voxels per second on y), one line per series, as inline SVG.
 *
 * @example
 * ```ts
 * import { renderBenchChart } from "./_bench.ts";
 *
 * const svg = renderBenchChart({
 *   format: "stria-bench",
 *   version: 1,
 *   title: "t",
 *   machine: "",
 *   date: "",
 *   series: [{ name: "s", points: [{ shape: [2, 2], voxels: 4, voxelsPerSecond: 100 }] }],
 * });
 * console.log(svg.includes("<svg")); // true
 * ```
 */
export function renderBenchChart(result: BenchResult): string {
  const width = 720;
  const height = 300;
  const margin = { left: 64, right: 220, top: 16, bottom: 44 };
  const points = result.series.flatMap((s) => s.points);
  const xMin = Math.min(...points.map((p) => p.voxels));
  const xMax = Math.max(...points.map((p) => p.voxels));
  const xTicks = niceLog10Ticks(xMin, xMax);
  const [lx0, lx1] = [
    Math.log10(xTicks[0]),
    Math.log10(xTicks[xTicks.length - 1]),
  ];
  // A round axis maximum: four steps of 1, 2 or 5 times a power of ten.
  const rawStep = Math.max(...points.map((p) => p.voxelsPerSecond)) / 4;
  const power = 10 ** Math.floor(Math.log10(rawStep));
  const yStep = [1, 2, 5, 10].map((m) => m * power).find((candidate) =>
    candidate >= rawStep
  )!;
  const yMax = 4 * yStep;
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const x = (v: number) =>
    margin.left + ((Math.log10(v) - lx0) / Math.max(1e-9, lx1 - lx0)) * plotW;
  const y = (v: number) => margin.top + plotH - (v / yMax) * plotH;
  const yTicks = [0, 1, 2, 3, 4].map((k) => k * yStep);
  const grid = xTicks.map((t) =>
    `<line class="grid" x1="${x(t)}" x2="${x(t)}" y1="${margin.top}" y2="${
      margin.top + plotH
    }"/>` +
    `<text class="tick" x="${x(t)}" y="${
      margin.top + plotH + 16
    }" text-anchor="middle">${formatCount(t)}</text>`
  ).concat(
    yTicks.map((t) =>
      `<line class="grid" x1="${margin.left}" x2="${margin.left + plotW}" y1="${
        y(t)
      }" y2="${y(t)}"/>` +
      `<text class="tick" x="${margin.left - 6}" y="${
        y(t) + 4
      }" text-anchor="end">${formatCount(t)}</text>`
    ),
  );
  const lines = result.series.map((s, i) => {
    const sorted = [...s.points].sort((a, b) => a.voxels - b.voxels);
    const path = sorted.map((p, j) =>
      `${j ? "L" : "M"}${x(p.voxels).toFixed(1)},${
        y(p.voxelsPerSecond).toFixed(1)
      }`
    ).join("");
    const dots = sorted.map((p) =>
      `<circle class="series-${i % 6}" cx="${x(p.voxels).toFixed(1)}" cy="${
        y(p.voxelsPerSecond).toFixed(1)
      }" r="3.5"><title>${escapeHtml(s.name)}: ${p.shape.join("×")} · ${
        formatCount(p.voxelsPerSecond)
      } voxels/s</title></circle>`
    ).join("");
    const legendY = margin.top + 14 + i * 18;
    return `<path class="line series-${i % 6}" d="${path}"/>${dots}` +
      `<circle class="series-${i % 6}" cx="${width - margin.right + 16}" cy="${
        legendY - 4
      }" r="4"/>` +
      `<text class="legend" x="${width - margin.right + 26}" y="${legendY}">${
        escapeHtml(s.name)
      }</text>`;
  });
  const caption = [result.machine, result.date].filter(Boolean).map(escapeHtml)
    .join(" · ");
  return `<figure class="chart-figure"><svg class="chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">` +
    `<title>${
      escapeHtml(result.title)
    }: throughput against volume size</title>${grid.join("")}${
      lines.join("")
    }` +
    `<text class="axis-label" x="${margin.left + plotW / 2}" y="${
      height - 6
    }" text-anchor="middle">voxels (log scale)</text>` +
    `<text class="axis-label" transform="translate(14 ${
      margin.top + plotH / 2
    }) rotate(-90)" text-anchor="middle">voxels / s</text>` +
    `</svg><figcaption>${escapeHtml(result.title)}${
      caption ? ` · ${caption}` : ""
    }</figcaption></figure>`;
}
