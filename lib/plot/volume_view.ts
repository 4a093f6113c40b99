/**
 * `volumeView`: a static 3D rendering of a small volume, for figures where the
 * tutorial shows plotly's interactive `go.Volume` with a highlighted slice.
 *
 * @module
 */

import { checkOptionsObject } from "../_options_object.ts";
import { argumentError } from "../_errors.ts";
import type { NdArray } from "../deps.ts";
import { Plot } from "./_deps.ts";
import { checkColormap, type ColormapName } from "./colormaps.ts";
import type { Figure } from "./figure.ts";
import { checkNumberIn, checkOptionalText } from "./_options.ts";
import { colorbarPart, colorbarWidth, formatTick } from "./_image_grid.ts";
import type { TiffMetadata } from "../io/read_tiff.ts";
import { checkPhysicalSizes } from "./_physical_sizes.ts";
import { castRays, type Edge } from "./_ray_cast.ts";
import { colorRange, readDense } from "./_raster.ts";
import { composeSvg, FONT, renderPlot } from "./_svg.ts";

/** Options of {@linkcode volumeView}. */
export interface VolumeViewOptions {
  /** Opacity of a voxel at vmax per voxel length, in [0, 1] (default 0.5). */
  opacity?: number;
  /** Index of the Z plane (axis 0) drawn as an opaque, outlined slice (default the middle plane; -1 for none). */
  slice?: number;
  /** Value at the colormap's first color and zero opacity (default: finite minimum). */
  vmin?: number;
  /** Value at the colormap's last color and full opacity (default: finite maximum). */
  vmax?: number;
  /** Colormap (default "gray"). */
  cmap?: ColormapName;
  /** Figure title (default none). */
  title?: string;
  /** Color bar label (default none). */
  colorLabel?: string;
  /**
   * Physical size of a voxel step per axis, e.g. `{ Z: 1.25, Y: 1.24, X: 1.24 }`
   * or a TIFF's `metadata.physicalSizes` (a missing axis counts 1; T is ignored).
   */
  physicalSizes?: TiffMetadata["physicalSizes"];
  /** Unit of `physicalSizes`, e.g. "µm": the axis names then give the box's lengths. */
  physicalUnit?: string;
  /** Camera azimuth around the Z axis, in degrees (default -60). */
  azimuth?: number;
  /** Camera elevation above the X-Y plane, in degrees (default 30). */
  elevation?: number;
  /** Width of the rendered view in CSS pixels (default 480). */
  width?: number;
}

/**
 * Renders a 3-D volume (axes Z, Y, X: planes, rows, cols) in an orthographic
 * oblique view by ray casting with front-to-back alpha compositing (emission
 * absorption model; M. Levoy, "Display of Surfaces from Volume Data", IEEE
 * CG&A 8(3), 1988): each voxel's color comes from the colormap and its opacity
 * per voxel length is `opacity * t`, with `t` its value scaled to [0, 1] by
 * [vmin, vmax] (clamped; NaN voxels are empty). The Z plane `slice` is drawn
 * as an opaque colored surface with an orange outline, as plotly's `slices_z`.
 * The box edges (hidden ones dashed), axis names and a color bar complete the
 * figure. The rendering is embedded as a PNG at twice the CSS size.
 *
 * @example
 * ```ts
 * import ndarray from "npm:ndarray@1.1.1";
 * import { volumeView } from "./volume_view.ts";
 *
 * const volume = ndarray(Float32Array.from({ length: 4 * 6 * 6 }, (_, i) => i % 7), [4, 6, 6]);
 * const figure = volumeView(volume, { opacity: 0.5, slice: 2, title: "A small volume", width: 200 });
 * const titled = figure.svg.includes("A small volume");
 * if (figure.kind !== "volume" || !titled) throw new Error(figure.kind);
 * console.log(figure.kind, titled); // volume true
 * ```
 */
export function volumeView(
  volume: NdArray,
  options: VolumeViewOptions = {},
): Figure {
  const fn = "volumeView";
  checkOptionsObject(fn, options, [
    "opacity",
    "slice",
    "vmin",
    "vmax",
    "cmap",
    "title",
    "colorLabel",
    "physicalSizes",
    "physicalUnit",
    "azimuth",
    "elevation",
    "width",
  ]);
  const dense = readDense(fn, "volume", volume, 3);
  const [planes] = dense.shape;
  const cmap = checkColormap(fn, options.cmap ?? "gray");
  const opacity = checkNumberIn(fn, "opacity", options.opacity, 0.5, 0, 1);
  const slice = checkNumberIn(
    fn,
    "slice",
    options.slice,
    Math.floor(planes / 2),
    -1,
    planes - 1,
  );
  if (!Number.isInteger(slice)) {
    throw argumentError(
      fn,
      "slice",
      slice,
      `an integer plane index in [-1, ${planes - 1}]`,
    );
  }
  const azimuth = checkNumberIn(fn, "azimuth", options.azimuth, -60, -360, 360);
  const elevation = checkNumberIn(
    fn,
    "elevation",
    options.elevation,
    30,
    -90,
    90,
  );
  const width = checkNumberIn(fn, "width", options.width, 480, 200, 4000);
  const voxel = checkPhysicalSizes(
    fn,
    options.physicalSizes,
    options.physicalUnit,
  );
  const title = checkOptionalText(fn, "title", options.title) ?? "";
  const colorLabel = checkOptionalText(fn, "colorLabel", options.colorLabel);
  const range = colorRange(fn, [dense.values], options.vmin, options.vmax);
  const view = castRays(dense, {
    cmap,
    range,
    opacity,
    slice,
    azimuth,
    elevation,
    width,
    voxel: [voxel.Z, voxel.Y, voxel.X],
    unit: voxel.unit,
  });

  const frameHeight = view.height;
  const labelColor = "#e8e8e8";
  const panel = renderPlot({
    width: view.width,
    height: view.height,
    margin: 0,
    x: { domain: [0, view.width], axis: null },
    y: { domain: [0, view.height], reverse: true, axis: null },
    marks: [
      Plot.frame({ fill: "#141414", stroke: null }),
      Plot.image([{ x: view.width / 2, y: view.height / 2 }], {
        x: "x",
        y: "y",
        width: view.width,
        height: view.height,
        src: view.src,
        preserveAspectRatio: "none",
      }),
      Plot.link(view.edges.filter((d) => d.hidden), {
        x1: "x1",
        y1: "y1",
        x2: "x2",
        y2: "y2",
        stroke: "#8a8a8a",
        strokeDasharray: "3,3",
      }),
      Plot.link(view.edges.filter((d) => !d.hidden), {
        x1: "x1",
        y1: "y1",
        x2: "x2",
        y2: "y2",
        stroke: (d: Edge) => (d.slice ? "#ff8c1a" : "#b0b0b0"),
        strokeWidth: (d: Edge) => (d.slice ? 1.6 : 1),
      }),
      ...(["start", "end"] as const).map((anchor) =>
        Plot.text(view.axisLabels.filter((d) => d.anchor === anchor), {
          x: "x",
          y: "y",
          text: "text",
          textAnchor: anchor,
          fill: labelColor,
          fontSize: FONT.label,
        })
      ),
    ],
  });
  const bar = colorbarPart({
    cmap,
    range,
    frameHeight: frameHeight - 40,
    marginTop: 20,
    marginBottom: 20,
    label: colorLabel,
    width: colorbarWidth(colorLabel),
  });
  const titleBand = title ? 34 : 4;
  const contentWidth = 8 + view.width + 14 + bar.width + 8;
  const figureWidth = Math.max(
    contentWidth,
    title ? title.length * 8.5 + 20 : 0,
  );
  const shift = (figureWidth - contentWidth) / 2;
  const height = titleBand + view.height + 8;
  return {
    kind: "volume",
    title,
    width: Math.ceil(figureWidth),
    height: Math.ceil(height),
    svg: composeSvg({
      width: figureWidth,
      height,
      title,
      description: `Volume rendering of ${dense.shape.join(" × ")} voxels ` +
        `(Z × Y × X${
          voxel.unit === undefined
            ? ""
            : `, voxel ${voxel.Z} × ${voxel.Y} × ${voxel.X} ${voxel.unit}`
        }); ` +
        `colour and opacity show ${colorLabel ?? "value"} (${cmap} colormap, ` +
        `${formatTick(range[0])} to ${formatTick(range[1])})` +
        `${
          slice >= 0
            ? `; plane Z = ${slice} drawn opaque, outlined in orange`
            : ""
        }.`,
      parts: [
        { part: panel, x: 8 + shift, y: titleBand },
        { part: bar, x: 8 + view.width + 14 + shift, y: titleBand },
      ],
    }),
  };
}
