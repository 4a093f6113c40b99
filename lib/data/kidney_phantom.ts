/**
 * A deterministic synthetic stand-in for the kidney dataset, for offline use,
 * tests and examples run with `--synthetic`.
 *
 * @module
 */

import { checkOptionsObject } from "../_options_object.ts";
import { createHash } from "node:crypto";
import { argumentError } from "../_errors.ts";
import { ndarray } from "../deps.ts";
import type { KidneyVolume } from "./kidney_volume.ts";
import { datasetRegistry } from "./registry.ts";
import { approximateNormalSource, mulberry32, uniformSource } from "./_prng.ts";
import { phantomLayout } from "./_phantom_layout.ts";
import type { PhantomColumn, Vec3 } from "./phantom_description.ts";

/** Options of {@linkcode kidneyPhantom}. */
export interface KidneyPhantomOptions {
  /** Seed of the layout and the noise, an integer in [0, 2^32). Default 0. */
  seed?: number;
  /** Spatial shape `[Z, Y, X]`; default `[16, 512, 512]`, the real data's. */
  shape?: readonly [number, number, number];
}

const FN = "kidneyPhantom";
const MAX_VALUE = 4095;
const CHANNEL1_FLOOR = 68;

/** Bounding box `[lo, hi)` per axis of the voxels within `reach` of a structure, clipped to the volume. */
function clippedBox(
  low: Vec3,
  high: Vec3,
  reach: number,
  shape: Vec3,
): [Vec3, Vec3] {
  const lo: Vec3 = [0, 0, 0];
  const hi: Vec3 = [0, 0, 0];
  for (let axis = 0; axis < 3; axis++) {
    lo[axis] = Math.max(0, Math.floor(low[axis] - reach));
    hi[axis] = Math.min(shape[axis], Math.ceil(high[axis] + reach) + 1);
  }
  return [lo, hi];
}

/**
 * Adds `peak * exp(-d^2 / (2 sigma^2))` over the box, `d` the distance to the
 * segment `a`–`b` (a tube) or to the disc of centre `a`, unit normal `n` and
 * `radius` (a sheet). Inlined arithmetic: this runs for millions of voxels.
 */
function addProfile(
  target: Float32Array,
  shape: Vec3,
  box: [Vec3, Vec3],
  structure:
    | { kind: "tube"; a: Vec3; b: Vec3 }
    | { kind: "sheet"; a: Vec3; n: Vec3; radius: number },
  sigma: number,
  peak: number,
): void {
  const [lo, hi] = box;
  const [, height, width] = shape;
  const cutoffSquared = (4 * sigma) ** 2;
  const inverse = -1 / (2 * sigma * sigma);
  const [az, ay, ax] = structure.a;
  const isTube = structure.kind === "tube";
  // Tube: segment vector and its squared length. Sheet: normal and radius.
  const [uz, uy, ux] = isTube
    ? [structure.b[0] - az, structure.b[1] - ay, structure.b[2] - ax]
    : structure.n;
  const lengthSquared = isTube ? uz * uz + uy * uy + ux * ux : 1;
  const radius = isTube ? 0 : structure.radius;
  for (let z = lo[0]; z < hi[0]; z++) {
    const pz = z - az;
    for (let y = lo[1]; y < hi[1]; y++) {
      const py = y - ay;
      const row = (z * height + y) * width;
      for (let x = lo[2]; x < hi[2]; x++) {
        const px = x - ax;
        const along = pz * uz + py * uy + px * ux;
        let dSquared: number;
        if (isTube) {
          const t = lengthSquared === 0
            ? 0
            : Math.min(1, Math.max(0, along / lengthSquared));
          const rz = pz - t * uz, ry = py - t * uy, rx = px - t * ux;
          dSquared = rz * rz + ry * ry + rx * rx;
        } else {
          const rz = pz - along * uz,
            ry = py - along * uy,
            rx = px - along * ux;
          const inPlane = Math.sqrt(rz * rz + ry * ry + rx * rx);
          const outside = inPlane > radius ? inPlane - radius : 0;
          dSquared = along * along + outside * outside;
        }
        if (dSquared < cutoffSquared) {
          target[row + x] += peak * Math.exp(dSquared * inverse);
        }
      }
    }
  }
}

/** Adds the sample box's column (see {@linkcode PhantomColumn}) to `target`. */
function addColumn(
  target: Float32Array,
  shape: Vec3,
  column: PhantomColumn,
): void {
  const [depth, height, width] = shape;
  const [cy, cx] = column.axis;
  const [sy, sx] = column.sigmas;
  const [y0, y1] = [
    Math.max(0, Math.floor(cy - 4 * sy)),
    Math.min(height - 1, Math.ceil(cy + 4 * sy)),
  ];
  const [x0, x1] = [
    Math.max(0, Math.floor(cx - 4 * sx)),
    Math.min(width - 1, Math.ceil(cx + 4 * sx)),
  ];
  for (let z = 0; z < depth; z++) {
    const peak = column.peak * column.depthProfile[z];
    for (let y = y0; y <= y1; y++) {
      const dy = (y - cy) / sy;
      for (let x = x0; x <= x1; x++) {
        const dx = (x - cx) / sx;
        target[(z * height + y) * width + x] += peak *
          Math.exp(-0.5 * (dy * dy + dx * dx));
      }
    }
  }
}

function checkOptions(options: unknown): { seed: number; shape: Vec3 } {
  checkOptionsObject(FN, options, ["seed", "shape"]);
  const { seed = 0, shape = [16, 512, 512] } = options as KidneyPhantomOptions;
  if (
    typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 ||
    seed >= 2 ** 32
  ) {
    throw argumentError(FN, "seed", seed, "an integer in [0, 2^32)");
  }
  const validShape = Array.isArray(shape) && shape.length === 3 &&
    shape.every((n, axis) =>
      Number.isInteger(n) && n >= (axis === 0 ? 3 : 16) && n <= 4096
    );
  if (!validShape) {
    throw argumentError(
      FN,
      "shape",
      shape,
      "[Z, Y, X] integers with Z in [3, 4096] and Y, X in [16, 4096]",
    );
  }
  return { seed, shape: [shape[0], shape[1], shape[2]] };
}

/**
 * A synthetic, deterministic stand-in for {@linkcode kidney}'s volume: the same
 * shape `[16, 512, 512, 3]`, uint16, axes ZYXC, 12-bit values (0..4095) and the
 * same return value, with `source.synthetic: true`.
 *
 * - Channel 1 (515 nm): tubules, straight segments with a Gaussian cross-section
 *   lying nearly in the XY plane, and two sheets: a horizontal "pancake" (normal
 *   along z) and a vertical wall, over a background of about 68..92; values
 *   clipped to [68, 4095], the real channel's range (68, 4095). No tube comes
 *   within 4 sigma of the tutorial's sample box `[5:13, 380:410, 370:400]`:
 *   there `column`, a bright column along Z one pixel wide (sd 0.27 across
 *   rows, 0.42 across columns: 6% of its peak in the next columns, nothing in
 *   the next rows) on row 22, column 17 of the box, is the only structure. Its
 *   brightness in the box's eight planes, bottom first, is 1, 0.76, 0.9, 0.64,
 *   0.49, 0.39, 0.33 and 0.3 of its peak (`depthProfile`): at plane 1 the
 *   window still sees the Z derivative of the bottom plane, which the zero
 *   padding below makes plane 1's own intensity, so plane 1 is dimmer than its
 *   neighbours; planes 0 to 2 outshine the fading planes above, which keeps the
 *   maximum in plane 1. On it, the tutorial's computation (sigma (1, 1.5, 2.5),
 *   mode "constant") finds what the tutorial reports on the kidney: the largest
 *   eigenvalue in plane 1, row 22, column 17 of the box; in its 3x3
 *   neighbourhood the two largest within a factor 1.4 and the third 9.7 to 11.2
 *   times smaller than the second, so that the maximum and 8 of the 9 voxels
 *   are a "pancake" by `shapeClass` (the kidney's own window: 6.5 to 12.5, its
 *   maximum 8.8); the strongest gradient along rows and the weakest along Z;
 *   the bright region at row 22, column 17 of the bottom plane; intensity on the
 *   axis changing by at most 30% from plane to plane, 4 times less on average
 *   than one pixel across (where it falls by more than 80%); and the same
 *   brightest row in every plane of the Y-Z slice.
 * - Channel 0 (450 nm): nuclei, ellipsoidal blobs flattened in z.
 * - Channel 2 (605 nm): smooth autofluorescence plus a faint copy of the others.
 * - Noise: Poisson-like, approximately Gaussian with variance equal to the mean
 *   plus read noise (sd 6), from the seeded mulberry32 generator; a slight dimming
 *   with depth.
 *
 * `metadata.phantom` gives every structure's position, direction or normal, and
 * a `probe` voxel on it away from the others, so that tests and examples can
 * check that the structure tensor finds a tube (two large eigenvalues, the small
 * one's eigenvector along the tube) or a sheet (one large eigenvalue, its
 * eigenvector along the normal). `source.sha256` is the sha256 of the values in C
 * order as little-endian bytes.
 *
 * Permissions: none.
 *
 * @example
 * ```ts
 * import { kidneyPhantom } from "./kidney_phantom.ts";
 *
 * const { data, axes, metadata, source } = kidneyPhantom({ shape: [8, 64, 64] });
 * const [z, y, x] = metadata.phantom!.tubes[0].probe;
 * const onTube = data.get(z, y, x, 1);
 * if (data.shape.join() !== "8,64,64,3" || axes !== "ZYXC" || !source.synthetic || onTube <= 1000) {
 *   throw new Error(`${data.shape} ${axes} ${source.synthetic} ${onTube}`);
 * }
 * console.log(data.shape, axes, source.synthetic, onTube > 1000); // [ 8, 64, 64, 3 ] ZYXC true true
 * ```
 */
export function kidneyPhantom(
  options: KidneyPhantomOptions = {},
): KidneyVolume {
  const { seed, shape } = checkOptions(options);
  const [depth, height, width] = shape;
  const voxels = depth * height * width;
  const layout = phantomLayout(seed, shape, uniformSource(mulberry32(seed)));

  const tubules = new Float32Array(voxels);
  for (const tube of layout.tubes) {
    const box = clippedBox(
      [
        Math.min(tube.start[0], tube.end[0]),
        Math.min(tube.start[1], tube.end[1]),
        Math.min(tube.start[2], tube.end[2]),
      ],
      [
        Math.max(tube.start[0], tube.end[0]),
        Math.max(tube.start[1], tube.end[1]),
        Math.max(tube.start[2], tube.end[2]),
      ],
      4 * tube.sigma,
      shape,
    );
    addProfile(
      tubules,
      shape,
      box,
      { kind: "tube", a: tube.start, b: tube.end },
      tube.sigma,
      tube.peak,
    );
  }
  for (const sheet of layout.sheets) {
    // The disc's extent along an axis is radius * sqrt(1 - normal^2) there.
    const half = sheet.normal.map((n) =>
      sheet.radius * Math.sqrt(Math.max(0, 1 - n * n))
    ) as Vec3;
    const box = clippedBox(
      [
        sheet.center[0] - half[0],
        sheet.center[1] - half[1],
        sheet.center[2] - half[2],
      ],
      [
        sheet.center[0] + half[0],
        sheet.center[1] + half[1],
        sheet.center[2] + half[2],
      ],
      4 * sheet.sigma,
      shape,
    );
    addProfile(
      tubules,
      shape,
      box,
      { kind: "sheet", a: sheet.center, n: sheet.normal, radius: sheet.radius },
      sheet.sigma,
      sheet.peak,
    );
  }

  addColumn(tubules, shape, layout.column);

  const nuclei = new Float32Array(voxels);
  for (const { center, radii, peak } of layout.nuclei.items) {
    const [lo, hi] = clippedBox(center, center, 0, shape);
    for (let axis = 0; axis < 3; axis++) {
      lo[axis] = Math.max(0, Math.floor(center[axis] - 1.5 * radii[axis]));
      hi[axis] = Math.min(
        shape[axis],
        Math.ceil(center[axis] + 1.5 * radii[axis]) + 1,
      );
    }
    for (let z = lo[0]; z < hi[0]; z++) {
      const dz = (z - center[0]) / radii[0];
      for (let y = lo[1]; y < hi[1]; y++) {
        const dy = (y - center[1]) / radii[1];
        const row = (z * height + y) * width;
        for (let x = lo[2]; x < hi[2]; x++) {
          const dx = (x - center[2]) / radii[2];
          nuclei[row + x] += peak *
            Math.exp(-2 * (dz * dz + dy * dy + dx * dx));
        }
      }
    }
  }

  // Smooth illumination / autofluorescence field in [0, 1] over (y, x), phases from the seed.
  const layoutRandom = uniformSource(mulberry32((seed ^ 0x5bd1e995) >>> 0));
  const phaseY = 2 * Math.PI * layoutRandom();
  const phaseX = 2 * Math.PI * layoutRandom();
  const field = new Float32Array(height * width);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      field[y * width + x] = 0.5 +
        0.25 * Math.cos((2.6 * Math.PI * y) / height + phaseY) +
        0.25 * Math.cos((1.8 * Math.PI * x) / width + phaseX);
    }
  }

  const values = new Uint16Array(voxels * 3);
  const normal = approximateNormalSource(mulberry32((seed ^ 0x9e3779b9) >>> 0));
  for (let z = 0; z < depth; z++) {
    const dimming = 1 - (0.15 * z) / depth;
    for (let yx = 0; yx < height * width; yx++) {
      const voxel = z * height * width + yx;
      const background = field[yx];
      const out = voxel * 3;
      const mean0 = 90 + 60 * background + dimming * nuclei[voxel];
      const mean1 = 68 + 24 * background + dimming * tubules[voxel];
      const mean2 = 180 + 260 * background + 0.2 * tubules[voxel] +
        0.1 * nuclei[voxel];
      // Uint16Array stores truncate; +0.5 rounds and the clamps keep 12 bits.
      values[out] = Math.min(
        MAX_VALUE,
        Math.max(0, mean0 + Math.sqrt(mean0 + 36) * normal() + 0.5),
      );
      values[out + 1] = Math.min(
        MAX_VALUE,
        Math.max(
          CHANNEL1_FLOOR,
          mean1 + Math.sqrt(mean1 + 36) * normal() + 0.5,
        ),
      );
      values[out + 2] = Math.min(
        MAX_VALUE,
        Math.max(0, mean2 + Math.sqrt(mean2 + 36) * normal() + 0.5),
      );
    }
  }

  const kidney = datasetRegistry.kidney;
  const bytes = new Uint8Array(values.buffer);
  // Hash little-endian bytes whatever the platform's byte order.
  const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const hashed = littleEndian
    ? bytes
    : Uint8Array.from(bytes, (_, i) => bytes[i ^ 1]);
  return {
    data: ndarray(values, [depth, height, width, 3]),
    axes: "ZYXC",
    metadata: {
      physicalSizes: {
        Z: kidney.physicalSizes.Z ?? NaN,
        Y: kidney.physicalSizes.Y ?? NaN,
        X: kidney.physicalSizes.X ?? NaN,
      },
      physicalUnit: kidney.physicalUnit,
      channelNames: kidney.channelNames,
      description:
        "Synthetic stand-in for the kidney dataset: tubules and sheets (channel 1), " +
        "nuclei (channel 0), autofluorescence (channel 2), 12-bit, seeded noise.",
      license: "CC0-1.0",
      citation:
        "Synthetic data generated by stria's kidneyPhantom; no citation needed.",
      phantom: {
        ...layout,
        background:
          "illumination field 0.5 + 0.25 cos(2.6 pi y / Y + a) + 0.25 cos(1.8 pi x / X + b) in [0, 1]; " +
          "channel 0 = 90 + 60 field + nuclei, channel 1 = 70 + 60 field + tubules and sheets, " +
          "channel 2 = 180 + 260 field + 0.2 channel-1 structures + 0.1 nuclei; structures dim by 15% from z = 0 to the last plane",
        noise:
          "approximately Gaussian (sum of 4 uniform bytes) with variance mean + 36 (Poisson-like shot noise plus read noise), " +
          "mulberry32 seeded from the seed; " +
          "rounded, channel 1 clipped to [68, 4095], others to [0, 4095]",
      },
    },
    source: {
      name: "kidney-phantom (synthetic)",
      path: null,
      sha256: createHash("sha256").update(hashed).digest("hex"),
      synthetic: true,
    },
  };
}
