/**
 * `lineChart`: numeric y against numeric x, one line per series, e.g. timings
 * against image size.
 *
 * @module
 */

import { checkOptionsObject } from "../_options_object.ts";
import { Plot } from "./_deps.ts";
import type { Figure } from "./figure.ts";
import {
  axisLabel,
  chartFigure,
  type ChartLabels,
  checkNumeric,
  checkRows,
  type Row,
} from "./_chart.ts";
import { checkOptionalText, checkSize } from "./_options.ts";
import { FONT, renderPlot } from "./_svg.ts";

/** Options of {@linkcode lineChart}. */
export interface LineChartOptions {
  /** Field holding x (a finite number). */
  x: string;
  /** Field holding y (a finite number). */
  y: string;
  /** Field naming each row's series; one line and end label per series (default: one series). */
  series?: string;
  /** Figure title (default none). */
  title?: string;
  /** Axis labels (default the field names). */
  labels?: ChartLabels;
  /** Logarithmic x axis (default false; x must be > 0). */
  logX?: boolean;
  /** Logarithmic y axis (default false; y must be > 0). */
  logY?: boolean;
  /** Chart width in CSS pixels (default 560). */
  width?: number;
  /** Chart height in CSS pixels (default 340). */
  height?: number;
}

/**
 * Draws lines with dots (Observable Plot `line` and `dot`), rows sorted by x
 * within each series, each series labelled at its last point in its own color
 * (Tableau 10), optionally on log axes.
 *
 * @example
 * ```ts
 * import { lineChart } from "./line_chart.ts";
 *
 * const rows = [8, 16, 32].flatMap((n) => [
 *   { n, ms: n * 0.1, impl: "stria" },
 *   { n, ms: n * 0.2, impl: "scikit-image" },
 * ]);
 * const figure = lineChart(rows, { x: "n", y: "ms", series: "impl", logY: true, title: "Scaling" });
 * const labelled = figure.svg.includes("scikit-image");
 * if (!labelled) throw new Error("series label missing");
 * console.log(labelled); // true
 * ```
 */
export function lineChart(
  rows: readonly Row[],
  options: LineChartOptions,
): Figure {
  const fn = "lineChart";
  checkOptionsObject(fn, options, [
    "x",
    "y",
    "series",
    "title",
    "labels",
    "logX",
    "logY",
    "width",
    "height",
  ]);
  const checked = checkRows(fn, rows, {
    x: options?.x,
    y: options?.y,
    series: options?.series,
  });
  checkNumeric(fn, checked, "x", options.x, options.logX === true);
  checkNumeric(fn, checked, "y", options.y, options.logY === true);
  const title = checkOptionalText(fn, "title", options.title) ?? "";
  const labels = options.labels ?? {};
  const width = checkSize(fn, "width", options.width, 560);
  const height = checkSize(fn, "height", options.height, 340);
  const seriesOf = (
    r: Row,
  ) => (options.series === undefined ? "" : String(r[options.series]));
  const sorted = [...checked].sort((a, b) =>
    (a[options.x] as number) - (b[options.x] as number)
  );
  const longestName = Math.max(...sorted.map((r) => seriesOf(r).length));
  const xOf = (r: Row) => r[options.x] as number;
  const yOf = (r: Row) => r[options.y] as number;
  const chart = renderPlot({
    width,
    height,
    marginLeft: 64,
    marginBottom: 44,
    marginTop: 20,
    marginRight: 16 + longestName * 7,
    x: {
      type: options.logX ? "log" : "linear",
      nice: options.logX === true,
      grid: true,
      ...axisLabel(fn, labels, "x", options.x, 36),
    },
    y: {
      type: options.logY ? "log" : "linear",
      nice: options.logY === true,
      grid: true,
      ...axisLabel(fn, labels, "y", options.y, 52),
    },
    color: { type: "ordinal", scheme: "tableau10" },
    marks: [
      Plot.line(sorted, {
        x: xOf,
        y: yOf,
        z: seriesOf,
        stroke: seriesOf,
        strokeWidth: 2,
      }),
      Plot.dot(sorted, { x: xOf, y: yOf, fill: seriesOf, r: 3 }),
      Plot.text(
        sorted,
        Plot.selectLast({
          x: xOf,
          y: yOf,
          z: seriesOf,
          text: seriesOf,
          fill: seriesOf,
          textAnchor: "start",
          dx: 7,
          fontSize: FONT.tick,
        }),
      ),
    ],
  });
  return chartFigure("line", title, chart);
}
