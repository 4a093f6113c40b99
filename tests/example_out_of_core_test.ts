// examples/out_of_core.ts end to end, with the permissions its header declares: the
// gallery's run on the generated volume (its printed sizes, halo, slab check and shape
// classes recomputed from what it prints), a user's two-channel hyperstack checked
// against the whole-volume eigenvalues computed here, and the command line's errors.
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type NdArray,
  ndarray,
  readTiff,
  structureTensorEigenvaluesOfImage,
  writeTiff,
} from "../mod.ts";
import { readSvgFigure, showsGrid } from "./_svg_figure.ts";
import { declaredPermissions, runExample } from "./_run_example.ts";
import {
  checkCommandLine,
  STACK_FRAME,
  VOXEL,
  writeOmeStack,
} from "./_example_inputs.ts";

/** Runs the example with its declared permissions and `args`. */
const runWith = async (outDir: string, args: readonly string[]) =>
  runExample(
    "out_of_core",
    outDir,
    await declaredPermissions("out_of_core", outDir),
    args,
  );

/** Runs `body` with a fresh temporary folder, removed afterwards. */
async function inTempDir(body: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "stria_out_of_core_" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The groups of `pattern`'s match in `text` (one line), as numbers where they are numeric. */
function line(text: string, pattern: RegExp) {
  const match = text.match(pattern);
  assert.ok(match, `${pattern} in:\n${text}`);
  return match.slice(1).map((group) =>
    group === undefined ? NaN : Number(group)
  );
}

const MB = 1e6;
/** The example's one figure. */
const FIGURE = "largest_eigenvalue_xz.svg";

/**
 * The whole-volume eigenvalues of `volume` (the example's window: `sigma` in µm,
 * `spacing`, reflect mode), recomputed here, give the printed largest eigenvalue of the
 * X-Z section at `row` and its place.
 */
function checkSectionPeak(
  stdout: string,
  volume: NdArray,
  sigma: number,
  spacing: readonly number[],
  row: number,
) {
  const eigen = structureTensorEigenvaluesOfImage(volume, {
    sigma,
    spacing,
    mode: "reflect",
  });
  const [, depth, , width] = eigen.shape;
  let peak = -Infinity, at = [0, 0];
  for (let z = 0; z < depth; z++) {
    for (let x = 0; x < width; x++) {
      if (eigen.get(0, z, row, x) > peak) {
        [peak, at] = [eigen.get(0, z, row, x), [z, x]];
      }
    }
  }
  const printed = `largest eigenvalue in the section: ${
    peak.toPrecision(6)
  } at plane ${at[0]}, column ${at[1]}\n`;
  assert.ok(stdout.includes(printed), `${printed} in:\n${stdout}`);
}
/** The example's block size, as its prose explains it. */
const BLOCK_PLANES = 16;

/**
 * The printed lines every run shares (sizes, halo, blocks, memory, slab check),
 * recomputed from the printed shape, voxel size and sigma; returns what the
 * caller checks further.
 */
function checkSharedLines(stdout: string) {
  const [depth, height, width] = line(
    stdout,
    /^volume: (\d+) x (\d+) x (\d+) uint16, ([\d.]+) MB,/m,
  );
  const [volumeMB] = line(stdout, /^volume: .* uint16, ([\d.]+) MB,/m);
  const voxels = depth * height * width;
  assert.equal(volumeMB, Number((voxels * 2 / MB).toFixed(1)));
  const [sigma, planesZ, halo] = line(
    stdout,
    /^sigma: ([\d.]+) µm \(([\d.]+) planes along Z\); halo (\d+) planes on each side$/m,
  );
  const [voxelZ] = line(
    stdout,
    /voxel size \(Z, Y, X\) = \(([\d.]+), [\d.]+, [\d.]+\) µm$/m,
  );
  assert.equal(planesZ, sigma / voxelZ);
  assert.equal(halo, Math.trunc(4 * planesZ + 0.5) + 1, "r + 1");
  const [blockPlanes, blocks, reads] = line(
    stdout,
    /^blockPlanes: (\d+), (\d+) blocks?, each reading up to (\d+) planes$/m,
  );
  assert.equal(blockPlanes, BLOCK_PLANES);
  assert.equal(blocks, Math.ceil(depth / BLOCK_PLANES));
  assert.equal(reads, Math.min(depth, BLOCK_PLANES + 2 * halo));

  const [before, peak, after, rise] = line(
    stdout,
    /^measured: memory: rss ([\d.]+) MB before, ([\d.]+) MB at peak, ([\d.]+) MB after: the peak is ([\d.]+) MB above the start$/m,
  );
  assert.ok(peak >= before && peak >= after, "the peak is the largest sample");
  assert.ok(Math.abs(peak - before - rise) <= 0.11, "rise = peak - before");
  const [inputMB, eigenMB, inMemoryMB, share] = line(
    stdout,
    /^for comparison: the input volume is ([\d.]+) MB, its eigenvalues ([\d.]+) MB; the in-memory path would hold ([\d.]+) MB \(volume \+ eigenvalues\) before its working windows\nmeasured: the block-by-block peak rise is ([\d.]+) of that$/m,
  );
  assert.equal(inputMB, volumeMB);
  assert.equal(eigenMB, Number((3 * voxels * 8 / MB).toFixed(1)));
  assert.equal(inMemoryMB, Number((voxels * 26 / MB).toFixed(1)));
  // Both megabytes are rounded to 0.1, the share to 0.01.
  const [low, high] = [
    (rise - 0.05) / (inMemoryMB + 0.05) - 0.005,
    (rise + 0.05) / (inMemoryMB - 0.05) + 0.005,
  ];
  assert.ok(share >= low && share <= high, `the printed share ${share}`);

  // The slab straddles the block boundary nearest the middle (a volume of one block
  // has none: the slab is its last planes); its neighbourhood adds the halo.
  const expectedBoundary = Math.min(
    BLOCK_PLANES * Math.max(1, Math.round(depth / 2 / BLOCK_PLANES)),
    depth,
  );
  const [slabFrom, slabLast, count] = line(
    stdout,
    expectedBoundary < depth
      ? new RegExp(
        `^slab: planes (\\d+) to (\\d+) \\(block boundary at plane ${expectedBoundary}\\), (\\d+) eigenvalues, largest [\\d.e-]+$`,
        "m",
      )
      : /^slab: planes (\d+) to (\d+) \(one block: no block boundary in the volume\), (\d+) eigenvalues, largest [\d.e-]+$/m,
  );
  const boundary = expectedBoundary;
  assert.deepEqual([slabFrom, slabLast], [
    Math.max(0, boundary - 2),
    Math.min(depth, boundary + 2) - 1,
  ]);
  const slabVoxels = 3 * (slabLast + 1 - slabFrom) * height * width;
  assert.equal(count, slabVoxels);
  const [haloFrom, haloLast, differing, largest] = line(
    stdout,
    /^with the halo \(planes (\d+) to (\d+)\): (\d+) of \d+ differ, max \|difference\| ([\d.e-]+); bit-identical: yes$/m,
  );
  assert.deepEqual([haloFrom, haloLast], [
    Math.max(0, slabFrom - halo),
    Math.min(depth, slabLast + 1 + halo) - 1,
  ]);
  assert.deepEqual([differing, largest], [0, 0]);
  const [withoutDiffering] = line(
    stdout,
    /^without the halo \(planes \d+ to \d+ only\): (\d+) of \d+ differ, max \|difference\| [\d.e-]+ \([\d.]+% of the largest\)$/m,
  );
  return { depth, height, width, sigma, withoutDiffering, rise, inMemoryMB };
}

Deno.test("examples/out_of_core.ts --synthetic streams the generated volume block by block and checks a slab bit for bit", async () => {
  await inTempDir(async (outDir) => {
    const { code, stdout, stderr } = await runWith(outDir, ["--synthetic"]);
    assert.equal(code, 0, `${stderr}\n${stdout}`);
    assert.equal(stderr, "", "nothing on stderr");
    assert.match(
      stdout,
      /^data: generated volume of 7 tubes, written plane by plane as an OME-TIFF\nmeasured: written in [\d.]+ s$/m,
    );
    assert.match(
      stdout,
      /^volume: 96 x 512 x 512 uint16, 50\.3 MB, voxel size \(Z, Y, X\) = \(1, 0\.5, 0\.5\) µm$/m,
    );
    const { sigma, withoutDiffering, width, rise, inMemoryMB } =
      checkSharedLines(stdout);
    // The point of the chunked path (a memory measurement, not a timing): for this volume,
    // the docs' bound is about 180 MB (blocks, eigenvalues of a block, windows, workers).
    assert.ok(
      rise < inMemoryMB,
      `the peak rise (${rise} MB) stays below the in-memory path's ${inMemoryMB} MB`,
    );
    assert.equal(sigma, 2, "default sigma: twice the largest voxel side");
    assert.ok(
      withoutDiffering > 0,
      "without the halo the slab comes out wrong",
    );

    // The tubes in the figure's section: on their axes, pancake tensors (two about equal).
    const tubes = [...stdout.matchAll(
      /^tube (\d) \(([^)]+)\): (\d+) axis voxels? in the section; ([^;]+); mean λ2\/λ1 ([\d.]+)$/gm,
    )];
    assert.deepEqual(tubes.map((match) => match[2]), [
      "along Z",
      "along X",
      "along Y",
      "oblique in X-Z",
    ]);
    for (const tube of tubes) {
      assert.equal(tube[4], "pancake 100%", tube[0]);
      assert.ok(Number(tube[5]) > 0.5 && Number(tube[5]) <= 1, tube[0]);
    }
    const [, column] = line(
      stdout,
      /^largest eigenvalue in the section: [\d.e-]+ at plane (\d+), column (\d+)$/m,
    );
    assert.ok(column < width);

    // The figure, and nothing else left in the output folder.
    assert.deepEqual(
      [...Deno.readDirSync(outDir)].map((entry) => entry.name),
      [FIGURE],
      "the work folder is removed",
    );
    const figure = await readSvgFigure(join(outDir, FIGURE));
    assert.ok(
      figure.svg.includes(
        "Largest eigenvalue, X-Z plane at y = 128 µm, row 256 [generated tubes]",
      ),
      "the figure's title",
    );
    assert.ok(figure.svg.includes("x (µm)") && figure.svg.includes("z (µm)"));
    assert.ok(
      figure.images.some((image) => showsGrid(image, 96, 512)),
      "the section's raster: 96 planes x 512 columns",
    );
  });
});

Deno.test("examples/out_of_core.ts --input analyses a user's hyperstack channel, as the whole-volume path does", async () => {
  await inTempDir(async (dir) => {
    // Two channels of 40 x 24 x 32: channel 1 holds a tube along Y, brighter with y (so
    // every row differs), and a texture; channel 0 is flat.
    const [depth, height, width] = [40, 24, 32];
    const voxel = { Z: 1.5, Y: 0.75, X: 0.75 };
    const values = new Uint16Array(depth * 2 * height * width);
    for (let z = 0; z < depth; z++) {
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const d2 = ((z - 17) * voxel.Z) ** 2 + ((x - 20) * voxel.X) ** 2;
          values[((z * 2 + 1) * height + y) * width + x] = Math.round(
            50 + (600 + 40 * y) * Math.exp(-d2 / 8) +
              ((7 * z + 3 * y + 5 * x) % 11),
          );
        }
      }
    }
    const file = join(dir, "stack.tif");
    await writeTiff(file, ndarray(values, [depth, 2, height, width]), {
      axes: "ZCYX",
      metadata: { physicalSizes: voxel, physicalUnit: "µm" },
    });
    const outDir = join(dir, "out");
    const { code, stdout, stderr } = await runWith(outDir, [
      "--input",
      file,
      "--channel",
      "1",
    ]);
    assert.equal(code, 0, `${stderr}\n${stdout}`);
    assert.ok(stdout.startsWith(`data: ${file}\n`), stdout);
    assert.match(
      stdout,
      /^volume: 40 x 24 x 32 uint16, 0\.1 MB, voxel size \(Z, Y, X\) = \(1\.5, 0\.75, 0\.75\) µm$/m,
    );
    const { sigma } = checkSharedLines(stdout);
    assert.equal(sigma, 3, "twice the largest voxel side");
    assert.doesNotMatch(stdout, /^tube /m, "no built tubes to compare");

    // The section (middle row) recomputed in memory from the whole channel.
    const { data } = await readTiff(file);
    checkSectionPeak(
      stdout,
      data.pick(null, 1, null, null),
      sigma,
      [voxel.Z, voxel.Y, voxel.X],
      height / 2,
    );
    const figure = await readSvgFigure(join(outDir, FIGURE));
    assert.ok(
      figure.svg.includes("X-Z plane at y = 9 µm, row 12 [stack.tif]"),
      "titled by file and row",
    );
  });
});

Deno.test("examples/out_of_core.ts --input --crop analyses a box of an OME-TIFF's channel, as the whole-volume path does", async () => {
  await inTempDir(async (dir) => {
    // A bright column along Z at row 12, column 20 of channel 1.
    const file = await writeOmeStack(dir, [30, 24, 32], [12, 20]);
    const outDir = join(dir, "out");
    const { code, stdout, stderr } = await runWith(outDir, [
      "--input",
      file,
      "--channel",
      "1",
      "--crop",
      "2:28,4:20,10:",
    ]);
    assert.equal(code, 0, `${stderr}\n${stdout}`);
    assert.match(
      stdout,
      /^box: \[2:28,4:20,10:32\] of 30 x 24 x 32, copied to a TIFF of its own$/m,
    );
    assert.match(
      stdout,
      /^volume: 26 x 16 x 22 uint16, 0\.0 MB, voxel size \(Z, Y, X\) = \(2, 0\.5, 0\.4\) µm$/m,
    );
    const { sigma } = checkSharedLines(stdout);
    assert.equal(sigma, 2 * VOXEL.Z, "twice the largest voxel side");

    // The section through the box's middle row (row 12 of the file) recomputed in memory.
    const { data } = await readTiff(file);
    checkSectionPeak(
      stdout,
      data.pick(null, 1, null, null).lo(2, 4, 10).hi(26, 16, 22),
      sigma,
      [VOXEL.Z, VOXEL.Y, VOXEL.X],
      8,
    );
    const figure = await readSvgFigure(join(outDir, FIGURE));
    assert.ok(
      figure.svg.includes(
        "X-Z plane at y = 4 µm, row 8 of box [2:28,4:20,10:32]",
      ),
      "the figure says its frame",
    );
  });
});

Deno.test("examples/out_of_core.ts --help prints the usage; bad options exit 2 without a stack trace", async () => {
  await inTempDir(async (dir) => {
    await checkCommandLine("out_of_core", (args) => runWith(dir, args), dir, [
      [["--bogus"], "Unknown option '--bogus'"],
      [["--sigma", "0"], "--sigma: expected a positive number or 3 of them"],
      [["--sigma", "1,2"], `got "1,2"`],
      [["--channel", "1"], "--channel picks from an --input file"],
      [
        ["--input", "x.tif", "--channel", "one"],
        "--channel: expected an index",
      ],
      [["--synthetic", "--input", "x.tif"], "exclude each other"],
      [["--crop", "0:97,:,:"], "--crop: Z 0:97 is not a non-empty range"],
    ]);
    assert.deepEqual([...Deno.readDirSync(dir)], [], "no work folder left");
    const missing = await runWith(dir, ["--input", join(dir, "none.tif")]);
    assert.equal(missing.code, 1);
    assert.ok(missing.stderr.includes("none.tif"), missing.stderr);
    assert.doesNotMatch(missing.stderr, STACK_FRAME);
  });
});
