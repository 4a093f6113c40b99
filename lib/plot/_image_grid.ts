/**
 * Lays out one or more images side by side (matplotlib `imshow` look): equal
 * pixels across panels (square, or with a known physical size drawn to scale),
 * row 0 at the top, ticks at pixel centers or in physical units, panel titles,
 * and an optional color bar (a PNG gradient strip with its own axis). The axes
 * of every 2-D figure are built here.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import { Plot } from "./_deps.ts";
import type { TiffMetadata } from "../io/read_tiff.ts";
import { checkColormap, type ColormapName, lutOf } from "./colormaps.ts";
import type { Figure, FigureKind } from "./figure.ts";
import { checkOptionalText, checkSize } from "./_options.ts";
import {
  colorizePlane,
  colorRange,
  type DenseArray,
  readDense,
  upscaleFactor,
} from "./_raster.ts";
import { checkPhysicalSizes } from "./_physical_sizes.ts";
import { pngDataUri } from "./_png.ts";
import { VALUE_GRID_ATTRIBUTE, valueGridAttribute } from "./_value_grid.ts";
import {
  composeSvg,
  FONT,
  type Part,
  pixelTicks,
  type Placed,
  renderPlot,
} from "./_svg.ts";

/** Axis and color bar labels. */
export interface ImageLabels {
  /** Label under the x axis (columns), e.g. "col". */
  x?: string;
  /** Label beside the y axis (rows), e.g. "row". */
  y?: string;
  /** Label of the color bar, e.g. "intensity". */
  color?: string;
}

/** The option every 2-D figure shares: a pixel's physical size, for axes in physical units. */
export interface PhysicalAxesOptions {
  /**
   * Physical size of a pixel step: `X` along columns, `Y` along rows (a
   * missing axis counts 1; others are ignored), e.g. `{ Y: 0.5, X: 0.25 }` or
   * a TIFF's `metadata.physicalSizes`. Ticks are then in these units, axis
   * titles say the unit, and pixels are drawn X wide and Y tall.
   */
  physicalSizes?: TiffMetadata["physicalSizes"];
  /** Unit of `physicalSizes`, e.g. "µm", added to the axis titles: "x (µm)". */
  physicalUnit?: string;
}

/** How a figure's image axes are drawn: a pixel's width and height, in physical units or 1. */
export interface PixelSize {
  /** Size of a column step (1 for pixel axes). */
  readonly x: number;
  /** Size of a row step (1 for pixel axes). */
  readonly y: number;
  /** True when ticks are in physical units, false for pixel indices. */
  readonly physical: boolean;
  /** The unit, when known. */
  readonly unit: string | undefined;
}

/**
 * Checks `physicalSizes` and `physicalUnit` of a 2-D figure: without either,
 * pixel axes (square pixels, ticks at pixel indices).
 *
 * @example
 * ```ts
 * import { checkPixelSize } from "./_image_grid.ts";
 * console.log(checkPixelSize("f", { Y: 0.5, X: 0.25 }, "µm")); // { x: 0.25, y: 0.5, physical: true, unit: "µm" }
 * ```
 */
export function checkPixelSize(
  fn: string,
  physicalSizes: unknown,
  physicalUnit: unknown,
): PixelSize {
  if (physicalSizes === undefined && physicalUnit === undefined) {
    return { x: 1, y: 1, physical: false, unit: undefined };
  }
  const voxel = checkPhysicalSizes(
    fn,
    physicalSizes as TiffMetadata["physicalSizes"] | undefined,
    physicalUnit as string | undefined,
  );
  return { x: voxel.X, y: voxel.Y, physical: true, unit: voxel.unit };
}

/**
 * Axis titles of an image: `labels`, with physical sizes defaulting to "x"
 * and "y" and followed by the unit when known ("x (µm)").
 *
 * @example
 * ```ts
 * import { axisTitles } from "./_image_grid.ts";
 * const pixel = { x: 0.25, y: 0.5, physical: true, unit: "µm" };
 * console.log(axisTitles(pixel, { y: "depth" })); // { x: "x (µm)", y: "depth (µm)" }
 * ```
 */
export function axisTitles(
  pixel: PixelSize,
  labels: { x?: string; y?: string },
): { x?: string; y?: string } {
  if (!pixel.physical) return { x: labels.x, y: labels.y };
  const title = (name: string) =>
    pixel.unit === undefined ? name : `${name} (${pixel.unit})`;
  return { x: title(labels.x ?? "x"), y: title(labels.y ?? "y") };
}

/**
 * Margins (CSS px) around an image frame for its axes: room for tick labels,
 * and more for axis titles.
 *
 * @example
 * ```ts
 * import { axisMargins } from "./_image_grid.ts";
 * console.log(axisMargins(true, { x: "x (µm)" })); // { right: 6, bottom: 42, left: 40 }
 * ```
 */
export function axisMargins(
  ticks: boolean,
  titles: { x?: string; y?: string },
): { right: number; bottom: number; left: number } {
  return {
    right: 6,
    bottom: ticks ? (titles.x ? 42 : 26) : 6,
    // The y title sits left of tick labels of up to four digits, clear of them.
    left: ticks ? (titles.y ? 62 : 40) : 6,
  };
}

/**
 * CSS px per physical unit (per pixel for pixel axes) that fits images of
 * `cols` total columns and at most `rows` rows into `available` px of width,
 * with a frame no taller than about the figure's `width`.
 */
export function unitLength(
  pixel: PixelSize,
  cols: number,
  rows: number,
  available: number,
  width: number,
): number {
  return Math.min(
    available / (cols * pixel.x),
    Math.max(width * 0.9, 240) / (rows * pixel.y),
  );
}

/**
 * Plot's x and y scale options for an image of `rows` x `cols` cells drawn in
 * a `frameWidth` x `frameHeight` px frame: the domain in pixel coordinates
 * (cell centres at integers, so marks in pixel coordinates stay put), row 0 at
 * the top, ticks at pixel indices or, with physical sizes, at round physical
 * values labelled in them.
 */
export function imageAxes(spec: {
  rows: number;
  cols: number;
  frameWidth: number;
  frameHeight: number;
  pixel: PixelSize;
  titles: { x?: string; y?: string };
  ticks: boolean;
}): { x: Plot.ScaleOptions; y: Plot.ScaleOptions } {
  const { pixel } = spec;
  const axis = (
    n: number,
    length: number,
    size: number,
    title: string | undefined,
  ) => {
    const values = pixelTicks(n, length, size);
    return {
      domain: [-0.5, n - 0.5],
      ...(pixel.physical
        ? {
          // Positions in pixel coordinates, labelled with their physical value.
          ticks: values.map((value) => value / size),
          tickFormat: (_: number, i: number) => String(values[i]),
        }
        : { ticks: values, tickFormat: "d" }),
      label: title ?? null,
      labelAnchor: "center" as const,
      labelArrow: "none" as const,
      labelOffset: 34,
      axis: spec.ticks ? undefined : null,
    };
  };
  return {
    x: axis(spec.cols, spec.frameWidth, pixel.x, spec.titles.x),
    y: {
      ...axis(spec.rows, spec.frameHeight, pixel.y, spec.titles.y),
      reverse: true,
      labelOffset: 48,
    },
  };
}

/** What `layoutImages` draws: the public functions' options plus their kind and defaults. */
export interface GridOptions extends PhysicalAxesOptions {
  kind: FigureKind;
  titles: readonly string[];
  title?: string;
  vmin?: number;
  vmax?: number;
  /** Default "gray". */
  cmap?: unknown;
  /** Default none. */
  labels?: ImageLabels;
  width?: number;
  /** Default true. */
  ticks?: boolean;
  /** Default true. */
  colorbar?: boolean;
  /** One color range for every panel (facets) or one per panel (matplotlib subplots). */
  sharedScale: boolean;
}

const PANEL_GAP = 18;
const COLORBAR_GAP = 14;
const COLORBAR_STRIP = 16;
/**
 * Width of a color bar part (strip, ticks, label), without the gap before it.
 *
 * @example
 * ```ts
 * import { colorbarWidth } from "./_image_grid.ts";
 * const wider = colorbarWidth(undefined) < colorbarWidth("intensity");
 * if (!wider) throw new Error("a label should widen the bar");
 * console.log(wider); // true
 * ```
 */
export function colorbarWidth(label: string | undefined): number {
  return COLORBAR_STRIP + (label ? 66 : 50);
}

/**
 * Validates options and images, then draws the figure.
 *
 * @example
 * ```ts
 * import ndarray from "npm:ndarray@1.1.1";
 * import { layoutImages } from "./_image_grid.ts";
 * const figure = layoutImages("demo", [ndarray(new Float64Array(4), [2, 2])], {
 *   kind: "image",
 *   titles: ["zeros"],
 *   ticks: false,
 *   colorbar: false,
 *   sharedScale: true,
 * });
 * const titled = figure.svg.includes(">zeros<");
 * if (!titled) throw new Error("panel title missing");
 * console.log(titled); // true
 * ```
 */
export function layoutImages(
  fn: string,
  images: readonly unknown[],
  options: GridOptions,
): Figure {
  if (!Array.isArray(images) || images.length === 0) {
    throw argumentError(
      fn,
      "images",
      images,
      "a non-empty array of 2-D ndarrays",
    );
  }
  // imshow's one argument is `image`; the others take an array `images`.
  const planes: DenseArray[] = images.map((image, i) =>
    readDense(fn, options.kind === "image" ? "image" : `images[${i}]`, image, 2)
  );
  const cmap = checkColormap(fn, options.cmap ?? "gray");
  if (
    !Array.isArray(options.titles) || options.titles.length !== planes.length ||
    options.titles.some((t) => typeof t !== "string")
  ) {
    throw argumentError(
      fn,
      "titles",
      options.titles,
      `${planes.length} strings, one per image`,
    );
  }
  const title = checkOptionalText(fn, "title", options.title) ?? "";
  const labels = options.labels ?? {};
  if (typeof labels !== "object") {
    throw argumentError(fn, "labels", labels, "an object { x?, y?, color? }");
  }
  for (const key of ["x", "y", "color"] as const) {
    checkOptionalText(fn, `labels.${key}`, labels[key]);
  }
  const pixel = checkPixelSize(fn, options.physicalSizes, options.physicalUnit);
  const titles = axisTitles(pixel, labels);
  if (options.vmin !== undefined && typeof options.vmin !== "number") {
    throw argumentError(fn, "vmin", options.vmin, "a finite number");
  }
  if (options.vmax !== undefined && typeof options.vmax !== "number") {
    throw argumentError(fn, "vmax", options.vmax, "a finite number");
  }
  const width = checkSize(
    fn,
    "width",
    options.width,
    planes.length === 1 ? 560 : 300 * planes.length + 100,
  );
  const ranges = options.sharedScale
    ? Array(planes.length).fill(
      colorRange(fn, planes.map((p) => p.values), options.vmin, options.vmax),
    )
    : planes.map((p) => colorRange(fn, [p.values], options.vmin, options.vmax));

  const ticks = options.ticks ?? true;
  const colorbar = options.colorbar ?? true;
  const marginTop = options.titles.some((t) => t !== "") ? 28 : 8;
  const margins = { top: marginTop, ...axisMargins(ticks, titles) };
  const barWidth = colorbar ? COLORBAR_GAP + colorbarWidth(labels.color) : 0;
  const chrome = planes.length * (margins.left + margins.right) +
    (planes.length - 1) * PANEL_GAP +
    barWidth + 16;
  const totalCols = planes.reduce((sum, p) => sum + p.shape[1], 0);
  const maxRows = Math.max(...planes.map((p) => p.shape[0]));
  // One pixel size for every panel, limited by width and a frame no taller
  // than about the figure's width.
  const unit = unitLength(pixel, totalCols, maxRows, width - chrome, width);
  if (!(unit > 0)) {
    throw argumentError(
      fn,
      "width",
      options.width,
      `larger than ${chrome} px for these panels`,
    );
  }

  const titleBand = title ? 34 : 4;
  const parts: Placed[] = [];
  let x = 8;
  planes.forEach((plane, i) => {
    const part = imagePanel({
      plane,
      cmap,
      range: ranges[i],
      cell: { x: unit * pixel.x, y: unit * pixel.y },
      pixel,
      ticks,
      titles,
      title: options.titles[i],
      margins,
      names: axisNames(pixel, labels),
      valueName: labels.color ?? "",
    });
    parts.push({ part, x, y: titleBand });
    x += part.width + PANEL_GAP;
  });
  x -= PANEL_GAP;
  let height = titleBand + Math.max(...parts.map((p) => p.part.height));
  if (colorbar) {
    const bar = colorbarPart({
      cmap,
      range: ranges[0],
      frameHeight: maxRows * unit * pixel.y,
      marginTop,
      marginBottom: margins.bottom,
      label: labels.color,
      width: barWidth - COLORBAR_GAP,
    });
    parts.push({ part: bar, x: x + COLORBAR_GAP, y: titleBand });
    x += barWidth;
    height = Math.max(height, titleBand + bar.height);
  }
  const figureWidth = Math.max(x + 8, title ? title.length * 8.5 + 20 : 0);
  // Center the panels when a long title makes the figure wider than they are.
  const shift = (figureWidth - (x + 8)) / 2;
  const placed = parts.map((p) => ({ ...p, x: p.x + shift }));
  return {
    kind: options.kind,
    title,
    width: Math.ceil(figureWidth),
    height: Math.ceil(height + 4),
    svg: composeSvg({
      width: figureWidth,
      height: height + 4,
      title,
      description: describeImages({
        panels: planes.map((p, i) => ({
          title: options.titles[i],
          rows: p.shape[0],
          cols: p.shape[1],
        })),
        cmap,
        range: ranges[0],
        sharedScale: options.sharedScale,
        value: labels.color,
        axes: { ...axisNames(pixel, labels), ...definedTitles(titles) },
      }),
      parts: placed,
    }),
  };
}

interface PanelSpec {
  plane: DenseArray;
  cmap: ColormapName;
  range: [number, number];
  /** A cell's width and height in CSS px. */
  cell: { x: number; y: number };
  pixel: PixelSize;
  ticks: boolean;
  titles: { x?: string; y?: string };
  title: string;
  margins: { top: number; right: number; bottom: number; left: number };
  /** Axis names without units, for the value grid. */
  names: { x: string; y: string };
  /** Name of the values ("" when unnamed). */
  valueName: string;
}

/** The axis titles that are set (with their unit, "x (µm)"). */
function definedTitles(titles: { x?: string; y?: string }) {
  return Object.fromEntries(
    Object.entries(titles).filter(([, title]) => title !== undefined),
  );
}

/** Axis names without units: the labels, else "x"/"y" for physical and "col"/"row" for pixel axes. */
function axisNames(
  pixel: PixelSize,
  labels: ImageLabels,
): { x: string; y: string } {
  return {
    x: labels.x ?? (pixel.physical ? "x" : "col"),
    y: labels.y ?? (pixel.physical ? "y" : "row"),
  };
}

/**
 * What a figure of image panels shows, for its `<desc>` (alt text): panels
 * and their sizes, what the colour encodes and over which range, and the axes.
 *
 * @example
 * ```ts
 * import { describeImages } from "./_image_grid.ts";
 * const text = describeImages({
 *   panels: [{ title: "", rows: 2, cols: 3 }], cmap: "gray", range: [0, 1],
 *   sharedScale: true, value: "intensity", axes: { x: "col", y: "row" },
 * });
 * if (!text.endsWith("x axis: col, y axis: row.")) throw new Error(text);
 * console.log(text.split(";")[1]); // colour shows intensity (gray colormap, 0 to 1)
 * ```
 */
export function describeImages(spec: {
  panels: readonly { title: string; rows: number; cols: number }[];
  cmap: ColormapName;
  range: [number, number];
  sharedScale: boolean;
  value: string | undefined;
  axes: { x?: string; y?: string };
}): string {
  const size = (p: { rows: number; cols: number }) =>
    `${p.rows} rows × ${p.cols} columns`;
  const shown = spec.panels.length === 1
    ? `Image of ${size(spec.panels[0])}`
    : `${spec.panels.length} panels (${
      spec.panels.map((p) => p.title ? `${p.title}: ${size(p)}` : size(p))
        .join("; ")
    })${
      spec.sharedScale
        ? " on one colour scale"
        : ", each on its own colour scale"
    }`;
  const range = spec.sharedScale
    ? `, ${formatTick(spec.range[0])} to ${formatTick(spec.range[1])}`
    : "";
  const axes = [
    spec.axes.x ? `x axis: ${spec.axes.x}` : "",
    spec.axes.y ? `y axis: ${spec.axes.y}` : "",
  ].filter(Boolean).join(", ");
  return `${shown}; colour shows ${
    spec.value || "value"
  } (${spec.cmap} colormap${range})` +
    `${axes ? `; ${axes}` : ""}.`;
}

/** One image as a Plot chart: the PNG fills the frame [-0.5, n - 0.5] on both axes. */
function imagePanel(spec: PanelSpec): Part {
  const [rows, cols] = spec.plane.shape;
  const frameWidth = cols * spec.cell.x;
  const frameHeight = rows * spec.cell.y;
  // An integer multiple of the grid, so cells stay crisp even where
  // `image-rendering` is ignored.
  const scale = upscaleFactor(Math.max(spec.cell.x, spec.cell.y));
  const rgba = colorizePlane(
    spec.plane.values,
    rows,
    cols,
    spec.cmap,
    spec.range[0],
    spec.range[1],
    scale,
  );
  const src = pngDataUri(rgba, cols * scale, rows * scale);
  const { top, right, bottom, left } = spec.margins;
  const part = renderPlot({
    width: left + frameWidth + right,
    height: top + frameHeight + bottom,
    marginTop: top,
    marginRight: right,
    marginBottom: bottom,
    marginLeft: left,
    ...imageAxes({
      rows,
      cols,
      frameWidth,
      frameHeight,
      pixel: spec.pixel,
      titles: spec.titles,
      ticks: spec.ticks,
    }),
    marks: [
      pixelImage(src, rows, cols, frameWidth, frameHeight),
      Plot.frame({ stroke: "black", strokeWidth: 0.8 }),
      ...(spec.title
        ? [Plot.text([spec.title], {
          frameAnchor: "top",
          lineAnchor: "bottom",
          dy: -8,
          fontSize: FONT.panelTitle,
          fill: "black",
        })]
        : []),
    ],
  });
  part.element.setAttribute(
    VALUE_GRID_ATTRIBUTE,
    valueGridAttribute({
      title: spec.title,
      value: spec.valueName,
      rows,
      cols,
      x: axisOf(spec.names.x, spec.pixel.x, spec.pixel),
      y: axisOf(spec.names.y, spec.pixel.y, spec.pixel),
      values: spec.plane.values,
    }),
  );
  return part;
}

function axisOf(name: string, size: number, pixel: PixelSize) {
  return pixel.unit === undefined
    ? { name, size }
    : { name, size, unit: pixel.unit };
}

/**
 * A vertical color bar: a 256-step gradient PNG (vmax at the top) and a right-hand axis.
 *
 * @example
 * ```ts
 * import { colorbarPart } from "./_image_grid.ts";
 * const bar = colorbarPart({ cmap: "magma", range: [0, 1], frameHeight: 100, marginTop: 5, marginBottom: 5, label: "v", width: 80 });
 * if (bar.height !== 110) throw new Error(String(bar.height));
 * console.log(bar.height); // 110
 * ```
 */
export function colorbarPart(spec: {
  cmap: ColormapName;
  range: [number, number];
  frameHeight: number;
  marginTop: number;
  marginBottom: number;
  label: string | undefined;
  width: number;
}): Part {
  const lut = lutOf(spec.cmap);
  const rgba = new Uint8Array(256 * 4);
  for (let row = 0; row < 256; row++) {
    const index = 255 - row;
    rgba.set(
      [lut[3 * index], lut[3 * index + 1], lut[3 * index + 2], 255],
      row * 4,
    );
  }
  const [vmin, vmax] = spec.range;
  return renderPlot({
    width: spec.width,
    height: spec.marginTop + spec.frameHeight + spec.marginBottom,
    marginTop: spec.marginTop,
    marginBottom: spec.marginBottom,
    marginLeft: 0,
    marginRight: spec.width - COLORBAR_STRIP,
    x: { domain: [0, 1], axis: null },
    y: {
      domain: [vmin, vmax],
      axis: "right",
      label: spec.label ?? null,
      labelAnchor: "center",
      labelArrow: "none",
      ...colorbarAxis(vmin, vmax, spec.frameHeight),
    },
    marks: [
      Plot.image([{ x: 0.5, y: (vmin + vmax) / 2 }], {
        x: "x",
        y: "y",
        width: COLORBAR_STRIP,
        height: spec.frameHeight,
        src: pngDataUri(rgba, 1, 256),
        preserveAspectRatio: "none",
      }),
      Plot.frame({ stroke: "black", strokeWidth: 0.8 }),
    ],
  });
}

/**
 * Tick values of a colour bar `length` px tall over [vmin, vmax]: both ends,
 * always, and the round 1-2-5 multiples between them that stay at least 14
 * px from either end (so labels never collide).
 *
 * @example
 * ```ts
 * import { colorbarTicks } from "./_image_grid.ts";
 * const ticks = colorbarTicks(68, 4095, 200);
 * if (ticks[0] !== 68 || ticks.at(-1) !== 4095) throw new Error(String(ticks));
 * console.log(ticks); // [ 68, 2000, 4095 ]
 * ```
 */
export function colorbarTicks(
  vmin: number,
  vmax: number,
  length: number,
): number[] {
  if (!(vmax > vmin)) return [vmin];
  const span = vmax - vmin;
  const rough = span / Math.max(1, Math.floor(length / 45));
  const exponent = Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * 10 ** exponent).find((s) =>
    s >= rough * (1 - 1e-9)
  )!;
  const clearance = Math.max(0.3 * step, (14 / length) * span);
  const inner: number[] = [];
  for (let k = Math.ceil(vmin / step); k * step < vmax; k++) {
    const value = Number((k * step).toPrecision(12));
    if (value - vmin >= clearance && vmax - value >= clearance) {
      inner.push(value);
    }
  }
  return [vmin, ...inner, vmax];
}

/**
 * A tick label: up to 4 significant digits, exponent form outside [1e-3, 1e5).
 *
 * @example
 * ```ts
 * import { formatTick } from "./_image_grid.ts";
 * console.log(formatTick(0.164321), formatTick(4095), formatTick(0.0000123)); // 0.1643 4095 1.23e-5
 * ```
 */
export function formatTick(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5)) {
    return String(Number(value.toExponential(3)).toExponential()).replace(
      "e+",
      "e",
    );
  }
  return String(Number(value.toPrecision(4)));
}

function colorbarAxis(vmin: number, vmax: number, length: number) {
  const ticks = colorbarTicks(vmin, vmax, length);
  return { ticks, tickFormat: (value: number) => formatTick(value) };
}

/**
 * The mark drawing an exact-grid image of `rows` × `cols` cells over a frame
 * of `width` × `height` CSS pixels, cells centred on their integer
 * coordinates and never smoothed.
 */
export function pixelImage(
  src: string,
  rows: number,
  cols: number,
  width: number,
  height: number,
): Plot.Markish {
  return Plot.image([{ x: (cols - 1) / 2, y: (rows - 1) / 2 }], {
    x: "x",
    y: "y",
    width,
    height,
    src,
    preserveAspectRatio: "none",
    imageRendering: "pixelated",
  });
}
