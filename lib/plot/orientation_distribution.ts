/**
 * `orientationDistribution` and `orientationHistogram`: how one rank's
 * eigenvectors are distributed over directions, as an equal-area
 * (Schmidt net) histogram of the hemisphere in 3-D and a rose of
 * orientations in 2-D.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import type { NdArray } from "../deps.ts";
import {
  checkColormap,
  colormapIndex,
  type ColormapName,
  lutOf,
} from "./colormaps.ts";
import type { Figure } from "./figure.ts";
import { checkOptionalText, checkSize } from "./_options.ts";
import { colorbarPart, colorbarWidth } from "./_image_grid.ts";
import { pngDataUri } from "./_png.ts";
import { round } from "./_svg.ts";
import {
  type Block,
  inPlaneAngle,
  layoutRow,
  optionsOf,
  readScalars,
  readVectors,
  svgText,
} from "./_orientation_color.ts";

/** Options of {@linkcode orientationHistogram}. */
export interface OrientationHistogramOptions {
  /** Which eigenvector: 0 for the largest eigenvalue's (default 0). */
  rank?: number;
  /** Weight of each voxel (e.g. fractional anisotropy; default 1), the field's shape. NaN weights are skipped. */
  weight?: NdArray;
  /**
   * 3-D: rings of cells around the centre cell (default 6, so 1 + 3·6·7 =
   * 127 cells); 2-D: bins over [0°, 180°) (default 18, 10° each).
   */
  bins?: number;
}

/** Options of {@linkcode orientationDistribution}. */
export interface OrientationDistributionOptions
  extends OrientationHistogramOptions {
  /** Figure title (default none). */
  title?: string;
  /** 3-D: colormap of the density (default "viridis"). */
  cmap?: ColormapName;
  /** Diameter of the disk (3-D) or rose in CSS pixels (default 300). */
  size?: number;
}

/** Summed weights per cell of {@linkcode orientationHistogram}. */
export interface OrientationHistogram {
  /** 3 for a hemisphere histogram, 2 for a rose of in-plane orientations. */
  readonly d: 2 | 3;
  /** The `bins` option used (3-D: rings around the centre cell). */
  readonly bins: number;
  /**
   * Summed weight per cell. 3-D: cell 0 is the centre (around +Z); ring k
   * (1..bins) holds cells 1 + 3k(k-1) .. 3k(k+1), 6k sectors of equal
   * area, sector s centred on azimuth 360°·s/(6k) from +X towards +Y. 2-D:
   * bin b is centred on orientation 180°·b/bins.
   */
  readonly values: Float64Array;
  /** Total weight counted. */
  readonly total: number;
}

/** N(k) = 1 + 3k(k+1): the cells of the Schmidt net out to ring k (a hexagonal number). */
function cellsWithin(k: number): number {
  return 1 + 3 * k * (k + 1);
}

/**
 * The cell of a point of the unit disk with squared radius `rho2` and
 * azimuth `phi` (radians) among `1 + 3·rings·(rings + 1)` equal-area cells:
 * ring k is bounded by radii sqrt(N(k-1)/N) and sqrt(N(k)/N), N(k) =
 * 1 + 3k(k+1), N = N(rings), and has 6k sectors (a hexagonal-number
 * layout, so cells are near square), the first centred on azimuth 0.
 */
function diskCell(rho2: number, phi: number, rings: number): number {
  const t = Math.min(rho2, 1) * cellsWithin(rings);
  let k = Math.max(
    0,
    Math.ceil((Math.sqrt(9 + 12 * Math.max(0, t - 1)) - 3) / 6),
  );
  while (k > 0 && t <= cellsWithin(k - 1)) k--;
  while (k < rings && t > cellsWithin(k)) k++;
  if (k === 0) return 0;
  const sectors = 6 * k;
  const turn = phi / (2 * Math.PI);
  const sector = Math.floor((turn - Math.floor(turn)) * sectors + 0.5) %
    sectors;
  return cellsWithin(k - 1) + sector;
}

/**
 * Bins one rank's eigenvectors by direction, each voxel counted with its
 * weight. Directions are axes (v ≡ -v).
 *
 * - 3-D (`[3, 3, Z, Y, X]`): each vector is folded to the upper hemisphere
 *   (negated when v_z < 0; vectors on the equator keep their sign) and
 *   mapped by Lambert's azimuthal equal-area projection, the Schmidt net of
 *   structural geology: radius r = sqrt(2)·sin(θ/2), θ the angle from +Z,
 *   which is 1 on the equator, so the hemisphere fills the unit disk; the
 *   azimuth is atan2(v_y, v_x). Computed as r = |v - e_z| / sqrt(2) (the
 *   chord to the pole), exact near the pole. Equal areas on the sphere map
 *   to equal areas of the disk, and the disk is cut into equal-area cells
 *   (see {@linkcode OrientationHistogram}), so a uniform distribution
 *   gives equal expected weights.
 * - 2-D (`[2, 2, rows, cols]`): the in-plane orientation of `orientationMap`
 *   (from +x, counterclockwise on screen, in [0°, 180°)) in `bins` equal
 *   bins.
 *
 * Vectors are normalised first; NaN and zero vectors are skipped.
 *
 * References: J. H. Lambert, "Anmerkungen und Zusätze zur Entwerfung der
 * Land- und Himmelscharten", 1772; W. Schmidt, "Gefügestatistik",
 * Tschermaks Mineral. Petrogr. Mitt. 38, 1925; J. P. Snyder, "Map
 * Projections: A Working Manual", USGS Prof. Paper 1395, 1987, §24.
 *
 * @example
 * ```ts
 * import ndarray from "npm:ndarray@1.1.1";
 * import { orientationHistogram } from "./orientation_distribution.ts";
 *
 * // Two voxels whose rank-0 vectors are +z and -z: both in the centre cell.
 * const data = new Float64Array(18);
 * data[0] = 1; // rank 0, z component, voxel 0
 * data[1] = -1; // rank 0, z component, voxel 1
 * data.fill(1, 8, 10); // rank 1 along y
 * data.fill(1, 16, 18); // rank 2 along x
 * const { values, total } = orientationHistogram(ndarray(data, [3, 3, 2, 1, 1]), { bins: 2 });
 * console.log(values.length, values[0], total); // 19 2 2
 * ```
 */
export function orientationHistogram(
  vectors: NdArray,
  options?: OrientationHistogramOptions,
): OrientationHistogram {
  const fn = "orientationHistogram";
  return histogram(
    fn,
    vectors,
    optionsOf(fn, options, ["rank", "weight", "bins"]),
  );
}

/** The histogram of `vectors` for options already checked by the caller. */
function histogram(
  fn: string,
  vectors: NdArray,
  checked: Partial<OrientationHistogramOptions>,
): OrientationHistogram {
  const field = readVectors(fn, vectors, checked, [2, 3], false);
  const weight = readScalars(fn, "weight", checked.weight, field);
  const d = field.d as 2 | 3;
  const bins = checked.bins ?? (d === 3 ? 6 : 18);
  if (!Number.isInteger(bins) || bins < 1 || bins > 1000) {
    throw argumentError(fn, "bins", checked.bins, "an integer in [1, 1000]");
  }
  const values = new Float64Array(d === 3 ? cellsWithin(bins) : bins);
  let total = 0;
  const n = field.components[0].length;
  const [c0, c1, c2] = field.components; // (z, y, x) in 3-D, (row, col) in 2-D
  for (let i = 0; i < n; i++) {
    const w = weight ? weight[i] : 1;
    let cell: number;
    if (d === 3) {
      const norm = Math.hypot(c0[i], c1[i], c2[i]);
      if (!(norm > 0) || norm === Infinity) continue;
      const sign = c0[i] < 0 ? -1 : 1;
      const z = (sign * c0[i]) / norm;
      const y = (sign * c1[i]) / norm;
      const x = (sign * c2[i]) / norm;
      const rho2 = (x * x + y * y + (z - 1) * (z - 1)) / 2; // (sqrt(2)·sin(θ/2))²
      cell = diskCell(rho2, Math.atan2(y, x), bins);
    } else {
      if (!(Math.hypot(c0[i], c1[i]) > 0)) continue;
      cell = Math.floor((inPlaneAngle(c0[i], c1[i]) / 180) * bins + 0.5) %
        bins;
    }
    if (Number.isNaN(w)) continue;
    values[cell] += w;
    total += w;
  }
  return { d, bins, values, total };
}

/**
 * Draws the distribution of one rank's eigenvectors over directions.
 *
 * - 3-D: the Schmidt net of {@linkcode orientationHistogram}: the upper
 *   hemisphere seen from +Z (Z at the centre, X to the right and Y down on
 *   the rim, as in the image planes), each equal-area cell coloured by its
 *   weight density relative to a uniform distribution (1 = uniform), with a
 *   colour bar.
 * - 2-D: a rose of orientations: each bin a wedge at its orientation and
 *   the opposite one (axes have no sign), wedge area proportional to the
 *   bin's weight (radius ∝ sqrt(weight)), the largest bin reaching the
 *   outer circle.
 *
 * @example
 * ```ts
 * import ndarray from "npm:ndarray@1.1.1";
 * import { orientationDistribution } from "./orientation_distribution.ts";
 *
 * const data = new Float64Array(9);
 * data[0] = 1; // rank 0 along z
 * data[4] = 1; // rank 1 along y
 * data[8] = 1; // rank 2 along x
 * const figure = orientationDistribution(ndarray(data, [3, 3, 1, 1, 1]), { title: "Fibres" });
 * console.log(figure.svg.includes(">Fibres<")); // true
 * ```
 */
export function orientationDistribution(
  vectors: NdArray,
  options?: OrientationDistributionOptions,
): Figure {
  const fn = "orientationDistribution";
  const checked = optionsOf(fn, options, [
    "rank",
    "weight",
    "bins",
    "title",
    "cmap",
    "size",
  ]);
  const result = histogram(fn, vectors, checked);
  const title = checkOptionalText(fn, "title", checked.title) ?? "";
  const cmap = checkColormap(fn, checked.cmap ?? "viridis");
  const size = checkSize(fn, "size", checked.size, 300);
  if (result.d === 2) return layoutRow("bar", title, [rose(result, size)]);
  const density = result.total > 0
    ? result.values.map((v) => (v * result.values.length) / result.total)
    : result.values;
  const high = Math.max(1e-12, ...density);
  const label = "density (1 = uniform)";
  const bar = colorbarPart({
    cmap,
    range: [0, high],
    frameHeight: size,
    marginTop: 20,
    marginBottom: 50,
    label,
    width: colorbarWidth(label),
  });
  return layoutRow("image", title, [
    schmidtDisk(density, result.bins, cmap, high, size),
    bar,
  ]);
}

/** The Schmidt net: cells as a raster, cell edges, rim and axis labels. */
function schmidtDisk(
  density: Float64Array,
  rings: number,
  cmap: ColormapName,
  high: number,
  size: number,
): Block {
  const pixels = 2 * Math.round(size);
  const lut = lutOf(cmap);
  const rgba = new Uint8Array(pixels * pixels * 4);
  for (let j = 0; j < pixels; j++) {
    for (let i = 0; i < pixels; i++) {
      const x = (2 * (i + 0.5)) / pixels - 1;
      const y = (2 * (j + 0.5)) / pixels - 1; // +Y down
      const rho2 = x * x + y * y;
      if (rho2 > 1) continue;
      const index = colormapIndex(
        density[diskCell(rho2, Math.atan2(y, x), rings)],
        0,
        high,
      );
      rgba.set(
        [lut[3 * index], lut[3 * index + 1], lut[3 * index + 2], 255],
        (j * pixels + i) * 4,
      );
    }
  }
  const src = pngDataUri(rgba, pixels, pixels);
  const radius = size / 2;
  const total = cellsWithin(rings);
  return {
    width: size + 40,
    height: size + 70,
    svg: (x0, y0) => {
      const cx = x0 + 20 + radius;
      const cy = y0 + 20 + radius;
      const edges: string[] = [];
      for (let k = 1; k <= rings; k++) {
        const inner = radius * Math.sqrt(cellsWithin(k - 1) / total);
        const outer = radius * Math.sqrt(cellsWithin(k) / total);
        const r = round(inner);
        edges.push(
          `M${round(cx + inner)},${round(cy)}A${r},${r} 0 1 0 ${
            round(cx - inner)
          },${round(cy)}A${r},${r} 0 1 0 ${round(cx + inner)},${round(cy)}`,
        );
        for (let s = 0; s < 6 * k; s++) {
          const a = ((s + 0.5) * 2 * Math.PI) / (6 * k);
          edges.push(
            `M${round(cx + inner * Math.cos(a))},${
              round(cy + inner * Math.sin(a))
            }L${round(cx + outer * Math.cos(a))},${
              round(cy + outer * Math.sin(a))
            }`,
          );
        }
      }
      const halo =
        'fill="white" stroke="black" stroke-width="2.5" paint-order="stroke"';
      return `<image href="${src}" x="${cx - radius}" y="${
        cy - radius
      }" width="${size}" height="${size}"/>` +
        `<path d="${
          edges.join("")
        }" fill="none" stroke="white" stroke-opacity="0.35" stroke-width="0.6"/>` +
        `<circle cx="${cx}" cy="${cy}" r="${radius}" fill="none" stroke="black" stroke-width="0.8"/>` +
        `<text x="${cx + radius + 6}" y="${
          cy + 4
        }" font-size="13" font-weight="600">X</text>` +
        `<text x="${cx}" y="${
          cy + radius + 16
        }" text-anchor="middle" font-size="13" font-weight="600">Y</text>` +
        `<text x="${cx}" y="${
          cy + 5
        }" text-anchor="middle" font-size="13" font-weight="600" ${halo}>Z</text>` +
        svgText(
          cx,
          cy + radius + 36,
          "Schmidt net (Lambert equal-area),",
          "middle",
        ) +
        svgText(
          cx,
          cy + radius + 50,
          "upper hemisphere seen from +Z",
          "middle",
        );
    },
  };
}

/** The 2-D rose: a wedge per bin at its orientation and the opposite one. */
function rose(result: OrientationHistogram, size: number): Block {
  const { values, bins, total } = result;
  const radius = size / 2;
  const high = Math.max(...values);
  const halfWidth = Math.PI / bins / 2;
  return {
    width: size + 80,
    height: size + 60,
    svg: (x0, y0) => {
      const cx = x0 + 40 + radius;
      const cy = y0 + 20 + radius;
      const point = (r: number, a: number) =>
        `${round(cx + r * Math.cos(a))},${round(cy - r * Math.sin(a))}`;
      const wedges: string[] = [];
      values.forEach((v, b) => {
        if (!(v > 0)) return;
        const r = radius * Math.sqrt(v / high);
        for (
          const centre of [b * Math.PI / bins, b * Math.PI / bins + Math.PI]
        ) {
          wedges.push(
            `M${cx},${cy}L${point(r, centre - halfWidth)}A${round(r)},${
              round(r)
            } 0 0 0 ${point(r, centre + halfWidth)}Z`,
          );
        }
      });
      const labels = [0, 45, 90, 135].map((deg) => {
        const a = (deg * Math.PI) / 180;
        const anchor = deg < 80 ? "start" : deg > 100 ? "end" : "middle";
        return svgText(
          cx + (radius + 5) * Math.cos(a),
          cy - (radius + 5) * Math.sin(a) + (deg === 90 ? -3 : 4),
          `${deg}°`,
          anchor,
        );
      }).join("");
      const share = total > 0 ? ((100 * high) / total).toFixed(1) : "0";
      return `<circle cx="${cx}" cy="${cy}" r="${radius}" fill="none" stroke="#999" stroke-width="0.8"/>` +
        `<path d="M${cx - radius},${cy}H${cx + radius}M${cx},${cy - radius}V${
          cy + radius
        }" stroke="#ccc" stroke-width="0.6"/>` +
        `<path d="${
          wedges.join("")
        }" fill="#4c78a8" stroke="white" stroke-width="0.4"/>` +
        labels +
        svgText(
          cx,
          cy + radius + 30,
          `outer circle: largest bin, ${share} % of the weight`,
          "middle",
        );
    },
  };
}
