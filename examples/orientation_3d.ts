// # Which way do the tubules run?
//
// Read the structure tensor's eigenvectors of a confocal kidney volume: classify
// neighbourhoods as tube-like, sheet-like or isotropic, and map the tubules' directions.
//
// @permissions --allow-read --allow-write --allow-net=gitlab.com --allow-env=STRIA_DATA_DIR,STRIA_DATA_MIRROR,XDG_CACHE_HOME,HOME,STRIA_SYNTHETIC
// @dataset kidney
//
// A sequel to "Estimate anisotropy in a 3D microscopy image". There, the eigenvalues of
// the structure tensor told us *how* anisotropic the tissue is around one bright voxel.
// Here we use the whole volume, in physical units, and the eigenvectors too: they say
// *which way* the anisotropy points. Where two eigenvalues are large and one is small
// (a "pancake" tensor), the intensity changes across a tube and not along it, so the
// eigenvector of the smallest eigenvalue runs along the tube.
//
// Run it on the real data (downloaded once, about 25 MB, then cached):
//
// ```sh
// deno run --allow-read --allow-write --allow-net=gitlab.com --allow-env=STRIA_DATA_DIR,STRIA_DATA_MIRROR,XDG_CACHE_HOME,HOME,STRIA_SYNTHETIC examples/orientation_3d.ts --out "$(mktemp -d)"
// ```
//
// or offline on the synthetic stand-in with `--synthetic` (or `STRIA_SYNTHETIC=1`), or on
// your own stack with `--input FILE` (`--help` lists every option).

import {
  directionColor,
  ndarray,
  orientationAngles,
  type OrientationAngles3d,
  orientationDistribution,
  orientationHistogram,
  orientationMap,
  saveFigure,
  SHAPE_CLASSES,
  shapeClass,
  structureTensorAnalysis,
  structureTensorEigenvalues,
  structureTensorEigenvectors,
  vectorGlyphs,
} from "../mod.ts";
import {
  cropOption,
  exampleArguments,
  exampleStack,
  exampleUsage,
  formatCrop,
  sigmaOption,
} from "./_example_cli.ts";

const DEFAULT_OUT = "orientation_3d_figures";
/** The window's default sigma: in the data's unit with a voxel size, else in voxels. */
const DEFAULT_SIGMA = { physical: 4, voxels: 3 };
const USAGE = exampleUsage(
  `Usage: deno run --allow-read --allow-write --allow-net=gitlab.com \\
  --allow-env=STRIA_DATA_DIR,STRIA_DATA_MIRROR,XDG_CACHE_HOME,HOME,STRIA_SYNTHETIC \\
  examples/orientation_3d.ts [options]

Which way do the tubules run? Shape classes and eigenvector directions of the
structure tensor of a stack: the kidney (downloaded once), its synthetic stand-in,
or your own TIFF.`,
  DEFAULT_OUT,
  [
    [
      "--input FILE",
      "a TIFF or OME-TIFF stack (axes ZYX, or with a channel axis and --channel) instead of the kidney; its voxel size makes the directions physical",
    ],
    [
      "--channel N",
      "the channel to analyse (default 1 for the kidney and the stand-in; needed for a file with several)",
    ],
    [
      "--sigma S",
      `Gaussian window, one value or Z,Y,X, in the data's unit when it gives a voxel size (default ${DEFAULT_SIGMA.physical}), else in voxels (default ${DEFAULT_SIGMA.voxels})`,
    ],
    [
      "--crop z0:z1,y0:y1,x0:x1",
      "the box to analyse (default the whole stack)",
    ],
  ],
);

const { synthetic, figurePath, values, usageError } = exampleArguments(
  DEFAULT_OUT,
  { usage: USAGE, strings: ["input", "channel", "sigma", "crop"] },
);
const sigmaOptionValue = sigmaOption(values.sigma, 3, usageError);

/** `value` as a percentage with one decimal. */
const percent = (value: number) => `${(100 * value).toFixed(1)}%`;

/**
 * Axis `i`'s azimuth and elevation in degrees, as `orientationAngles` gives them (the
 * representative with z >= 0) or, with `opposite`, those of the opposite vector.
 */
function formatAxis(angles: OrientationAngles3d, i: number, opposite = false) {
  const azimuth = angles.azimuth.data[i];
  const elevation = angles.elevation.data[i];
  const [a, e] = opposite
    ? [azimuth > 0 ? azimuth - 180 : azimuth + 180, -elevation]
    : [azimuth, elevation];
  return `azimuth ${a.toFixed(1)}°, elevation ${e.toFixed(1)}°`;
}

/** Whether axis `i` of `angles` points away from axis `i` of `reference` (negative dot product). */
function pointsAway(
  reference: OrientationAngles3d,
  angles: OrientationAngles3d,
  i: number,
) {
  const unit = ({ azimuth, elevation }: OrientationAngles3d) => {
    const [a, e] = [azimuth.data[i], elevation.data[i]].map((deg) =>
      (deg * Math.PI) / 180
    );
    return [Math.sin(e), Math.cos(e) * Math.sin(a), Math.cos(e) * Math.cos(a)];
  };
  const [r, v] = [unit(reference), unit(angles)];
  return r[0] * v[0] + r[1] * v[1] + r[2] * v[2] < 0;
}

// %% [markdown]
// ## Load the image and take the tubules' channel
//
// As in the tutorial we keep channel 1 (emission 515 nm), where the tubules are bright
// (`--channel` picks another). The structure tensor gets the data's voxel size as
// `spacing`, so that its window `sigma` is in micrometres and its eigenvectors are
// directions in physical space, even where the voxels are not exactly cubic. A file
// without a voxel size is analysed in voxels.

// %%
const source = await exampleStack({
  synthetic,
  input: values.input,
  channel: values.channel,
  defaultChannel: 1,
}, usageError);
const dataLabel = source.label;
console.log(source.summary);
const crop = cropOption(
  values.crop,
  "ZYX",
  source.stack.shape,
  { lo: [0, 0, 0], hi: [...source.stack.shape] },
  usageError,
);
const channel = source.stack.lo(...crop.lo).hi(
  ...crop.hi.map((hi, axis) => hi - crop.lo[axis]),
);
const { physicalSizes } = source;
const sizes = [physicalSizes.Z, physicalSizes.Y, physicalSizes.X];
const spacing = sizes.every((s) => s !== undefined)
  ? sizes as number[]
  : undefined;
const physicalUnit = spacing ? source.physicalUnit ?? "units" : "voxels";
const [depth, height, width] = channel.shape;
console.log(
  `channel ${source.channel}${
    source.channelName ? ` (${source.channelName})` : ""
  }, box [${
    formatCrop(crop).replaceAll(",", ", ")
  }], shape ${depth} x ${height} x ${width}, ${
    spacing
      ? `voxel size (Z, Y, X) = (${spacing.join(", ")}) ${physicalUnit}`
      : "no voxel size: lengths in voxels"
  }`,
);

// %% [markdown]
// ## Tensor, eigenvalues, eigenvectors
//
// The window must span a tubule's cross-section: a window much narrower than the tube
// sees, on each flank, a gradient in one direction only (a sheet-like tensor), and only
// a window about as wide as the tube's radius sees gradients in two directions. We take
// an isotropic Gaussian window of 4 µm, about three voxels (3 voxels for a file without
// a voxel size; `--sigma` sets another).

// %%
const SIGMA = sigmaOptionValue ??
  new Array(3).fill(spacing ? DEFAULT_SIGMA.physical : DEFAULT_SIGMA.voxels);
// One fused pass: the same values as structureTensor, then structureTensorEigenvalues,
// structureTensorEigenvectors, fractionalAnisotropy and westinMeasures, without ever
// holding the six tensor entries.
const analysis = structureTensorAnalysis(channel, {
  sigma: SIGMA,
  spacing,
  outputs: ["eigenvalues", "vectors", "fractionalAnisotropy", "westin"],
});
const eigenvalues = analysis.eigenvalues!;
const eigenvectors = analysis.vectors!;
const fa = analysis.fractionalAnisotropy!;
const westin = analysis.westin!;
console.log(
  `sigma: ${
    SIGMA.every((s) => s === SIGMA[0]) ? SIGMA[0] : `(${SIGMA.join(", ")})`
  } ${physicalUnit} in Z, Y and X${
    spacing
      ? ` (${
        spacing.map((s, axis) => (SIGMA[axis] / s).toFixed(2)).join(", ")
      } voxels)`
      : ""
  }`,
);

// %% [markdown]
// ## Which voxels are tissue?
//
// Flat background has almost no gradient, so its tensor's trace (the summed eigenvalues,
// the local gradient energy) is small. We call the 10% of voxels with the largest trace
// tissue: the threshold is the trace's 90th percentile. Its voxels are classified by
// `shapeClass` with the tutorial's factors (two eigenvalues within a factor 2 are "about
// equal", an order of magnitude apart is "much larger").

// %%
const TISSUE_PERCENTILE = 90;
const voxels = fa.size;
const trace = new Float64Array(voxels);
for (let i = 0; i < voxels; i++) {
  trace[i] = eigenvalues.data[i] + eigenvalues.data[voxels + i] +
    eigenvalues.data[2 * voxels + i];
}
const sortedTrace = Float64Array.from(trace).sort();
const energy =
  sortedTrace[Math.floor((TISSUE_PERCENTILE / 100) * (voxels - 1))];
const codes = shapeClass(eigenvalues, { energy }).codes.data;
console.log(
  `tissue: trace above its ${TISSUE_PERCENTILE}th percentile, ${
    energy.toExponential(3)
  } ${physicalUnit}^-2`,
);

// %% [markdown]
// A "pancake" tensor (two large eigenvalues, one small) is tube-like, a "cigar" (one
// large) sheet-like, a "sphere" (three alike) isotropic; everything in between is
// mixed. Westin's measures grade the same three shapes continuously; their means over
// the tissue are printed alongside.

// %%
const CLASSES = [
  ["pancake", "tube-like"],
  ["cigar", "sheet-like"],
  ["sphere", "isotropic"],
  ["mixed", "mixed"],
] as const;
const counts = new Float64Array(SHAPE_CLASSES.length);
let linearSum = 0, planarSum = 0, sphericalSum = 0;
for (let i = 0; i < voxels; i++) {
  counts[codes[i]]++;
  if (codes[i] !== 0) {
    linearSum += westin.linear.data[i];
    planarSum += westin.planar.data[i];
    sphericalSum += westin.spherical.data[i];
  }
}
const tissue = voxels - counts[SHAPE_CLASSES.indexOf("background")];
const share = (name: typeof SHAPE_CLASSES[number]) =>
  counts[SHAPE_CLASSES.indexOf(name)] / tissue;
console.log(`tissue voxels: ${tissue} of ${voxels}`);
for (const [name, meaning] of CLASSES) {
  console.log(`  ${meaning} (${name}): ${percent(share(name))}`);
}
console.log(
  `mean Westin measures over the tissue: linear ${
    (linearSum / tissue).toFixed(3)
  }, planar ${(planarSum / tissue).toFixed(3)}, spherical ${
    (sphericalSum / tissue).toFixed(3)
  }`,
);

// %% [markdown]
// ## The distribution of tubule directions
//
// Along a tube the intensity changes least, so the direction of a tube-like voxel is its
// smallest eigenvalue's eigenvector (rank 2). We gather those of the tube-like voxels,
// each weighted by its fractional anisotropy, and bin them on the Schmidt net: the
// upper hemisphere of axes in Lambert's equal-area projection, Z at the centre and the
// X-Y plane on the rim. Its brightest cell is the most frequent direction.

// %%
const TUBE_RANK = 2;
const tubeCode = SHAPE_CLASSES.indexOf("pancake");
const tubeVoxels: number[] = [];
for (let i = 0; i < voxels; i++) if (codes[i] === tubeCode) tubeVoxels.push(i);
const tubeCount = tubeVoxels.length;
if (tubeCount === 0) {
  // Every summary below is of tube directions: without tube-like voxels there is none.
  console.error(
    `no tube-like ("pancake") voxel among the ${voxels} analysed${dataLabel}: no tube directions to summarise; try a larger --crop or another --sigma`,
  );
  Deno.exit(1);
}
/** The tube-like voxels' rank-2 eigenvectors as a 1 x 1 x N field (ranks 0 and 1 left zero). */
const tubeAxes = ndarray(new Float64Array(9 * tubeCount), [
  3,
  3,
  1,
  1,
  tubeCount,
]);
const tubeWeights = ndarray(new Float64Array(tubeCount), [1, 1, tubeCount]);
tubeVoxels.forEach((voxel, j) => {
  for (let c = 0; c < 3; c++) {
    tubeAxes.set(
      TUBE_RANK,
      c,
      0,
      0,
      j,
      eigenvectors.data[(TUBE_RANK * 3 + c) * voxels + voxel],
    );
  }
  tubeWeights.set(0, 0, j, fa.data[voxel]);
});
const histogram = orientationHistogram(tubeAxes, {
  rank: TUBE_RANK,
  weight: tubeWeights,
});

/** Azimuth and elevation (degrees) of the centre of a Schmidt-net cell. */
function cellCentre(cell: number, rings: number) {
  const cumulative = (k: number) => 1 + 3 * k * (k + 1);
  if (cell === 0) return { azimuth: 0, elevation: 90 };
  let ring = 1;
  while (cell >= cumulative(ring)) ring++;
  const sector = cell - cumulative(ring - 1);
  // Mid-area radius of the ring; rho^2 = 1 - cos(angle from +Z) = 1 - sin(elevation).
  const rho2 = (cumulative(ring - 1) + cumulative(ring)) / 2 /
    cumulative(rings);
  const azimuth = (360 * sector) / (6 * ring);
  return {
    azimuth: azimuth > 180 ? azimuth - 360 : azimuth,
    elevation: (Math.asin(1 - rho2) * 180) / Math.PI,
  };
}
const peakCell = histogram.values.indexOf(Math.max(...histogram.values));
const peak = cellCentre(peakCell, histogram.bins);
console.log(
  `tube-like voxels: ${tubeCount}; brightest Schmidt-net cell ${peakCell} of ${histogram.values.length}: ` +
    `azimuth ${peak.azimuth.toFixed(1)}°, elevation ${
      peak.elevation.toFixed(1)
    }°, ${percent(histogram.values[peakCell] / histogram.total)} of the weight`,
);

// %% [markdown]
// One cell is a coarse summary. The mean axis of many axes is the principal eigenvector
// of their orientation tensor, the FA-weighted mean of v vᵀ (Scheidegger 1965; Woodcock
// 1977): a 3x3 symmetric matrix like the structure tensor, so `structureTensorEigenvectors`
// diagonalises it. Its largest eigenvalue, between 1/3 and 1, says how concentrated the
// axes are (1: all parallel).

// %%
/** An orientation tensor's weighted sums: entries [zz, zy, zx, yy, yx, xx], then the total weight. */
type Fabric = Float64Array;
const newFabric = (): Fabric => new Float64Array(7);
function addAxis(fabric: Fabric, z: number, y: number, x: number, w: number) {
  const norm = Math.hypot(z, y, x);
  if (!(norm > 0) || !(w > 0)) return;
  const [a, b, c] = [z / norm, y / norm, x / norm];
  fabric[0] += w * a * a;
  fabric[1] += w * a * b;
  fabric[2] += w * a * c;
  fabric[3] += w * b * b;
  fabric[4] += w * b * c;
  fabric[5] += w * c * c;
  fabric[6] += w;
}
/** Mean axes (rank 0 of the eigenvectors), angles and concentrations of several orientation tensors. */
function meanAxes(fabrics: Fabric[]) {
  const entries = [0, 1, 2, 3, 4, 5].map((e) =>
    ndarray(
      Float64Array.from(fabrics, (f) => f[e] / f[6]),
      [1, 1, fabrics.length],
    )
  );
  const axes = structureTensorEigenvectors(entries);
  const concentration = structureTensorEigenvalues(entries).pick(0, 0, 0, null);
  const angles = orientationAngles(axes) as OrientationAngles3d;
  const axis = (i: number) => [0, 1, 2].map((c) => axes.get(0, c, 0, 0, i));
  return { angles, axis, concentration };
}
const measuredAll = newFabric();
for (let j = 0; j < tubeCount; j++) {
  addAxis(
    measuredAll,
    tubeAxes.get(TUBE_RANK, 0, 0, 0, j),
    tubeAxes.get(TUBE_RANK, 1, 0, 0, j),
    tubeAxes.get(TUBE_RANK, 2, 0, 0, j),
    tubeWeights.get(0, 0, j),
  );
}
const overall = meanAxes([measuredAll]);
console.log(
  `mean tubule axis: ${formatAxis(overall.angles, 0)}, concentration ${
    overall.concentration.get(0).toFixed(3)
  }`,
);

// %% [markdown]
// ## Figures of the middle plane
//
// The orientation map colours each pixel of the middle plane by the in-plane angle of the
// tube direction (hue), saturated by FA and shaded by intensity. The direction colour
// map shows all three components, red |x|, green |y|, blue |z|, dimmed by FA and black
// outside the tissue (noise alone gives random, often anisotropic tensors). The glyphs
// draw the in-plane direction of tube-like voxels over the intensity, every 12 pixels,
// longer where FA is larger. The Schmidt net shows the whole volume's distribution.

// %%
const middle = Math.floor(depth / 2);
// Figures to scale, in the data's unit, when it gives a voxel size.
const scale = spacing ? { physicalSizes, physicalUnit } : {};
/** FA where `keep(code)`, 0 elsewhere. */
const maskedFa = (keep: (code: number) => boolean) =>
  ndarray(
    Float64Array.from(fa.data, (value, i) => keep(codes[i]) ? value : 0),
    channel.shape,
  );
const figures: [string, ReturnType<typeof orientationMap>][] = [
  [
    "orientation_map.svg",
    orientationMap(eigenvectors, {
      ...scale,
      rank: TUBE_RANK,
      plane: middle,
      anisotropy: fa,
      anisotropyLabel: "FA",
      intensity: channel,
      title: `Tube direction in plane Z = ${middle}, hue by angle${dataLabel}`,
    }),
  ],
  [
    "direction_color.svg",
    directionColor(eigenvectors, {
      ...scale,
      rank: TUBE_RANK,
      plane: middle,
      weight: maskedFa((code) => code !== 0),
      title: `Tube direction colour, FA-weighted, Z = ${middle}${dataLabel}`,
    }),
  ],
  [
    "vector_glyphs.svg",
    vectorGlyphs(eigenvectors, {
      ...scale,
      rank: TUBE_RANK,
      plane: middle,
      anisotropy: maskedFa((code) => code === tubeCode),
      background: channel,
      step: 12,
      title:
        `Tube-like directions over the intensity, Z = ${middle}${dataLabel}`,
    }),
  ],
  [
    "schmidt_net.svg",
    orientationDistribution(tubeAxes, {
      rank: TUBE_RANK,
      weight: tubeWeights,
      title: `Tubule directions, FA-weighted, ${tubeCount} voxels${dataLabel}`,
    }),
  ],
];
for (const [name, figure] of figures) {
  await saveFigure(figurePath(name), figure);
}
console.log(`figures: ${figures.map(([name]) => name).join(", ")}`);

// %% [markdown]
// ## Check against the stand-in's known geometry
//
// With `--synthetic`, the stand-in says where it drew each tube (`metadata.phantom`, in
// voxel indices). Each tube-like voxel within one profile sigma of a tube's axis is
// assigned to that tube; the built direction, scaled by the voxel size to physical space,
// goes through the same orientation tensor with the same weights, so measured and built
// mean axes compare like with like. Near the X-Y plane, two almost parallel axes can get
// representatives on opposite sides (z >= 0 by a hair, azimuths 180° apart); the built
// axis is then written as its opposite, with a negative elevation, to sit next to the
// measured one.

// %%
const phantom = source.phantom;
if (phantom && spacing) {
  const builtAxis = (d: readonly number[]) => d.map((c, a) => c * spacing[a]);
  /** Distance (voxels) from `p` to the segment `a`–`b`. */
  const distanceToAxis = (
    p: readonly number[],
    a: readonly number[],
    b: readonly number[],
  ) => {
    const ab = b.map((v, i) => v - a[i]);
    const ap = p.map((v, i) => v - a[i]);
    const along = ab.reduce((s, v, i) => s + v * ap[i], 0) /
      ab.reduce((s, v) => s + v * v, 0);
    const t = Math.min(1, Math.max(0, along));
    return Math.hypot(...ap.map((v, i) => v - t * ab[i]));
  };
  const tubes = phantom.tubes;
  const measured = tubes.map(newFabric);
  const built = tubes.map(newFabric);
  const builtAll = newFabric();
  const nearCounts = new Float64Array(SHAPE_CLASSES.length);
  const plane = height * width;
  for (let voxel = 0; voxel < voxels; voxel++) {
    if (codes[voxel] === 0) continue;
    // The stand-in's coordinates are the whole stack's: add the crop's corner.
    const p = [
      Math.floor(voxel / plane) + crop.lo[0],
      Math.floor((voxel % plane) / width) + crop.lo[1],
      (voxel % width) + crop.lo[2],
    ];
    const t = tubes.findIndex((tube) =>
      distanceToAxis(p, tube.start, tube.end) < tube.sigma
    );
    if (t < 0) continue;
    nearCounts[codes[voxel]]++;
    if (codes[voxel] !== tubeCode) continue;
    const v = [0, 1, 2].map((c) =>
      eigenvectors.data[(TUBE_RANK * 3 + c) * voxels + voxel]
    );
    const [bz, by, bx] = builtAxis(tubes[t].direction);
    addAxis(measured[t], v[0], v[1], v[2], fa.data[voxel]);
    addAxis(built[t], bz, by, bx, fa.data[voxel]);
    addAxis(builtAll, bz, by, bx, fa.data[voxel]);
  }
  const near = nearCounts.reduce((sum, n) => sum + n, 0);
  console.log(
    `tissue voxels within one sigma of a built tube axis: ${near} (${
      percent(near / tissue)
    } of the tissue); measured there: ${
      CLASSES.map(([name, meaning]) =>
        `${meaning} ${percent(nearCounts[SHAPE_CLASSES.indexOf(name)] / near)}`
      ).join(", ")
    } / built: all on a tube`,
  );
  const seen = tubes.map((_, t) => t).filter((t) => measured[t][6] > 0);
  const measuredNear = newFabric();
  for (const t of seen) measured[t].forEach((v, e) => measuredNear[e] += v);
  const m = meanAxes([measuredNear, ...seen.map((t) => measured[t])]);
  const b = meanAxes([builtAll, ...seen.map((t) => built[t])]);
  ["all tubes", ...seen.map((t) => `tube ${t}`)].forEach((name, i) => {
    const dot = m.axis(i).reduce((sum, v, c) => sum + v * b.axis(i)[c], 0);
    const apart = (Math.acos(Math.min(1, Math.abs(dot))) * 180) / Math.PI;
    console.log(
      `${name}: measured ${formatAxis(m.angles, i)} / built ${
        formatAxis(b.angles, i, pointsAway(m.angles, b.angles, i))
      }; ${apart.toFixed(1)}° apart`,
    );
  });
}
