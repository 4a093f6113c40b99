// # Estimate anisotropy in a 3D microscopy image
//
// Compute the structure tensor of a confocal volume of mouse kidney tissue and read its
// eigenvalues to tell planar, tubular and isotropic neighbourhoods apart.
//
// @permissions --allow-read --allow-write --allow-net=gitlab.com --allow-env=STRIA_DATA_DIR,STRIA_DATA_MIRROR,XDG_CACHE_HOME,HOME,STRIA_SYNTHETIC
// @dataset kidney
//
// A port of scikit-image's tutorial of the same name
// (https://scikit-image.org/docs/stable/auto_examples/applications/plot_3d_structure_tensor.html).
// For a general introduction to 3D image processing, see scikit-image's tutorial
// "Explore 3D images (of cells)"
// (https://scikit-image.org/docs/stable/auto_examples/applications/plot_3d_image_processing.html).
// The structure tensor of a 3D image is, at every voxel, the 3x3 matrix of products of
// the intensity gradient's components, averaged over a Gaussian neighbourhood. Its
// eigenvalues measure how strongly the intensity changes along three orthogonal
// directions, and their ratios say whether the neighbourhood is anisotropic.
//
// Every statement below about *this* data (factors between eigenvalues, orders of
// magnitude, shape class, directions, where the maximum is) is printed by the example
// from the values it computed, so it holds on the kidney, on the synthetic stand-in and
// on your own file:
//
// ```sh
// deno run --allow-read --allow-write --allow-net=gitlab.com --allow-env=STRIA_DATA_DIR,STRIA_DATA_MIRROR,XDG_CACHE_HOME,HOME,STRIA_SYNTHETIC examples/anisotropy_3d.ts --out "$(mktemp -d)"
// ```
//
// Offline, add `--synthetic` (or set `STRIA_SYNTHETIC=1`); on your own stack, `--input FILE`
// (`--help` lists every option).
//
// References: [1] the data, `kidney-tissue-fluorescence.tif` in scikit-image's data
// repository (https://gitlab.com/scikit-image/data): mouse kidney tissue, confocal
// fluorescence (Nikon C1), Monash Micro Imaging, 2018, CC0. [2] The structure tensor's
// interpretation, where the "pancake" is defined:
// https://en.wikipedia.org/wiki/Structure_tensor#Interpretation_2

import {
  argmax,
  formatArray,
  formatShape,
  imshow,
  imshowFacets,
  max,
  min,
  saveFigure,
  saveView,
  structureTensor,
  structureTensorEigenvalues,
  structureTensorEigenvectors,
  unravelIndex,
  volumeView,
} from "../mod.ts";
import {
  boxIn,
  cropOption,
  exampleArguments,
  exampleStack,
  exampleUsage,
  formatCrop,
  sigmaOption,
} from "./_example_cli.ts";
import {
  anisotropyNarrative,
  brightRegionPhrase,
  depthPhrase,
  longitudinalPhrase,
  neighbourhoodOf,
} from "./_anisotropy_narrative.ts";

/** The tutorial's box, `[5:13, 380:410, 370:400]`: its corner and its size. */
const TUTORIAL_CORNER = [5, 380, 370];
const TUTORIAL_SIZE = [8, 30, 30];
/** The tutorial's window, in voxels along Z, Y, X. */
const TUTORIAL_SIGMA = [1, 1.5, 2.5];
const DEFAULT_OUT = "anisotropy_3d_figures";

const USAGE = exampleUsage(
  `Usage: deno run --allow-read --allow-write --allow-net=gitlab.com \\
  --allow-env=STRIA_DATA_DIR,STRIA_DATA_MIRROR,XDG_CACHE_HOME,HOME,STRIA_SYNTHETIC \\
  examples/anisotropy_3d.ts [options]

The structure tensor of a confocal stack and its eigenvalues around their maximum
(scikit-image's tutorial "Estimate anisotropy in a 3D microscopy image"), on the
kidney volume (downloaded once), its synthetic stand-in, or your own TIFF.`,
  DEFAULT_OUT,
  [
    [
      "--input FILE",
      "a TIFF or OME-TIFF stack (axes ZYX, or with a channel axis and --channel) instead of the kidney; its voxel size scales the figures",
    ],
    [
      "--channel N",
      "the channel to analyse (default 1, the tutorial's, for the kidney and the stand-in; needed for a file with several)",
    ],
    [
      "--sigma S",
      "Gaussian window in voxels, one value or Z,Y,X (default 1,1.5,2.5, the tutorial's)",
    ],
    [
      "--crop z0:z1,y0:y1,x0:x1",
      "the sample box (default the tutorial's 5:13,380:410,370:400 where it fits, else a box of that size centred in the stack, clipped to it)",
    ],
  ],
);

const { synthetic, outDir, figurePath, values, usageError } = exampleArguments(
  DEFAULT_OUT,
  { usage: USAGE, strings: ["input", "channel", "sigma", "crop"] },
);
const sigma = sigmaOption(values.sigma, 3, usageError) ?? TUTORIAL_SIGMA;

// %% [markdown]
// ## Load the image
//
// The volume comes from stria's dataset registry: a confocal stack of mouse kidney tissue
// with three fluorescence channels [1]. The first call downloads it, checks its SHA-256
// and keeps it in the cache folder; later calls read the cached copy. With `--synthetic`
// we use a generated stand-in of the same shape and type instead, so that the example
// also runs without a network connection; with `--input`, your file. The first line says
// which.

// %%
const source = await exampleStack({
  synthetic,
  input: values.input,
  channel: values.channel,
  defaultChannel: 1,
}, usageError);
const { data, stack, label: dataLabel, physicalSizes, physicalUnit } = source;
console.log(source.summary);

// %% [markdown]
// What are the shape and sample type of this image? The kidney's axes are plane (Z),
// row (Y), column (X) and channel.

// %%
console.log(`number of dimensions: ${data.dimension}`);
console.log(`shape: ${formatShape(data.shape)}`);
console.log(`dtype: ${data.dtype}`);

// %% [markdown]
// We keep only one channel (the tutorial takes the second, index 1), which leaves a 3D
// single-channel image. What is its range of values?

// %%
const vMin = min(stack);
const vMax = max(stack);
console.log(`range: (${vMin}, ${vMax})`);

// %% [markdown]
// Let us look at the middle plane of the stack.

// %%
const middle = Math.floor(stack.shape[0] / 2);
await saveFigure(
  figurePath("figure1_middle_plane.svg"),
  imshow(stack.pick(middle, null, null), {
    vmin: vMin,
    vmax: vMax,
    title:
      `Middle plane of the stack (Z = ${middle}), channel ${source.channel}${dataLabel}`,
    labels: { x: "col", y: "row", color: "intensity" },
    physicalSizes,
    physicalUnit,
  }),
);

// %% [markdown]
// ## Pick a region
//
// The tutorial crops a box of 8 planes by 30 by 30 pixels around a bright structure,
// `[5:13, 380:410, 370:400]`; `--crop` picks another. We show every third plane of the
// box, then measure how the intensity varies along each axis: the tutorial chose this
// box because it looks alike along rows and columns while changing little along Z.

// %%
const crop = cropOption(
  values.crop,
  "ZYX",
  stack.shape,
  boxIn(stack.shape, TUTORIAL_CORNER, TUTORIAL_SIZE),
  usageError,
);
const [z0, y0, x0] = crop.lo;
const sample = stack.lo(z0, y0, x0).hi(
  crop.hi[0] - z0,
  crop.hi[1] - y0,
  crop.hi[2] - x0,
);
const tutorialBox = formatCrop(crop) === "5:13,380:410,370:400";
const size = (axis: "Z" | "Y" | "X", n: number) =>
  physicalSizes[axis] === undefined
    ? `${n}`
    : `${n} (${Number((n * physicalSizes[axis]!).toFixed(2))} ${
      physicalUnit ?? ""
    })`.replace(" )", ")");
console.log(
  `sample: [${formatCrop(crop).replaceAll(",", ", ")}], ${
    values.crop !== undefined
      ? "your --crop"
      : tutorialBox
      ? "the tutorial's box"
      : "a box of the tutorial's size, centred (the tutorial's box does not fit)"
  }; planes x rows x columns = ${size("Z", sample.shape[0])} x ${
    size("Y", sample.shape[1])
  } x ${size("X", sample.shape[2])}`,
);
console.log(depthPhrase(sample));
const step = 3;
const shownPlanes = [];
for (let plane = 0; plane < sample.shape[0]; plane += step) {
  shownPlanes.push(plane);
}
await saveFigure(
  figurePath("figure2_sample_planes.svg"),
  imshowFacets(shownPlanes.map((plane) => sample.pick(plane, null, null)), {
    titles: shownPlanes.map((plane) =>
      `Stack plane ${z0 + plane} (box plane ${plane})`
    ),
    labels: { color: "intensity" },
    vmin: vMin,
    vmax: vMax,
    cmap: "gray",
    ticks: false,
    colorbar: false,
    title: `Sample planes, channel ${source.channel}${dataLabel}`,
  }),
);

// %% [markdown]
// ## The sample in 3D
//
// A volume rendering shows the whole box at once: each voxel is drawn half transparent
// (opacity 0.5), and the middle plane of the box as an opaque slice so that the eye has
// a reference. The box has the sample's physical proportions, from the data's voxel
// size, and each axis name gives its length. The gallery page offers the same view
// interactively, with a plane slider.

// %%
const slicePlane = Math.min(4, sample.shape[0] - 1);
await saveFigure(
  figurePath("sample_volume_3d.svg"),
  volumeView(sample, {
    opacity: 0.5,
    slice: slicePlane,
    vmin: vMin,
    vmax: vMax,
    physicalSizes,
    physicalUnit,
    title: `Sample volume, slice at plane ${slicePlane}${dataLabel}`,
  }),
);

// %% [markdown]
// ## Choose the window of the structure tensor
//
// The structure tensor averages gradient products over a Gaussian window whose width
// should match the size of the structures we care about. The tutorial sizes it from the
// brightest region of the bottom plane of the sample: how many pixels it spans across
// columns and across rows (printed below).

// %%
await saveFigure(
  figurePath("figure3_bottom_slice.svg"),
  imshow(sample.pick(0, null, null), {
    vmin: vMin,
    vmax: vMax,
    title:
      `Interactive view of the box's bottom plane (stack plane ${z0})${dataLabel}`,
    labels: { x: "col", y: "row", color: "intensity" },
  }),
);
console.log(
  brightRegionPhrase(sample.pick(0, null, null), "bottom plane of the sample"),
);

// %% [markdown]
// The tutorial takes a window of one voxel along Z (the box has only 8 planes), 1.5
// along rows and 2.5 along columns (`--sigma` changes it), and computes the six distinct
// entries of the symmetric tensor, then its three eigenvalues at every voxel, largest
// first. As in scikit-image, the box is padded with zeros beyond its faces (mode
// "constant"), and sigma is in voxels.

// %%
const tensorElements = structureTensor(sample, { sigma });
const eigen = structureTensorEigenvalues(tensorElements);
console.log(`sigma (Z, Y, X): (${sigma.join(", ")}) voxels`);
console.log(formatShape(eigen.shape));

// %% [markdown]
// ## Where is the largest eigenvalue?
//
// The first index is the eigenvalue's rank, 0 for the largest, so the overall maximum is
// always found at rank 0. The other three indices are the plane, row and column of the
// voxel where the intensity changes most sharply. The sentence after them says whether
// that voxel sits on, or near, a face of the box.

// %%
const coords = unravelIndex(argmax(eigen), eigen.shape);
if (coords[0] !== 0) {
  throw new Error(`expected rank 0 for the maximum, got ${coords[0]}`);
}
console.log(formatShape(coords));
const [, zMax, yMax, xMax] = coords;
const vectors = structureTensorEigenvectors(tensorElements);
const narrative = anisotropyNarrative({
  eigenvalues: eigen,
  coords,
  sigma,
  vectors: [0, 1, 2].map((rank) =>
    [0, 1, 2].map((c) => vectors.get(rank, c, zMax, yMax, xMax))
  ),
});
console.log(narrative.maximum);

// %% [markdown]
// Here are the three eigenvalue maps in that plane, on one shared color scale.

// %%
await saveFigure(
  figurePath("figure4_eigenvalues.svg"),
  imshowFacets([0, 1, 2].map((rank) => eigen.pick(rank, zMax, null, null)), {
    titles: [0, 1, 2].map((rank) => `rank=${rank}`),
    facetLabel: "rank",
    cmap: "viridis",
    title: `Eigenvalues in box plane ${zMax}${dataLabel}`,
    labels: { x: "col", y: "row", color: "eigenvalue" },
  }),
);

// %% [markdown]
// ## A closer look at the neighbourhood
//
// The structure tensor describes a local property, so we print the eigenvalues in the
// tutorial's 3x3 window that ends at the maximum (`[row-2 : row+1, col-2 : col+1]`), one
// rank at a time, each followed by what its values say.

// %%
const window = neighbourhoodOf(eigen, coords);
console.log(formatArray(window.pick(0, null, null)));
console.log(formatArray(window.pick(1, null, null)));
console.log(narrative.second);
console.log(formatArray(window.pick(2, null, null)));
console.log(narrative.third);
console.log(narrative.shape);
console.log(narrative.gradient);

// %% [markdown]
// ## The structure around the maximum
//
// The plane of the maximum, then its X-Z and Y-Z cross-sections (Z vertical). For each
// cross-section, the line printed says whether its brightest pixel stays in place from
// plane to plane, as a structure running along Z would.

// %%
await saveFigure(
  figurePath("figure5_max_plane.svg"),
  imshow(sample.pick(zMax, null, null), {
    vmin: vMin,
    vmax: vMax,
    title: `Interactive view of box plane ${zMax} (stack plane ${
      z0 + zMax
    })${dataLabel}`,
    labels: { x: "col", y: "row", color: "intensity" },
    physicalSizes,
    physicalUnit,
  }),
);
const xzSlice = sample.pick(null, yMax, null);
const yzSlice = sample.pick(null, null, xMax);
await saveFigure(
  figurePath("figure6_longitudinal.svg"),
  imshowFacets([xzSlice, yzSlice], {
    titles: [`X-Z at row ${yMax}`, `Y-Z at column ${xMax}`],
    vmin: vMin,
    vmax: vMax,
    cmap: "gray",
    title: `X-Z and Y-Z sections of the box through its maximum${dataLabel}`,
    labels: { x: "col / row", y: "plane", color: "intensity" },
    // Rows of these slices are planes: Z's size along the figure's y.
    physicalSizes: Object.fromEntries(
      [["X", physicalSizes.X], ["Y", physicalSizes.Z]].filter(([, v]) =>
        v !== undefined
      ),
    ),
    physicalUnit,
  }),
);
console.log(
  `X-Z slice at row ${yMax}: ${longitudinalPhrase(xzSlice, "column")}`,
);
console.log(
  `Y-Z slice at column ${xMax}: ${longitudinalPhrase(yzSlice, "row")}`,
);

// %% [markdown]
// ## How robust is the maximum?
//
// The tutorial invites the reader to check how the maximum's position depends on sigma.
// We recompute it for the tutorial's window, its prose's alternatives (1.5 on every
// axis, and 1, 2, 3), and the chosen window three quarters and five quarters as wide.

// %%
const sigmas = [
  sigma,
  TUTORIAL_SIGMA,
  [1.5, 1.5, 1.5],
  [1, 2, 3],
  sigma.map((s) => 0.75 * s),
  sigma.map((s) => 1.25 * s),
].filter((s, i, all) => all.findIndex((t) => t.join() === s.join()) === i);
console.log(
  "sigma (Z, Y, X)        maximum (plane, row, col)  largest eigenvalue  moved (voxels)",
);
for (const s of sigmas) {
  const e = structureTensorEigenvalues(structureTensor(sample, { sigma: s }));
  const [, z, y, x] = unravelIndex(argmax(e), e.shape);
  const moved = Math.hypot(z - zMax, y - yMax, x - xMax);
  console.log(
    `${`(${s.map((v) => Number(v.toFixed(3))).join(", ")})`.padEnd(23)}${
      `(${z}, ${y}, ${x})`.padEnd(27)
    }${e.get(0, z, y, x).toPrecision(4).padEnd(20)}${moved.toFixed(1)}`,
  );
}

// %% [markdown]
// The gallery's interactive view scrubs through the planes of the sample and its three
// eigenvalue maps together, with the value under the cursor.

// %%
const eigenMax = max(eigen);
await saveView(figurePath("sample_eigenvalues.view.json"), {
  title: `Sample and structure-tensor eigenvalues, plane by plane${dataLabel}`,
  physicalSizes,
  physicalUnit,
  initialPlane: zMax,
  widgets: ["slices", "3d"],
  panels: [
    {
      title: `sample, channel ${source.channel}`,
      volume: sample,
      cmap: "gray",
      vmin: vMin,
      vmax: vMax,
      label: "intensity",
    },
    ...[0, 1, 2].map((rank) => ({
      title: `eigenvalue rank ${rank}`,
      volume: eigen.pick(rank, null, null, null),
      cmap: "viridis" as const,
      vmin: 0,
      vmax: eigenMax,
      label: "eigenvalue",
    })),
  ],
});

// %% [markdown]
// ## Conclusion
//
// The conclusion, too, is computed: anisotropic unless the largest eigenvalue is within
// the factor 2 of the smallest within which `shapeClass` calls eigenvalues about equal
// (a "sphere"), and the shape by `shapeClass`'s rule
// (`pancake`: two large, one small, the tutorial's reading; `cigar`: one large;
// `sphere`: three alike; `mixed`: in between), as in the ellipsoid picture of the
// structure tensor [2].

// %%
console.log(narrative.conclusion);
console.log(`figures: written to ${outDir}`);
