/**
 * Interactive view files (`.view.json`, format "stria-view" version 1, see
 * docs/example_format.md): volumes the gallery's client script shows with a
 * plane slider, hover readout and optional 3D view.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import type { NdArray } from "../deps.ts";
import { checkColormap, type ColormapName } from "./colormaps.ts";
import { writeFileAtomic } from "../_atomic_write.ts";
import type { TiffMetadata } from "../io/read_tiff.ts";
import { checkPhysicalSizes } from "./_physical_sizes.ts";
import { colorRange, readDense } from "./_raster.ts";
import { float32Base64 } from "./_value_grid.ts";

/** Widgets a view asks the gallery for. */
export type ViewWidget = "slices" | "3d";

/** One volume of a view. */
export interface ViewPanel {
  /** Panel title, e.g. "sample (channel 1)". */
  title: string;
  /** A 3-D ndarray (Z, Y, X), any dtype or view; every panel has the same shape. */
  volume: NdArray;
  /** Colormap (default "gray"). */
  cmap?: ColormapName;
  /** Lower color bound (default: the volume's finite minimum). */
  vmin?: number;
  /** Upper color bound (default: the volume's finite maximum). */
  vmax?: number;
  /** Name of the values for the hover readout, e.g. "intensity" (default ""). */
  label?: string;
}

/** What {@linkcode encodeView} and {@linkcode saveView} take. */
export interface ViewSpec {
  /** View title. */
  title: string;
  /** The volumes, scrubbed together along axis 0. */
  panels: readonly ViewPanel[];
  /** Widgets (default ["slices"]). */
  widgets?: readonly ViewWidget[];
  /** Plane shown first (default the middle plane). */
  initialPlane?: number;
  /**
   * Physical size of a voxel step per axis, e.g. `{ Z: 1.25, Y: 1.24, X: 1.24 }`
   * or a TIFF's `metadata.physicalSizes` (a missing axis counts 1; T is ignored).
   */
  physicalSizes?: TiffMetadata["physicalSizes"];
  /** Unit of `physicalSizes`, e.g. "µm". */
  physicalUnit?: string;
}

/** A panel as stored: values as base64 of float32 little-endian, C order. */
export interface EncodedViewPanel {
  /** Panel title. */
  title: string;
  /** Colormap name. */
  cmap: ColormapName;
  /** Value at the colormap's first color. */
  vmin: number;
  /** Value at the colormap's last color. */
  vmax: number;
  /** Name of the values for the hover readout ("" for none). */
  label: string;
  /** Base64 of the float32 little-endian values in C order. */
  data: string;
}

/** The JSON document of a `.view.json` file, version 1. */
export interface EncodedView {
  /** Always "stria-view". */
  format: "stria-view";
  /** Format version: 1. */
  version: 1;
  /** View title. */
  title: string;
  /** Axis order of every panel: planes, rows, columns. */
  axes: "ZYX";
  /** Shape shared by every panel. */
  shape: [number, number, number];
  /** Physical size of a voxel step along Z, Y and X. */
  physicalSizes: { Z: number; Y: number; X: number };
  /** Unit of `physicalSizes`, when known. */
  physicalUnit?: string;
  /** Plane shown first. */
  initialPlane: number;
  /** Widgets the gallery shows. */
  widgets: ViewWidget[];
  /** The volumes. */
  panels: EncodedViewPanel[];
}

/**
 * Builds the "stria-view" version 1 document from ndarrays: checks that every
 * panel is 3-D with one common shape, fills defaults, and stores values as
 * base64 float32 little-endian in C order (values beyond float32's range
 * become ±Infinity; NaN stays NaN).
 *
 * @example
 * ```ts
 * import ndarray from "npm:ndarray@1.1.1";
 * import { encodeView } from "./view.ts";
 *
 * const volume = ndarray(new Uint16Array(2 * 3 * 4).map((_, i) => i), [2, 3, 4]);
 * const view = encodeView({ title: "Ramp", panels: [{ title: "ramp", volume, label: "intensity" }] });
 * if (view.shape.join() !== "2,3,4" || view.panels[0].vmax !== 23) throw new Error(String(view.shape));
 * console.log(view.shape, view.panels[0].vmax); // [ 2, 3, 4 ] 23
 * ```
 */
export function encodeView(spec: ViewSpec): EncodedView {
  return encodeViewFor("encodeView", spec);
}

/** {@linkcode encodeView} with errors naming `fn`, the public function called. */
function encodeViewFor(fn: string, spec: ViewSpec): EncodedView {
  if (typeof spec !== "object" || spec === null) {
    throw argumentError(fn, "view", spec, "an object");
  }
  if (typeof spec.title !== "string") {
    throw argumentError(fn, "title", spec.title, "a string");
  }
  if (!Array.isArray(spec.panels) || spec.panels.length === 0) {
    throw argumentError(
      fn,
      "panels",
      spec.panels,
      "a non-empty array of panels",
    );
  }
  let shape: [number, number, number] | undefined;
  const panels = spec.panels.map(
    (panel: ViewPanel, i: number): EncodedViewPanel => {
      if (typeof panel !== "object" || panel === null) {
        throw argumentError(fn, `panels[${i}]`, panel, "an object");
      }
      if (typeof panel.title !== "string") {
        throw argumentError(fn, `panels[${i}].title`, panel.title, "a string");
      }
      if (panel.label !== undefined && typeof panel.label !== "string") {
        throw argumentError(fn, `panels[${i}].label`, panel.label, "a string");
      }
      const dense = readDense(fn, `panels[${i}].volume`, panel.volume, 3);
      const panelShape = dense.shape as [number, number, number];
      if (shape && panelShape.some((n, axis) => n !== shape![axis])) {
        throw argumentError(
          fn,
          `panels[${i}].volume`,
          panel.volume,
          `of shape [${shape.join(", ")}] like panels[0]`,
        );
      }
      shape ??= panelShape;
      const [vmin, vmax] = colorRange(
        fn,
        [dense.values],
        panel.vmin,
        panel.vmax,
      );
      return {
        title: panel.title,
        cmap: checkColormap(fn, panel.cmap ?? "gray"),
        vmin,
        vmax,
        label: panel.label ?? "",
        data: float32Base64(dense.values),
      };
    },
  );
  const finalShape = shape!;
  const widgets = spec.widgets ?? ["slices"];
  if (
    !Array.isArray(widgets) || widgets.some((w) => w !== "slices" && w !== "3d")
  ) {
    throw argumentError(
      fn,
      "widgets",
      widgets,
      'an array of "slices" and "3d"',
    );
  }
  const initialPlane = spec.initialPlane ?? Math.floor(finalShape[0] / 2);
  if (
    !Number.isInteger(initialPlane) || initialPlane < 0 ||
    initialPlane >= finalShape[0]
  ) {
    throw argumentError(
      fn,
      "initialPlane",
      spec.initialPlane,
      `an integer in [0, ${finalShape[0] - 1}]`,
    );
  }
  const { unit, ...physicalSizes } = checkPhysicalSizes(
    fn,
    spec.physicalSizes,
    spec.physicalUnit,
  );
  return {
    format: "stria-view",
    version: 1,
    title: spec.title,
    axes: "ZYX",
    shape: finalShape,
    physicalSizes,
    ...(unit === undefined ? {} : { physicalUnit: unit }),
    initialPlane,
    widgets: [...widgets],
    panels,
  };
}

/**
 * Writes a view (see {@linkcode encodeView}) as JSON to `path`, which must end
 * in `.view.json`. The write is atomic (temporary file in the same folder, then
 * rename); the parent folder is created if missing.
 *
 * @example
 * ```ts
 * import ndarray from "npm:ndarray@1.1.1";
 * import { saveView } from "./view.ts";
 *
 * const dir = await Deno.makeTempDir();
 * const volume = ndarray(new Float32Array(2 * 2 * 2), [2, 2, 2]);
 * await saveView(`${dir}/zeros.view.json`, { title: "Zeros", panels: [{ title: "zeros", volume }], widgets: ["slices", "3d"] });
 * const { format } = JSON.parse(await Deno.readTextFile(`${dir}/zeros.view.json`));
 * if (format !== "stria-view") throw new Error(format);
 * console.log(format); // stria-view
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function saveView(path: string, view: ViewSpec): Promise<void> {
  if (typeof path !== "string" || !path.endsWith(".view.json")) {
    throw argumentError(
      "saveView",
      "path",
      path,
      'a file path ending in ".view.json"',
    );
  }
  await writeFileAtomic(
    "saveView",
    path,
    JSON.stringify(encodeViewFor("saveView", view)),
    {
      createFolder: true,
    },
  );
}
