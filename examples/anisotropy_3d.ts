// # Estimate anisotropy in a 3D microscopy image
//
// Compute the structure tensor of a confocal volume of mouse kidney tissue and read its
// eigenvalues to tell planar, tubular and isotropic neighbourhoods apart.
//
// @permissions --allow-read --allow-write --allow-net=gitlab.com --allow-env=STRIA_DATA_DIR,STRIA_DATA_MIRROR,XDG_CACHE_HOME,HOME
// @dataset kidney
//
// A port of scikit-image's tutorial of the same name. The structure tensor of a 3D image
// is, at every voxel, the 3x3 matrix of products of the intensity gradient's components,
// averaged over a Gaussian neighbourhood. Its eigenvalues measure how strongly the
// intensity changes along three orthogonal directions: where they differ by an order of
// magnitude, the tissue is anisotropic there.
//
// Run it on the real data (downloaded once, about 25 MB, then cached):
//
// ```sh
// deno run --allow-read --allow-write --allow-net=gitlab.com --allow-env=STRIA_DATA_DIR,STRIA_DATA_MIRROR,XDG_CACHE_HOME,HOME examples/anisotropy_3d.ts --out figures
// ```
//
// or offline on the synthetic stand-in with `--synthetic`.

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
  unravelIndex,
  volumeView,
} from "../mod.ts";
import { exampleArguments, exampleVolume } from "./_example_cli.ts";

const { synthetic, figurePath } = exampleArguments("anisotropy_3d_figures");

// %% [markdown]
// ## Load the image
//
// The volume comes from stria's dataset registry: a confocal stack of mouse kidney tissue
// with three fluorescence channels. The first call downloads it, checks its SHA-256 and
// keeps it in the cache folder; later calls read the cached copy. With `--synthetic` we
// use a generated stand-in of the same shape and type instead, so the example also runs
// without a network connection.

// %%
const volume = await exampleVolume(synthetic);
const data = volume.data;
const dataLabel = volume.source.synthetic ? " [synthetic data]" : "";
console.log(
  volume.source.synthetic
    ? `data: ${volume.source.name}, a synthetic stand-in, not the real kidney volume`
    : `data: ${volume.source.name}, real data from ${volume.source.path}, sha256 ${volume.source.sha256}`,
);

// %% [markdown]
// What are the shape and sample type of this 3D multichannel image? The axes are plane
// (Z), row (Y), column (X) and channel.

// %%
console.log(`number of dimensions: ${data.dimension}`);
console.log(`shape: ${formatShape(data.shape)}`);
console.log(`dtype: ${data.dtype}`);

// %% [markdown]
// We keep only the second channel (index 1), which leaves a 3D single-channel image.
// Its intensity range tells us the camera's effective bit depth: values stop at 4095,
// so the detector recorded 12 bits per sample inside a 16-bit container.

// %%
const channel = data.pick(null, null, null, 1);
const vMin = min(channel);
const vMax = max(channel);
console.log(`range: (${vMin}, ${vMax})`);

// %% [markdown]
// Let us look at the middle plane of the stack. Bright tubular sections of the kidney
// tissue stand out against a dark background.

// %%
const middlePlane = channel.pick(8, null, null);
await saveFigure(
  figurePath("figure1_middle_plane.svg"),
  imshow(middlePlane, {
    vmin: vMin,
    vmax: vMax,
    title: `Middle plane (Z = 8), channel 1${dataLabel}`,
    labels: { x: "col", y: "row", color: "intensity" },
    physicalSizes: volume.metadata.physicalSizes,
    physicalUnit: volume.metadata.physicalUnit,
  }),
);

// %% [markdown]
// ## Pick a region
//
// We crop a small box of 8 planes by 30 by 30 pixels around a bright structure. Within
// each plane the structure looks roughly the same along rows and columns (X-Y isotropy),
// while from plane to plane, along Z, the intensity changes slowly and weakly. We show
// every third plane of the box.

// %%
const sample = channel.lo(5, 380, 370).hi(8, 30, 30);
const step = 3;
const shownPlanes = [];
for (let plane = 0; plane < sample.shape[0]; plane += step) {
  shownPlanes.push(plane);
}
await saveFigure(
  figurePath("figure2_sample_planes.svg"),
  imshowFacets(shownPlanes.map((plane) => sample.pick(plane, null, null)), {
    titles: shownPlanes.map((plane) => `Plane = ${5 + plane}`),
    vmin: vMin,
    vmax: vMax,
    cmap: "gray",
    ticks: false,
    colorbar: false,
    title: `Sample planes, channel 1${dataLabel}`,
  }),
);

// %% [markdown]
// ## The sample in 3D
//
// A volume rendering shows the whole box at once: each voxel is drawn half transparent
// (opacity 0.5), and plane 4 is drawn as an opaque slice so that the eye has a reference.
// The box has the sample's physical proportions, from the file's voxel size, and each
// axis name gives its length.
// The gallery page offers the same view interactively, with a plane slider.

// %%
await saveFigure(
  figurePath("sample_volume_3d.svg"),
  volumeView(sample, {
    opacity: 0.5,
    slice: 4,
    vmin: vMin,
    vmax: vMax,
    physicalSizes: volume.metadata.physicalSizes,
    physicalUnit: volume.metadata.physicalUnit,
    title: `Sample volume, slice at plane 4${dataLabel}`,
  }),
);

// %% [markdown]
// ## Choose the window of the structure tensor
//
// The structure tensor averages gradient products over a Gaussian window whose width
// should match the size of the structures we care about. In the bottom plane of the
// sample, the brightest region (around row 22, column 17) varies over two or three
// pixels across columns and one or two pixels across rows.

// %%
await saveFigure(
  figurePath("figure3_bottom_slice.svg"),
  imshow(sample.pick(0, null, null), {
    vmin: vMin,
    vmax: vMax,
    title: `Interactive view of bottom slice of sample data.${dataLabel}`,
    labels: { x: "col", y: "row", color: "intensity" },
  }),
);

// %% [markdown]
// We therefore choose a window of one pixel along Z (the box has only 8 planes), 1.5
// along rows and 2.5 along columns, and compute the six distinct entries of the
// symmetric tensor, then its three eigenvalues at every voxel, largest first.

// %%
const sigma = [1, 1.5, 2.5];
const tensorElements = structureTensor(sample, { sigma });
const eigen = structureTensorEigenvalues(tensorElements);
console.log(formatShape(eigen.shape));

// %% [markdown]
// ## Where is the largest eigenvalue?
//
// The first index is the eigenvalue's rank, 0 for the largest, so the overall maximum is
// always found at rank 0. The other three indices are the plane, row and column of the
// voxel where the intensity changes most sharply.

// %%
const coords = unravelIndex(argmax(eigen), eigen.shape);
if (coords[0] !== 0) {
  throw new Error(`expected rank 0 for the maximum, got ${coords[0]}`);
}
console.log(formatShape(coords));
const [, zMax, yMax, xMax] = coords;

// %% [markdown]
// Here are the three eigenvalue maps in that plane, on one shared color scale. The first
// two are bright around the structure, the third stays dark almost everywhere.

// %%
await saveFigure(
  figurePath("figure4_eigenvalues.svg"),
  imshowFacets([0, 1, 2].map((rank) => eigen.pick(rank, zMax, null, null)), {
    titles: [0, 1, 2].map((rank) => `rank=${rank}`),
    facetLabel: "rank",
    cmap: "viridis",
    title: `Eigenvalues for plane Z = ${zMax}.${dataLabel}`,
    labels: { x: "col", y: "row", color: "eigenvalue" },
  }),
);

// %% [markdown]
// ## A closer look at the neighbourhood
//
// The structure tensor describes a local property, so we print the eigenvalues in the
// 3x3 window that ends at the maximum, one rank at a time. The largest eigenvalues:

// %%
const neighbourhood = (rank: number) =>
  eigen.pick(rank, zMax, null, null).lo(yMax - 2, xMax - 2).hi(3, 3);
console.log(formatArray(neighbourhood(0)));

// %% [markdown]
// The second-largest eigenvalues have the same order of magnitude as the largest ones:

// %%
console.log(formatArray(neighbourhood(1)));

// %% [markdown]
// The third-largest are about ten times smaller:

// %%
console.log(formatArray(neighbourhood(2)));

// %% [markdown]
// ## The structure around the maximum
//
// The plane of the maximum, then its X-Z and Y-Z cross-sections (Z vertical). The
// intensity barely changes along Z in the cross-sections: the structure runs through
// the stack, most clearly in the Y-Z section.

// %%
await saveFigure(
  figurePath("figure5_max_plane.svg"),
  imshow(sample.pick(zMax, null, null), {
    vmin: vMin,
    vmax: vMax,
    title: `Interactive view of plane Z = ${zMax}.${dataLabel}`,
    labels: { x: "col", y: "row", color: "intensity" },
    physicalSizes: volume.metadata.physicalSizes,
    physicalUnit: volume.metadata.physicalUnit,
  }),
);
await saveFigure(
  figurePath("figure6_longitudinal.svg"),
  imshowFacets([sample.pick(null, yMax, null), sample.pick(null, null, xMax)], {
    titles: ["longitudinal=0", "longitudinal=1"],
    facetLabel: "longitudinal",
    vmin: vMin,
    vmax: vMax,
    cmap: "gray",
    title: `X-Z and Y-Z slices through the maximum${dataLabel}`,
    labels: { x: "col / row", y: "plane", color: "intensity" },
    // Rows of these slices are planes: Z's size along the figure's y.
    physicalSizes: {
      X: volume.metadata.physicalSizes.X,
      Y: volume.metadata.physicalSizes.Z,
    },
    physicalUnit: volume.metadata.physicalUnit,
  }),
);

// %% [markdown]
// The gallery's interactive view scrubs through the planes of the sample and its three
// eigenvalue maps together, with the value under the cursor.

// %%
const eigenMax = max(eigen);
await saveView(figurePath("sample_eigenvalues.view.json"), {
  title: `Sample and structure-tensor eigenvalues, plane by plane${dataLabel}`,
  physicalSizes: volume.metadata.physicalSizes,
  physicalUnit: volume.metadata.physicalUnit,
  initialPlane: zMax,
  widgets: ["slices", "3d"],
  panels: [
    {
      title: "sample, channel 1",
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
// Around the maximum, the third eigenvalue is an order of magnitude below the other two,
// which are within a factor of two of each other. The intensity changes strongly in two
// directions and little in the third: in the ellipsoid picture of the structure tensor
// this is a "pancake", here a tubular structure running roughly along Z whose cross
// section is close to isotropic in the X-Y plane.

// %%
const ratio = (a: number, b: number) => (a / b).toFixed(1);
const centre = (rank: number) => eigen.get(rank, zMax, yMax, xMax);
console.log(
  `at the maximum: rank 0 / rank 1 = ${ratio(centre(0), centre(1))}, ` +
    `rank 1 / rank 2 = ${ratio(centre(1), centre(2))}`,
);
