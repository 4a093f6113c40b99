/**
 * `barChart`: vertical bars of a numeric field per category, e.g. timings per
 * step.
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

export type { ChartLabels, Row } from "./_chart.ts";

/** Options of {@linkcode barChart}. */
export interface BarChartOptions {
  /** Field holding the category of each bar (drawn in row order). */
  x: string;
  /** Field holding the bar height (a finite number). */
  y: string;
  /** Figure title (default none). */
  title?: string;
  /** Axis labels (default the field names). */
  labels?: ChartLabels;
  /** Bar color (default "#4c78a8"). */
  color?: string;
  /** Chart width in CSS pixels (default 560). */
  width?: number;
  /** Chart height in CSS pixels (default 320). */
  height?: number;
}

/**
 * Draws one bar per row with Observable Plot's `barY`, categories in row
 * order, the value printed above each bar, y from zero.
 *
 * @example
 * ```ts
 * import { barChart } from "./bar_chart.ts";
 *
 * const figure = barChart([{ step: "smooth", ms: 12 }, { step: "eigen", ms: 30 }], {
 *   x: "step",
 *   y: "ms",
 *   title: "Time per step",
 *   labels: { y: "time (ms)" },
 * });
 * if (figure.kind !== "bar" || !figure.svg.includes("Time per step")) throw new Error(figure.kind);
 * console.log(figure.kind); // bar
 * ```
 */
export function barChart(
  rows: readonly Row[],
  options: BarChartOptions,
): Figure {
  const fn = "barChart";
  checkOptionsObject(fn, options, [
    "x",
    "y",
    "title",
    "labels",
    "color",
    "width",
    "height",
  ]);
  const checked = checkRows(fn, rows, { x: options?.x, y: options?.y });
  checkNumeric(fn, checked, "y", options.y, false);
  const title = checkOptionalText(fn, "title", options.title) ?? "";
  const color = checkOptionalText(fn, "color", options.color) ?? "#4c78a8";
  const labels = options.labels ?? {};
  const width = checkSize(fn, "width", options.width, 560);
  const height = checkSize(fn, "height", options.height, 320);
  const format = (value: number) => Number(value.toPrecision(3)).toString();
  const chart = renderPlot({
    width,
    height,
    marginLeft: 60,
    marginBottom: 44,
    marginTop: 24,
    x: {
      domain: checked.map((r) => String(r[options.x])),
      ...axisLabel(fn, labels, "x", options.x, 36),
    },
    y: {
      grid: true,
      nice: true,
      ...axisLabel(fn, labels, "y", options.y, 48),
    },
    marks: [
      Plot.barY(checked, {
        x: (r: Row) => String(r[options.x]),
        y: (r: Row) => r[options.y] as number,
        fill: color,
      }),
      Plot.text(checked, {
        x: (r: Row) => String(r[options.x]),
        y: (r: Row) => r[options.y] as number,
        text: (r: Row) => format(r[options.y] as number),
        dy: -7,
        fill: "black",
        fontSize: FONT.tick,
      }),
      Plot.ruleY([0]),
    ],
  });
  return chartFigure("bar", title, chart);
}
