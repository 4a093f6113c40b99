// # Which way do the fibres run?
//
// Measure the orientation and coherence of the fibres in a 2-D image, as OrientationJ
// does: a colour survey, a rose of directions, glyphs, and each fibre family's dominant
// direction.
//
// @permissions --allow-read --allow-write={out} --allow-env=STRIA_SYNTHETIC
//
// The 2-D counterpart of "Which way do the tubules run?", following the analysis of the
// ImageJ plugin OrientationJ (R. Rezakhaniha et al., "Experimental investigation of
// collagen waviness and orientation in the arterial adventitia using confocal laser
// scanning microscopy", Biomech. Model. Mechanobiol. 11, 2012; Z. Püspöki, M. Storath,
// D. Sage and M. Unser, "Transforms and operators for directional bioimage analysis: a
// survey", Adv. Anat. Embryol. Cell Biol. 219, 2016). At every pixel the structure tensor
// averages the products of the intensity gradient's components over a Gaussian window.
// Its two eigenvalues say how strongly the intensity changes along two orthogonal
// directions; their contrast is the **coherence**, 1 where all gradients in the window
// share one direction (straight fibres), 0 where none dominates.
//
// By default the example builds an image of fibres whose directions it knows, and checks
// what it measures against them. Run it on your own image with `--input`:
//
// ```sh
// deno run --allow-read --allow-write examples/orientation_2d.ts --input fibres.tif --sigma 1.5 --out "$(mktemp -d)"
// ```
//
// The TIFF must hold one grey plane (axes `YX`); from a stack or a multichannel file,
// pick one with `--plane N` and `--channel N`, and a region with `--crop y0:y1,x0:x1`.
// With the file's pixel size (OME-XML, its resolution tags or ImageJ description),
// `--sigma` is in the file's unit and the angles are physical, even for non-square
// pixels.

import {
  coherence,
  gaussianFilter,
  type NdArray,
  ndarray,
  orientationAngles,
  type OrientationAngles2d,
  orientationDistribution,
  orientationMap,
  saveFigure,
  structureTensor,
  structureTensorEigenvalues,
  structureTensorEigenvectors,
  vectorGlyphs,
} from "../mod.ts";
import {
  cropOption,
  exampleArguments,
  exampleUsage,
  formatCrop,
  readInputImage,
  sigmaOption,
} from "./_example_cli.ts";

const DEFAULT_OUT = "orientation_2d_figures";
const USAGE = exampleUsage(
  `Usage: deno run --allow-read --allow-write examples/orientation_2d.ts [options]

Orientation and coherence of the fibres in a 2-D image (OrientationJ's analysis).`,
  DEFAULT_OUT,
  [
    [
      "--input FILE",
      "a grey 2-D TIFF or OME-TIFF (axes YX) instead of the generated fibre image",
    ],
    ["--plane N", "with --input: the plane (Z index) of a stack"],
    [
      "--channel N",
      "with --input: the channel (C or S index) of a multichannel file",
    ],
    [
      "--sigma S",
      "Gaussian window of the structure tensor, one value or Y,X, in the file's unit when it gives a pixel size, else in pixels (default: 2 pixels, or with a pixel size twice its larger side)",
    ],
    [
      "--crop y0:y1,x0:x1",
      "the region to analyse (default the whole image)",
    ],
  ],
);

const { figurePath, values, usageError } = exampleArguments(DEFAULT_OUT, {
  usage: USAGE,
  strings: ["input", "plane", "channel", "sigma", "crop"],
});
const sigmaOptionValue = sigmaOption(values.sigma, 2, usageError);

/** Doubled-angle mean (degrees, in [-90, 90]) and summed weight of `angles` at `pixels`. */
function dominantDirection(
  angles: Float64Array,
  weights: Float64Array,
  pixels: readonly number[],
) {
  let cos = 0, sin = 0, total = 0;
  for (const i of pixels) {
    const doubled = (2 * angles[i] * Math.PI) / 180;
    if (!(weights[i] > 0) || Number.isNaN(doubled)) continue;
    cos += weights[i] * Math.cos(doubled);
    sin += weights[i] * Math.sin(doubled);
    total += weights[i];
  }
  return { angle: (Math.atan2(sin, cos) * 90) / Math.PI, total };
}

/** An axis's angle in degrees with one decimal, in (-90, 90] (-90.0 is the axis of 90.0). */
function degrees(angle: number) {
  const rounded = angle.toFixed(1);
  return `${rounded === "-90.0" ? "90.0" : rounded}°`;
}

/** `a - b` for two axes in degrees, folded into [-90, 90). */
const angleApart = (a: number, b: number) =>
  ((((a - b + 90) % 180) + 180) % 180) - 90;

// %% [markdown]
// ## The image
//
// The generated image has 256 × 256 pixels in four 128 × 128 quadrants, one family of
// fibres in each: straight fibres at 30° (top left), at -45° (top right) and at 90°
// (bottom left), and gently curved ones (bottom right), arcs of circles around a point
// 340 pixels below and 60 pixels left of the quadrant's centre, whose direction turns
// from about -24° to 1° across the quadrant (-10° at its centre). Angles are in
// OrientationJ's convention, the one `orientationAngles` documents: from the x (column)
// axis, counter-clockwise as the image is displayed, in (-90°, 90°]. Fibres are about 7
// pixels apart (each shifted by up to 1.5 pixels), with a Gaussian profile of 1 pixel and
// brightnesses from 0.5 to 1 on a background of 0.1; the image is blurred by a Gaussian
// of 1 pixel (the microscope's point spread) and gets Gaussian noise of standard
// deviation 0.08. Shifts, brightnesses and noise are hashed from seed 0, so every run
// gives the same image.

// %%
const SIZE = 256;
const SEED = 0;
const HALF = SIZE / 2;
/** A fibre family: its quadrant (top-left corner) and a straight angle or a curve's centre. */
const FAMILIES = [
  { name: "straight 30°", row: 0, col: 0, angle: 30 },
  { name: "straight -45°", row: 0, col: HALF, angle: -45 },
  { name: "straight 90°", row: HALF, col: 0, angle: 90 },
  {
    name: "curved",
    row: HALF,
    col: HALF,
    centre: [HALF + HALF / 2 + 340, HALF + HALF / 2 - 60],
  },
] as const;

/** A float in [0, 1) determined by three integers (a 32-bit integer hash, "lowbias32"). */
function hash01(a: number, b: number, c: number) {
  let h = (a * 0x9e3779b1) ^ (b * 0x85ebca77) ^ (c * 0xc2b2ae3d);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 2 ** 32;
}

/** The generated fibres: the image and, per pixel, the built fibre direction (degrees). */
function fibreImage(seed: number) {
  const SPACING = 7, JITTER = 1.5, WIDTH = 1, BACKGROUND = 0.1;
  const sharp = new Float64Array(SIZE * SIZE);
  const built = new Float64Array(SIZE * SIZE);
  FAMILIES.forEach((f, index) => {
    for (let r = f.row; r < f.row + HALF; r++) {
      for (let c = f.col; c < f.col + HALF; c++) {
        const i = r * SIZE + c;
        // u: the coordinate across the fibres; the direction, along them, from +x towards row 0.
        let u: number;
        if ("angle" in f) {
          const a = (f.angle * Math.PI) / 180;
          u = r * Math.cos(a) + c * Math.sin(a);
          built[i] = f.angle;
        } else {
          const [dr, dc] = [r - f.centre[0], c - f.centre[1]];
          u = Math.hypot(dr, dc);
          // The tangent (row, col) = (-dc, dr), at atan2(-row, col) = atan2(dc, dr).
          const a = (Math.atan2(dc, dr) * 180) / Math.PI;
          built[i] = a > 90 ? a - 180 : a <= -90 ? a + 180 : a;
        }
        let value = BACKGROUND;
        const k0 = Math.floor(u / SPACING);
        for (let k = k0 - 1; k <= k0 + 1; k++) {
          const shift = JITTER * (2 * hash01(seed, index, k) - 1);
          const brightness = 0.5 + 0.5 * hash01(seed + 1, index, k);
          const d = u - (k * SPACING + shift);
          value += brightness * Math.exp(-(d * d) / (2 * WIDTH * WIDTH));
        }
        sharp[i] = value;
      }
    }
  });
  const blurred = gaussianFilter(ndarray(sharp, [SIZE, SIZE]), 1, {
    mode: "reflect",
  });
  const noisy = new Float64Array(SIZE * SIZE);
  for (let i = 0; i < noisy.length; i++) {
    // Box-Muller on two hashed uniforms: one standard normal per pixel.
    const u1 = 1 - hash01(seed + 2, i, 0);
    const u2 = hash01(seed + 3, i, 0);
    const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    noisy[i] = blurred.data[i] + 0.08 * normal;
  }
  return { image: ndarray(noisy, [SIZE, SIZE]), built };
}

// %% [markdown]
// With `--input`, the image is your file's plane instead. When the file gives its pixel
// size along X and Y, the structure tensor gets it as `spacing` `[Y, X]`: the window
// `sigma` is then in the file's unit, and each derivative is per unit of length, so the
// angles are those of the sample, not of the pixel grid.

// %%
let image: NdArray;
let spacing: [number, number] | undefined;
let unit = "pixels";
let generated: ReturnType<typeof fibreImage> | undefined;
let dataLabel: string;
if (values.input === undefined) {
  if (values.plane !== undefined || values.channel !== undefined) {
    usageError("--plane and --channel pick from an --input file");
  }
  generated = fibreImage(SEED);
  image = generated.image;
  dataLabel = " [generated fibres]";
  console.log(
    `data: generated fibre image (seed ${SEED}), ${SIZE} x ${SIZE} pixels, no physical pixel size`,
  );
} else {
  const path = values.input;
  const read = await readInputImage(
    path,
    "YX",
    { plane: values.plane, channel: values.channel },
    usageError,
  );
  image = read.image;
  const { X, Y } = read.physicalSizes;
  if (X !== undefined && Y !== undefined) {
    spacing = [Y, X];
    unit = read.physicalUnit ?? "units";
  }
  dataLabel = ` [${path.split("/").pop()}]`;
  console.log(
    `data: ${path} (your file), axes ${read.fileAxes}, plane ${
      image.shape[0]
    } x ${image.shape[1]} pixels, ${
      spacing
        ? `pixel size (Y, X) = (${spacing.join(", ")}) ${unit}`
        : "no pixel size in the file"
    }`,
  );
}
const crop = cropOption(
  values.crop,
  "YX",
  image.shape,
  { lo: [0, 0], hi: [...image.shape] },
  usageError,
);
const [cropRow, cropCol] = crop.lo;
const [cropRows, cropCols] = [crop.hi[0] - cropRow, crop.hi[1] - cropCol];
if (values.crop !== undefined) {
  image = image.lo(cropRow, cropCol).hi(cropRows, cropCols);
  console.log(
    `crop: [${
      formatCrop(crop).replaceAll(",", ", ")
    }], ${cropRows} x ${cropCols} pixels`,
  );
}

// %% [markdown]
// ## Structure tensor, eigenvectors, coherence
//
// The window sets the scale of the measurement: wide enough to average the noise over a
// few fibres, narrow enough not to mix neighbouring directions (here at the quadrants'
// borders; in a real image at bends and crossings). We take sigma = 2 pixels by
// default, a window about 8 pixels across, a little more than one fibre spacing, or
// `--sigma`.
//
// The eigenvector of the **largest** eigenvalue (rank 0) is the direction in which the
// intensity changes most, the gradient's: it runs *across* a fibre. The fibre runs
// along the eigenvector of the smallest eigenvalue, rank 1 in 2-D, so every direction
// below is rank 1's. Its angle, from `orientationAngles`, is OrientationJ's
// orientation.

// %%
const FIBRE_RANK = 1;
const sigma = sigmaOptionValue ??
  new Array(2).fill(spacing ? 2 * Math.max(...spacing) : 2);
const sigmaText = sigma[0] === sigma[1]
  ? `${sigma[0]}`
  : `(${sigma.join(", ")})`;
const elements = structureTensor(image, { sigma, spacing, mode: "reflect" });
const eigenvalues = structureTensorEigenvalues(elements);
const eigenvectors = structureTensorEigenvectors(elements);
const coherent = coherence(eigenvalues);
const { angle } = orientationAngles(eigenvectors, {
  rank: FIBRE_RANK,
}) as OrientationAngles2d;
console.log(
  `sigma: ${sigmaText} ${unit}${
    spacing
      ? ` (${
        spacing.map((s, axis) => (sigma[axis] / s).toFixed(2)).join(", ")
      } pixels along Y, X)`
      : ""
  }`,
);

// %% [markdown]
// ## Dominant directions
//
// An angle is an axis: 89° and -89° are 2° apart, so angles are averaged doubled, as
// unit vectors (cos 2θ, sin 2θ), and the mean vector's angle halved. Each pixel counts
// with its coherence, so incoherent pixels (noise, crossings) barely move the mean.
// For the generated image, each family is measured over its quadrant's interior (at
// least 12 pixels from the quadrant's edges, beyond the window's reach of the others),
// and its built direction is averaged the same way with the same weights, which matters
// for the curved family: measured and built compare like with like.
//
// Expect agreement within about 1°, not exactly: the Sobel derivative is not quite
// rotation invariant for structures only a few pixels wide, and turns fibres that are
// neither axis-aligned nor diagonal slightly towards the nearer axis (about 0.9° for the
// 30° family; noise-free fibres three times as wide lose two thirds of it).

// %%
const MARGIN = 12;
if (generated) {
  // The built directions where the (cropped) image is: one per analysed pixel.
  const builtHere = new Float64Array(cropRows * cropCols);
  for (let r = 0; r < cropRows; r++) {
    for (let c = 0; c < cropCols; c++) {
      builtHere[r * cropCols + c] =
        generated.built[(r + cropRow) * SIZE + c + cropCol];
    }
  }
  for (const [index, f] of FAMILIES.entries()) {
    const pixels: number[] = [];
    for (let r = f.row + MARGIN; r < f.row + HALF - MARGIN; r++) {
      for (let c = f.col + MARGIN; c < f.col + HALF - MARGIN; c++) {
        const [row, col] = [r - cropRow, c - cropCol];
        if (row >= 0 && row < cropRows && col >= 0 && col < cropCols) {
          pixels.push(row * cropCols + col);
        }
      }
    }
    if (pixels.length === 0) continue;
    const measured = dominantDirection(angle.data, coherent.data, pixels);
    const built = dominantDirection(builtHere, coherent.data, pixels);
    console.log(
      `family ${index} (${f.name}): measured ${
        degrees(measured.angle)
      } / built ${degrees(built.angle)}, ${
        Math.abs(angleApart(measured.angle, built.angle)).toFixed(1)
      }° apart; mean coherence ${(measured.total / pixels.length).toFixed(3)}`,
    );
  }
}

// %% [markdown]
// OrientationJ's "dominant direction" of the whole image is the orientation of the
// structure tensor averaged over every pixel, and its coherency that tensor's coherence:
// 1 only if the whole image is one straight family. The mean tensor is a 1 × 1 tensor
// field for the same functions. The mean of the pixels' coherence is printed alongside:
// it stays high for several families that are each straight.

// %%
const mean = elements.map((entry) => {
  let sum = 0;
  for (let i = 0; i < entry.data.length; i++) sum += entry.data[i];
  return ndarray(new Float64Array([sum / entry.data.length]), [1, 1]);
});
const meanAngle = orientationAngles(structureTensorEigenvectors(mean), {
  rank: FIBRE_RANK,
}) as OrientationAngles2d;
const meanCoherence = coherence(structureTensorEigenvalues(mean));
// Coherency 0 (a flat image, or no preferred direction at all): no direction to name.
const dominant = meanCoherence.data[0] > 0
  ? degrees(meanAngle.angle.data[0])
  : "none (coherency 0)";
console.log(
  `image-wide dominant direction: ${dominant}, coherency ${
    meanCoherence.data[0].toFixed(3)
  }; mean coherence ${
    (coherent.data.reduce((s, v) => s + v, 0) / coherent.size).toFixed(3)
  }`,
);

// %% [markdown]
// ## Figures
//
// The orientation map is OrientationJ's colour survey: hue is the fibre direction (the
// half wheel is its legend), saturation the coherence (the wheel's radius), value the
// intensity. The rose shows how the coherence is distributed over directions, each
// petal's area proportional to its 10° bin's summed coherence. The glyphs draw the fibre
// direction over the image every 16 pixels, longer where the coherence is larger.

// %%
// Figures to scale, in the file's units, when it gives a pixel size.
const pixelSize = spacing
  ? { physicalSizes: { Y: spacing[0], X: spacing[1] }, physicalUnit: unit }
  : {};
const figures: [string, ReturnType<typeof orientationMap>][] = [
  [
    "orientation_map.svg",
    orientationMap(eigenvectors, {
      rank: FIBRE_RANK,
      anisotropy: coherent,
      anisotropyLabel: "coherence",
      intensity: image,
      ...pixelSize,
      title:
        `Fibre direction (hue), coherence (saturation), sigma ${sigmaText} ${unit}${dataLabel}`,
    }),
  ],
  [
    "orientation_rose.svg",
    orientationDistribution(eigenvectors, {
      rank: FIBRE_RANK,
      weight: coherent,
      title: `Fibre directions, coherence-weighted${dataLabel}`,
    }),
  ],
  [
    "vector_glyphs.svg",
    vectorGlyphs(eigenvectors, {
      rank: FIBRE_RANK,
      anisotropy: coherent,
      background: image,
      step: 16,
      color: "#ffd700",
      ...pixelSize,
      title: `Fibre directions over the intensity${dataLabel}`,
    }),
  ],
];
for (const [name, figure] of figures) {
  await saveFigure(figurePath(name), figure);
}
console.log(`figures: ${figures.map(([name]) => name).join(", ")}`);
