// # Volumes larger than memory
//
// Compute the structure tensor's eigenvalues of a multi-page TIFF block of planes by
// block of planes, in bounded memory, and check that the blocks give the whole-volume
// result bit for bit.
//
// @permissions --allow-read --allow-write={out}
//
// A light-sheet or serial-section volume easily holds more voxels than a computer has
// memory, and the structure tensor's eigenvalues take twelve times a uint16 volume's
// size in float64. `structureTensorEigenvaluesTiff` never holds either: it reads a few
// planes of the input TIFF at a time, computes their eigenvalues and appends them to the
// output TIFF. This example generates a volume of tubes whose directions it knows,
// writes it plane by plane as an OME-TIFF, analyses it block by block into an OME-TIFF
// of eigenvalues, and checks the result against the whole-volume computation.
//
// Run it on the generated volume (about 50 MB of input, 600 MB of eigenvalues written
// to a work folder inside the output folder and removed at the end):
//
// ```sh
// out="$(mktemp -d)"
// deno run --allow-read --allow-write="$out" examples/out_of_core.ts --out "$out"
// ```
//
// or on your own multi-page TIFF or OME-TIFF with `--input FILE` (`--channel N` for a
// file with several channels, `--sigma S` in the file's unit, `--crop z0:z1,y0:y1,x0:x1`
// for a box of it).

import {
  createTiffPageWriter,
  imshow,
  ndarray,
  openTiffPlanes,
  type PlaneSource,
  saveFigure,
  shapeClass,
  structureTensorEigenvaluesOfImage,
  structureTensorEigenvaluesTiff,
  type TensorWindowOptions,
  type TiffPlaneReader,
} from "../mod.ts";
import {
  type Crop,
  cropOption,
  exampleArguments,
  exampleUsage,
  formatCrop,
  indexOption,
  sigmaOption,
} from "./_example_cli.ts";

const DEFAULT_OUT = "out_of_core_figures";
const USAGE = exampleUsage(
  `Usage: deno run --allow-read --allow-write=DIR examples/out_of_core.ts [options]

Structure-tensor eigenvalues of a multi-page TIFF, block by block, in bounded memory;
the eigenvalues are written to DIR/out_of_core_work and removed at the end.`,
  DEFAULT_OUT,
  [
    [
      "--input FILE",
      "a multi-page TIFF (ZYX, or a hyperstack with --channel) instead of\nthe generated volume of tubes",
    ],
    ["--channel N", "with --input: the channel of a file with several"],
    [
      "--crop z0:z1,y0:y1,x0:x1",
      "analyse only this box (default: the whole volume), copied plane\nby plane into a TIFF of its own",
    ],
    [
      "--sigma S",
      "Gaussian window, one value or Z,Y,X, in the file's unit when it\ngives a voxel size, else in voxels (default: twice the largest\nvoxel side, or 2 voxels)",
    ],
  ],
);

const { outDir, figurePath, values, usageError } = exampleArguments(
  DEFAULT_OUT,
  { usage: USAGE, strings: ["input", "channel", "sigma", "crop"] },
);
const sigmaValues = sigmaOption(values.sigma, 3, usageError);
if (values.input === undefined && values.channel !== undefined) {
  usageError("--channel picks from an --input file");
}
const channelOption = values.channel === undefined
  ? {}
  : { channel: indexOption("channel", values.channel, usageError) };

const MB = 1e6;
const megabytes = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

/**
 * The process's peak resident memory while `work` runs, sampled every 5 ms by a
 * worker: the calling thread is blocked inside each block's computation, and the
 * worker thread keeps sampling meanwhile.
 */
async function withPeakMemory(work: () => Promise<unknown>) {
  const sampler = `let peak = 0;
const sample = () => { peak = Math.max(peak, Deno.memoryUsage().rss); };
const timer = setInterval(sample, 5);
self.onmessage = () => { sample(); clearInterval(timer); self.postMessage(peak); };`;
  const worker = new Worker(
    URL.createObjectURL(new Blob([sampler], { type: "text/javascript" })),
    { type: "module" },
  );
  const before = Deno.memoryUsage().rss;
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  const after = Deno.memoryUsage().rss;
  const sampled = await new Promise<number>((resolve) => {
    worker.onmessage = (event) => resolve(event.data);
    worker.postMessage("stop");
  });
  worker.terminate();
  // Before and after are samples too (a run shorter than the worker's start has no other).
  return { seconds, before, after, peak: Math.max(sampled, before, after) };
}

// %% [markdown]
// ## A volume written plane by plane
//
// The generated volume has 96 planes of 512 × 512 voxels (uint16, 50 MB), six times
// the tutorial's kidney volume (16 planes of 512 × 512 per channel); voxels
// are 1 µm deep and 0.5 µm wide, so the volume spans 96 × 256 × 256 µm. It holds seven
// straight tubes with a Gaussian profile (standard deviation 2 µm, peak 2000 above a
// background of 100): two along Z, two along X, one along Y, and two oblique ones.
// Three of them lie in the X-Z plane at y = 128 µm, which the figure below shows, and
// the tube along Y crosses it.
// Each plane is computed from the tubes' geometry and written as one page of an
// OME-TIFF by `createTiffPageWriter` (`ome: true`), with the voxel size in the file's
// OME-XML (PhysicalSizeX/Y/Z in µm), written when the last page is in: the volume never
// exists in memory, and Fiji (Bio-Formats), napari or tifffile open it with its axes and
// voxel size. We chose this size so that
// the gallery runs the example in under half a minute on two cores (we measured 15 to
// 17 s of CPU time, and 17.5 s of wall time on a lightly loaded machine); the memory
// used would be the same for a thousand planes, only the time and the disk space would
// grow. With `--input`, your file takes the generated volume's place, read the same way,
// a few planes at a time; with `--crop`, the box is first copied, plane by plane, into
// a TIFF of its own. The eigenvalues are an OME-TIFF too (ZCYX, the channels named
// "eigenvalue 0" to "eigenvalue 2") when the sizes are in µm (ImageJ's "micron" and
// "um" included, which the OME-XML states as µm) or have no unit, as an OME-TIFF's
// always are; a file of yours in another unit keeps it in ImageJ hyperstacks for its
// box and eigenvalues.

// %%
const PLANES = 96, ROWS = 512, COLS = 512;
const VOXEL = { Z: 1, Y: 0.5, X: 0.5 };
const UNIT = "µm";
const BACKGROUND = 100, PEAK = 2000, PROFILE_SD = 2;
/** The row of the X-Z plane the figure shows: y = 128 µm. */
const FIGURE_ROW = 256;
/** Each tube: a point on its axis and its direction, (z, y, x) in µm. */
const TUBES = [
  { name: "along Z", point: [0, 128, 200], direction: [1, 0, 0] },
  { name: "along Z", point: [0, 60, 60], direction: [1, 0, 0] },
  { name: "along X", point: [30, 128, 0], direction: [0, 0, 1] },
  { name: "along X", point: [70, 200, 0], direction: [0, 0, 1] },
  { name: "along Y", point: [48, 0, 60], direction: [0, 1, 0] },
  {
    name: "oblique in X-Z",
    point: [48, 128, 128],
    direction: [Math.SQRT1_2, 0, Math.SQRT1_2],
  },
  {
    name: "oblique",
    point: [48, 40, 200],
    direction: [1 / Math.sqrt(3), 1 / Math.sqrt(3), -1 / Math.sqrt(3)],
  },
] as const;

/** The squared distance (µm²) from `(z, y, x)` µm to the axis of `tube`. */
function squaredAxisDistance(
  { point, direction }: typeof TUBES[number],
  z: number,
  y: number,
  x: number,
) {
  const [dz, dy, dx] = [z - point[0], y - point[1], x - point[2]];
  const along = dz * direction[0] + dy * direction[1] + dx * direction[2];
  return Math.max(0, dz * dz + dy * dy + dx * dx - along * along);
}

/** Plane `z` of the generated volume. */
function generatedPlane(z: number) {
  const plane = new Uint16Array(ROWS * COLS);
  // Beyond 5 standard deviations a tube adds less than 1e-5 of its peak: skipped.
  const reach = (5 * PROFILE_SD) ** 2;
  for (let row = 0; row < ROWS; row++) {
    for (let col = 0; col < COLS; col++) {
      let value = BACKGROUND;
      for (const tube of TUBES) {
        const d2 = squaredAxisDistance(
          tube,
          z * VOXEL.Z,
          row * VOXEL.Y,
          col * VOXEL.X,
        );
        if (d2 <= reach) {
          value += PEAK * Math.exp(-d2 / (2 * PROFILE_SD * PROFILE_SD));
        }
      }
      plane[row * COLS + col] = Math.min(65535, Math.round(value));
    }
  }
  return plane;
}

/**
 * Opens `path` for reading planes, or exits with the reader's message (a
 * user's file): a missing or out-of-range channel is the command line's
 * `--channel`, a usage error (exit 2) as in the other examples; anything else
 * about the file ends the run with exit 1.
 */
async function openPlanes(path: string, options: { channel?: number } = {}) {
  try {
    return await openTiffPlanes(path, options);
  } catch (error) {
    const message = (error as Error).message;
    if (message.includes("options.channel")) {
      usageError(message.replaceAll("options.channel", "--channel N"));
    }
    console.error(message);
    Deno.exit(1);
  }
}

// The work folder holds the input (when generated) and the eigenvalues; it is removed at the end.
const workDir = `${outDir}/out_of_core_work`;
const makeWorkDir = async () => {
  await Deno.remove(workDir, { recursive: true }).catch(() => {});
  await Deno.mkdir(workDir, { recursive: true });
};
/** `--crop`'s box in a volume of `shape`, or undefined for the whole volume. */
const boxOf = (shape: readonly number[]) =>
  values.crop === undefined ? undefined : cropOption(
    values.crop,
    "ZYX",
    shape,
    { lo: [0, 0, 0], hi: [...shape] },
    usageError,
  );
let inputPath: string;
let dataLabel: string;
let input: TiffPlaneReader;
let box: Crop | undefined;
if (values.input === undefined) {
  box = boxOf([PLANES, ROWS, COLS]);
  await makeWorkDir();
  inputPath = `${workDir}/tubes.ome.tif`;
  const written = await withPeakMemory(async () => {
    const writer = await createTiffPageWriter(inputPath, {
      height: ROWS,
      width: COLS,
      dtype: "uint16",
      ome: true,
      metadata: { physicalSizes: VOXEL, physicalUnit: UNIT },
    });
    for (let z = 0; z < PLANES; z++) await writer.writePage(generatedPlane(z));
    await writer.close();
  });
  input = await openPlanes(inputPath);
  dataLabel = " [generated tubes]";
  console.log(
    `data: generated volume of ${TUBES.length} tubes, written plane by plane as an OME-TIFF`,
  );
  console.log(`measured: written in ${written.seconds.toFixed(1)} s`);
} else {
  inputPath = values.input;
  input = await openPlanes(inputPath, channelOption);
  box = boxOf(input.shape);
  await makeWorkDir();
  dataLabel = ` [${inputPath.split("/").pop()}]`;
  console.log(`data: ${inputPath}`);
}
// With --crop, the box is copied plane by plane (one plane in memory at a time) into a
// TIFF of its own, which the rest of the example analyses.
let analysedChannel = channelOption;
const ome = ["µm", "micron", "um"].includes(input.physicalUnit ?? "µm");
if (box !== undefined) {
  const [rows, cols] = [box.hi[1] - box.lo[1], box.hi[2] - box.lo[2]];
  const dtype = input.dtype === "uint8" ? "uint16" : input.dtype;
  if (dtype !== "uint16" && dtype !== "float32" && dtype !== "float64") {
    console.error(
      `--crop: ${inputPath} holds ${input.dtype}; boxes are copied as uint16, float32 or float64`,
    );
    Deno.exit(1);
  }
  const boxPath = `${workDir}/box.tif`;
  const writer = await createTiffPageWriter(boxPath, {
    height: rows,
    width: cols,
    dtype,
    ome,
    metadata: {
      physicalSizes: input.physicalSizes,
      physicalUnit: input.physicalUnit,
    },
  });
  const page = dtype === "uint16"
    ? new Uint16Array(rows * cols)
    : dtype === "float32"
    ? new Float32Array(rows * cols)
    : new Float64Array(rows * cols);
  for (let z = box.lo[0]; z < box.hi[0]; z++) {
    const plane = (await input.readPlanes(z, 1)).pick(0, null, null);
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        page[y * cols + x] = plane.get(box.lo[1] + y, box.lo[2] + x);
      }
    }
    await writer.writePage(page);
  }
  await writer.close();
  console.log(
    `box: [${formatCrop(box)}] of ${
      input.shape.join(" x ")
    }, copied to a TIFF of its own`,
  );
  input.close();
  inputPath = boxPath;
  input = await openPlanes(boxPath);
  analysedChannel = {};
}
const [depth, height, width] = input.shape;
const { X, Y, Z } = input.physicalSizes;
const hasVoxelSize = X !== undefined && Y !== undefined && Z !== undefined;
const unit = hasVoxelSize ? input.physicalUnit ?? "units" : "voxels";
const voxelBytes = Number(input.dtype.match(/\d+/)![0]) / 8;
const inputBytes = depth * height * width * voxelBytes;
console.log(
  `volume: ${depth} x ${height} x ${width} ${input.dtype}, ${
    megabytes(inputBytes)
  }, voxel size (Z, Y, X) = ${
    hasVoxelSize ? `(${Z}, ${Y}, ${X}) ${unit}` : "not in the file (1 voxel)"
  }`,
);

// %% [markdown]
// ## Blocks and their halos
//
// An output plane of the structure tensor depends on more than its own input plane: the
// Gaussian window of standard deviation `sigma_z` voxels reaches `r = trunc(4·sigma_z +
// 0.5)` planes to each side, and each of those planes' Sobel derivative reads one more
// plane on each side. A block of output planes `z0 … z1 - 1` therefore reads the input
// planes `z0 - r - 1 … z1 + r`: a halo of `r + 1` planes on each side, clipped at the
// volume's ends, where the boundary rule then applies exactly as on the whole volume
// (docs/scaling.md, "Beyond one machine's memory"). With that halo every block sees the
// same input values as the whole-volume passes, so the result is the same to the last
// bit; with one plane less, the planes next to each block boundary would come out
// wrong.
//
// For the generated volume the window is `sigma` = 2 µm in every direction (by
// default, twice the largest voxel side): the tubes' profile, so that a window on a
// tube's axis sees the gradients on both flanks. We use the `"reflect"` boundary
// rule, so that the volume's faces do not look like edges against a zero outside.
//
// `blockPlanes` trades memory for repeated work: each block holds `blockPlanes + 2(r +
// 1)` input planes and `3 · blockPlanes` float64 eigenvalue planes, and reads and
// differentiates its halo planes again, which its neighbours also read. With `r = 8`
// on the generated volume, blocks of 16 planes read 34 planes each (2.1 times their own), blocks of 32
// read 50 (1.6 times). Measured on this volume (two cores shared with other work, so
// CPU time of the whole example, and peak resident memory): blocks of 8 planes 17.0 s
// and 388 MB, of 16 planes 14.8 s and 421 MB, of 32 planes 15.8 s and 498 MB. We take
// 16: the repeated Sobel work is a small part of the time, which goes mostly to the
// eigenvalues and to writing 600 MB of them, and memory stays far below the whole
// volume's eigenvalues.

// %%
const sigma = sigmaValues ??
  new Array(3).fill(hasVoxelSize ? 2 * Math.max(X, Y, Z) : 2);
const window: TensorWindowOptions = {
  sigma,
  mode: "reflect",
  ...(hasVoxelSize ? { spacing: [Z, Y, X] } : {}),
};
const BLOCK_PLANES = 16;
const sigmaZVoxels = hasVoxelSize ? sigma[0] / Z : sigma[0];
// SciPy's kernel radius, plus one plane for the Sobel derivative (docs/scaling.md).
const halo = Math.trunc(4 * sigmaZVoxels + 0.5) + 1;
const blocks = Math.ceil(depth / BLOCK_PLANES);
const blockCount = `${blocks} block${blocks === 1 ? "" : "s"}`;
console.log(
  `sigma: ${
    sigma.every((value) => value === sigma[0])
      ? sigma[0]
      : `(${sigma.join(", ")})`
  } ${unit} (${sigmaZVoxels} planes along Z); halo ${halo} planes on each side`,
);
console.log(
  `blockPlanes: ${BLOCK_PLANES}, ${blockCount}, each reading up to ${
    Math.min(depth, BLOCK_PLANES + 2 * halo)
  } planes`,
);

// %% [markdown]
// ## Block by block
//
// `structureTensorEigenvaluesTiff` reads each block with its halo, computes the block's
// own planes (on every core), appends them to the output TIFF and moves on; the output
// is written to a temporary file and renamed when complete. We measure the wall time and
// the process's resident memory before, at its peak during, and after the run. The
// in-memory path, `structureTensorEigenvaluesOfImage`, would hold the whole volume and
// its whole float64 result (docs/scaling.md, "Memory").

// %%
const eigenPath = `${workDir}/eigenvalues.tif`;
const run = await withPeakMemory(() =>
  structureTensorEigenvaluesTiff(inputPath, eigenPath, {
    ...window,
    ...analysedChannel,
    blockPlanes: BLOCK_PLANES,
    ome,
  })
);
const eigenvalueBytes = 3 * depth * height * width * 8;
console.log(
  `measured: time ${
    run.seconds.toFixed(1)
  } s for ${depth} planes (${blockCount})`,
);
console.log(
  `measured: memory: rss ${megabytes(run.before)} before, ${
    megabytes(run.peak)
  } at peak, ${megabytes(run.after)} after: the peak is ${
    megabytes(run.peak - run.before)
  } above the start`,
);
console.log(
  `for comparison: the input volume is ${
    megabytes(inputBytes)
  }, its eigenvalues ${
    megabytes(eigenvalueBytes)
  }; the in-memory path would hold ${
    megabytes(inputBytes + eigenvalueBytes)
  } (volume + eigenvalues) before its working windows`,
);
console.log(
  `measured: the block-by-block peak rise is ${
    ((run.peak - run.before) / (inputBytes + eigenvalueBytes)).toFixed(2)
  } of that`,
);

// %% [markdown]
// ## Check: a slab against the whole-volume computation
//
// We read back a slab of four eigenvalue planes across the block boundary nearest the
// middle of the volume, and compute the same planes in memory from the slab's
// neighbourhood: its planes plus `r + 1` on each side, the input the whole-volume
// computation uses for them. The two must agree bit for bit. The same slab computed
// from its own four planes only, without the halo, shows what the halo is for.

// %%
/** Planes `from … to - 1` of `source` as a `[to - from, height, width]` ndarray. */
const readPlanes = (source: PlaneSource, from: number, to: number) =>
  source.readPlanes(from, to - from);

const boundary = Math.min(
  BLOCK_PLANES * Math.max(1, Math.round(depth / 2 / BLOCK_PLANES)),
  depth,
);
const slabFrom = Math.max(0, boundary - 2);
const slabTo = Math.min(depth, boundary + 2);
const neighbourhoodFrom = Math.max(0, slabFrom - halo);
const neighbourhoodTo = Math.min(depth, slabTo + halo);
const slabPlanes = slabTo - slabFrom;
const planeSize = height * width;

const ranks = await Promise.all(
  [0, 1, 2].map((channel) => openPlanes(eigenPath, { channel })),
);
const streamed = await Promise.all(
  ranks.map((rank) => readPlanes(rank, slabFrom, slabTo)),
);
/** Largest |streamed - whole| over the slab, whole = eigenvalues of planes `from … to - 1`. */
async function slabDifference(from: number, to: number) {
  const whole = structureTensorEigenvaluesOfImage(
    await readPlanes(input, from, to),
    window,
  );
  const planes = to - from;
  let largest = 0, different = 0;
  for (let rank = 0; rank < 3; rank++) {
    const own = streamed[rank].data;
    const offset = (rank * planes + slabFrom - from) * planeSize;
    for (let i = 0; i < slabPlanes * planeSize; i++) {
      const difference = Math.abs(own[i] - whole.data[offset + i]);
      if (difference !== 0) different++;
      largest = Math.max(largest, difference);
    }
  }
  return { largest, different };
}
let largestEigenvalue = 0;
for (const rank of streamed) {
  for (const value of rank.data) {
    largestEigenvalue = Math.max(largestEigenvalue, value);
  }
}
const withHalo = await slabDifference(neighbourhoodFrom, neighbourhoodTo);
const withoutHalo = await slabDifference(slabFrom, slabTo);
const slabVoxels = 3 * slabPlanes * planeSize;
// A volume of one block has no boundary to straddle: the slab is then its last planes.
console.log(
  `slab: planes ${slabFrom} to ${slabTo - 1} (${
    boundary < depth
      ? `block boundary at plane ${boundary}`
      : "one block: no block boundary in the volume"
  }), ${slabVoxels} eigenvalues, largest ${largestEigenvalue.toPrecision(6)}`,
);
console.log(
  `with the halo (planes ${neighbourhoodFrom} to ${
    neighbourhoodTo - 1
  }): ${withHalo.different} of ${slabVoxels} differ, max |difference| ${withHalo.largest}; bit-identical: ${
    withHalo.different === 0 ? "yes" : "no"
  }`,
);
console.log(
  `without the halo (planes ${slabFrom} to ${
    slabTo - 1
  } only): ${withoutHalo.different} of ${slabVoxels} differ, max |difference| ${
    withoutHalo.largest.toPrecision(3)
  } (${
    (100 * withoutHalo.largest / largestEigenvalue).toFixed(1)
  }% of the largest)`,
);
if (withHalo.different !== 0) {
  throw new Error(
    "the block-by-block eigenvalues differ from the whole-volume computation",
  );
}

// %% [markdown]
// ## What the eigenvalues show
//
// The largest eigenvalue is large wherever the intensity changes steeply: on the tubes'
// flanks, and on their axes, where the window sees both flanks. On a tube's axis the
// gradients point across the tube, never along it, so the two largest eigenvalues are
// about equal and the third is far smaller: the "pancake" of the structure tensor's
// ellipsoid (J. Bigun, G. Granlund, J. Wiklund, "Multidimensional orientation
// estimation with applications to texture analysis and optical flow", IEEE PAMI 13,
// 1991), `shapeClass`'s name for "two eigenvalues within a factor 2, the third an
// order of magnitude smaller". We read the X-Z plane at y = 128 µm of the three
// eigenvalues, plane by plane (one page at a time), and classify it.

// %%
// The generated volume's tubes are known in its own frame: checked only without a box.
const generatedFrame = values.input === undefined && box === undefined;
const row = generatedFrame ? FIGURE_ROW : Math.floor(height / 2);
const section = new Float64Array(3 * depth * width);
for (let z = 0; z < depth; z++) {
  for (let rank = 0; rank < 3; rank++) {
    const plane = await readPlanes(ranks[rank], z, z + 1);
    const at = (rank * depth + z) * width;
    section.set(plane.data.subarray(row * width, (row + 1) * width), at);
  }
}
for (const rank of ranks) rank.close();
const sectionEigenvalues = ndarray(section, [3, depth, width]);
// shapeClass takes [3, planes, rows, cols]: the section is one row deep.
const classes = shapeClass(ndarray(section, [3, depth, 1, width]));
if (generatedFrame) {
  // Axis voxels of the tubes in the section, at least 12 µm from every other tube's axis.
  for (const [index, tube] of TUBES.entries()) {
    const counts = new Map<string, number>();
    let ratioSum = 0, voxels = 0;
    for (let z = 0; z < depth; z++) {
      for (let col = 0; col < width; col++) {
        const [zu, yu, xu] = [z * VOXEL.Z, row * VOXEL.Y, col * VOXEL.X];
        if (squaredAxisDistance(tube, zu, yu, xu) > (VOXEL.Y / 2) ** 2) {
          continue;
        }
        const isolated = TUBES.every((other, j) =>
          j === index || squaredAxisDistance(other, zu, yu, xu) >= 12 ** 2
        );
        if (!isolated) continue;
        const name = classes.names[classes.codes.get(z, 0, col)];
        counts.set(name, (counts.get(name) ?? 0) + 1);
        ratioSum += sectionEigenvalues.get(1, z, col) /
          sectionEigenvalues.get(0, z, col);
        voxels++;
      }
    }
    if (voxels === 0) continue;
    const shares = [...counts].map(([name, count]) =>
      `${name} ${(100 * count / voxels).toFixed(0)}%`
    ).join(", ");
    console.log(
      `tube ${index} (${tube.name}): ${voxels} axis voxel${
        voxels === 1 ? "" : "s"
      } in the section; ${shares}; mean λ2/λ1 ${
        (ratioSum / voxels).toFixed(2)
      }`,
    );
  }
}

// %% [markdown]
// ## The largest eigenvalue in an X-Z plane
//
// Z runs down the figure, X across, both in µm (the file's voxel size). On the generated
// volume, the 96 planes of 1 µm span less height than the 512 columns of 0.5 µm span
// width, and the figure shows its known tubes: the tube along Z is a vertical band, the one along X a horizontal band, the tube along Y a
// spot, and the oblique tube a diagonal; the brightest spots are where two tubes cross
// and the window sees the gradients of both.

// %%
let peakAt = 0;
for (let i = 1; i < depth * width; i++) {
  if (section[i] > section[peakAt]) peakAt = i;
}
console.log(
  `largest eigenvalue in the section: ${
    section[peakAt].toPrecision(6)
  } at plane ${Math.floor(peakAt / width)}, column ${peakAt % width}`,
);
const figureName = "largest_eigenvalue_xz.svg";
const rowAt = `${
  hasVoxelSize ? `y = ${row * Y} ${unit}, row ${row}` : `row ${row}`
}${box === undefined ? "" : ` of box [${formatCrop(box)}]`}`;
await saveFigure(
  figurePath(figureName),
  imshow(sectionEigenvalues.pick(0, null, null), {
    cmap: "magma",
    title: `Largest eigenvalue, X-Z plane at ${rowAt}${dataLabel}`,
    labels: { x: "x", y: "z", color: "largest eigenvalue" },
    // Rows of this section are planes: Z's size along the figure's y.
    ...(hasVoxelSize ? { physicalSizes: { X, Y: Z }, physicalUnit: unit } : {}),
  }),
);
console.log(`figure: ${figureName}`);
input.close();
await Deno.remove(workDir, { recursive: true });
