/**
 * Shared argument checks and framing for the bar and line charts.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import type { Figure, FigureKind } from "./figure.ts";
import { checkOptionalText } from "./_options.ts";
import { composeSvg, type Part } from "./_svg.ts";

/** Axis labels of a chart. */
export interface ChartLabels {
  /** Label of the x axis (default: the x field name). */
  x?: string;
  /** Label of the y axis (default: the y field name). */
  y?: string;
}

/** A data row: field name → value. */
export type Row = Readonly<Record<string, unknown>>;

/**
 * Checks rows and the named fields; returns the rows typed.
 *
 * @example
 * ```ts
 * import { checkRows } from "./_chart.ts";
 * const rows = checkRows("f", [{ a: 1, b: 2 }], { x: "a", y: "b" });
 * if (rows.length !== 1) throw new Error(String(rows.length));
 * console.log(rows.length); // 1
 * ```
 */
export function checkRows(
  fn: string,
  rows: unknown,
  fields: Record<string, unknown>,
): readonly Row[] {
  if (
    !Array.isArray(rows) || rows.length === 0 ||
    rows.some((r) => typeof r !== "object" || r === null)
  ) {
    throw argumentError(fn, "rows", rows, "a non-empty array of objects");
  }
  for (const [name, field] of Object.entries(fields)) {
    if (field === undefined && name === "series") continue;
    if (typeof field !== "string" || !rows.every((r) => field in r)) {
      throw argumentError(
        fn,
        name,
        field,
        "the name of a field present in every row",
      );
    }
  }
  return rows;
}

/**
 * Checks that a field holds finite numbers (positive ones for a log scale).
 *
 * @example
 * ```ts
 * import { checkNumeric } from "./_chart.ts";
 * checkNumeric("f", [{ a: 2 }], "x", "a", true); // passes: 2 > 0
 * ```
 */
export function checkNumeric(
  fn: string,
  rows: readonly Row[],
  name: string,
  field: string,
  log: boolean,
): void {
  for (const row of rows) {
    const value = row[field];
    if (
      typeof value !== "number" || !Number.isFinite(value) ||
      (log && value <= 0)
    ) {
      throw argumentError(
        fn,
        `rows[].${field} (${name})`,
        value,
        log ? "a positive finite number (log scale)" : "a finite number",
      );
    }
  }
}

/**
 * The label options of a chart axis: `labels[axis]` (checked), else the field
 * name, centered along the axis at `offset` px from it.
 *
 * @example
 * ```ts
 * import { axisLabel } from "./_chart.ts";
 * const { label } = axisLabel("f", {}, "y", "ms", 48);
 * if (label !== "ms") throw new Error(label);
 * console.log(label); // ms
 * ```
 */
export function axisLabel(
  fn: string,
  labels: ChartLabels,
  axis: "x" | "y",
  field: string,
  offset: number,
) {
  return {
    label: checkOptionalText(fn, `labels.${axis}`, labels[axis]) ?? field,
    labelAnchor: "center",
    labelArrow: "none",
    labelOffset: offset,
  } as const;
}

/**
 * Wraps one chart part under a title into a figure.
 *
 * @example
 * ```ts
 * import { Plot } from "./_deps.ts";
 * import { chartFigure } from "./_chart.ts";
 * import { renderPlot } from "./_svg.ts";
 * const figure = chartFigure("bar", "Empty", renderPlot({ width: 200, height: 100, marks: [Plot.frame()] }));
 * if (figure.width !== 216 || figure.kind !== "bar") throw new Error(`${figure.width} ${figure.kind}`);
 * console.log(figure.width, figure.kind); // 216 bar
 * ```
 */
export function chartFigure(
  kind: FigureKind,
  title: string,
  chart: Part,
): Figure {
  const titleBand = title ? 34 : 4;
  const width = Math.max(chart.width + 16, title ? title.length * 8.5 + 20 : 0);
  const height = titleBand + chart.height + 6;
  return {
    kind,
    title,
    width: Math.ceil(width),
    height: Math.ceil(height),
    svg: composeSvg({
      width,
      height,
      title,
      parts: [{ part: chart, x: (width - chart.width) / 2, y: titleBand }],
    }),
  };
}
