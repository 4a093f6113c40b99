// examples/orientation_3d.ts end to end on the synthetic stand-in, with the permissions
// its header declares: the printed shares, the measured tube directions against the
// stand-in's built geometry, and the figures.
import assert from "node:assert/strict";
import { join } from "node:path";
import { kidneyPhantom } from "../mod.ts";
import { readSvgFigure } from "./_svg_figure.ts";
import { axisAngle } from "./_orientation_phantoms.ts";
import { declaredPermissions, runExample } from "./_run_example.ts";
import {
  checkCommandLine,
  inTempDir,
  runDeclared,
  withSyntheticVariable,
  writeOmeStack,
} from "./_example_inputs.ts";

/** Runs the example with its declared permissions and `args` (no `--synthetic`). */
const runWith = (outDir: string, args: readonly string[]) =>
  runDeclared("orientation_3d", outDir, args);

/** Unit vector (z, y, x) of an azimuth and elevation in degrees. */
function unitOf(azimuth: number, elevation: number) {
  const [a, e] = [azimuth, elevation].map((deg) => (deg * Math.PI) / 180);
  return [Math.sin(e), Math.cos(e) * Math.sin(a), Math.cos(e) * Math.cos(a)];
}

/** The percentages of "name X%" pairs in `text`, in order. */
function percentages(text: string) {
  return [...text.matchAll(/(-?\d+\.\d)%/g)].map((match) => Number(match[1]));
}

const sum = (values: number[]) => values.reduce((s, v) => s + v, 0);

// Largest angle between a tube's measured and built mean axis, and between the printed
// "apart" and the angle recomputed from the printed (rounded) azimuths and elevations.
const TUBE_TOLERANCE_DEGREES = 5;
const ROUNDING_DEGREES = 0.2;

Deno.test("examples/orientation_3d.ts --synthetic measures the stand-in's tube directions and writes its figures", async () => {
  const outDir = await Deno.makeTempDir({ prefix: "stria_orientation_" });
  try {
    const { code, stdout, stderr } = await runExample(
      "orientation_3d",
      outDir,
      await declaredPermissions("orientation_3d", outDir),
    );
    assert.equal(code, 0, stderr);
    assert.equal(stderr, "", "nothing on stderr");
    const lines = stdout.trimEnd().split("\n");
    assert.match(
      lines[0],
      /^data: the stand-in \(kidney-phantom \(synthetic\)\), a synthetic volume made by kidneyPhantom, not the real kidney; channel 1/,
    );
    const phantom = kidneyPhantom({ seed: 0 }).metadata;
    const { Z, Y, X } = phantom.physicalSizes;
    assert.ok(
      stdout.includes(`voxel size (Z, Y, X) = (${Z}, ${Y}, ${X}) µm`),
      "the file's voxel size is printed",
    );
    assert.match(stdout, /^sigma: \d+(\.\d+)? µm in Z, Y and X/m);

    // The four classes cover the tissue: shares sum to 100%.
    const shareLines = lines.filter((line) =>
      /^ {2}(tube-like|sheet-like|isotropic|mixed) \(\w+\): \d+\.\d%$/.test(
        line,
      )
    );
    assert.equal(shareLines.length, 4, stdout);
    const shares = shareLines.flatMap(percentages);
    assert.ok(Math.abs(sum(shares) - 100) <= 0.2 + 1e-9, `shares ${shares}`);

    // Near the built tubes: measured shares also sum to 100%, tube-like the largest.
    const near = lines.find((line) =>
      line.startsWith("tissue voxels within one sigma of a built tube axis:")
    );
    assert.ok(near, stdout);
    const nearShares = percentages(near.split("measured there:")[1]);
    assert.equal(nearShares.length, 4, near);
    // Four shares rounded to 0.1: their sum is within 4 x 0.05 of 100.
    assert.ok(Math.abs(sum(nearShares) - 100) <= 0.2 + 1e-9, near);
    assert.equal(nearShares[0], Math.max(...nearShares), near);

    // Side by side, every tube: measured within tolerance of built, and built is the
    // stand-in's direction scaled to physical space.
    const axisLine =
      /^(all tubes|tube (\d+)): measured azimuth (-?[\d.]+)°, elevation (-?[\d.]+)° \/ built azimuth (-?[\d.]+)°, elevation (-?[\d.]+)°; ([\d.]+)° apart$/;
    const comparisons = lines.map((line) => line.match(axisLine)).filter((
      match,
    ) => match !== null);
    const tubes = phantom.phantom!.tubes;
    assert.equal(comparisons.length, 1 + tubes.length, stdout);
    assert.equal(comparisons[0][1], "all tubes");
    for (const match of comparisons) {
      const [m, b] = [
        unitOf(Number(match[3]), Number(match[4])),
        unitOf(Number(match[5]), Number(match[6])),
      ];
      const apart = Number(match[7]);
      assert.ok(
        Math.abs(axisAngle(m, b) - apart) <= ROUNDING_DEGREES,
        match[0],
      );
      assert.ok(apart <= TUBE_TOLERANCE_DEGREES, match[0]);
      if (match[2] !== undefined) {
        const direction = tubes[Number(match[2])].direction;
        const physical = [direction[0] * Z, direction[1] * Y, direction[2] * X];
        const length = Math.hypot(...physical);
        assert.ok(
          axisAngle(b, physical.map((c) => c / length)) <= ROUNDING_DEGREES,
          `${match[0]}: built is tube ${match[2]}'s direction`,
        );
      }
    }

    const figures: [string, string][] = [
      ["orientation_map.svg", "Tube direction in plane Z = 8"],
      ["direction_color.svg", "Tube direction colour, FA-weighted, Z = 8"],
      ["vector_glyphs.svg", "Tube-like directions over the intensity, Z = 8"],
      ["schmidt_net.svg", "Tubule directions, FA-weighted"],
    ];
    for (const [name, title] of figures) {
      const figure = await readSvgFigure(join(outDir, name));
      assert.ok(figure.svg.includes(title), `${name} shows "${title}"`);
      assert.ok(
        figure.svg.includes("[synthetic data]"),
        `${name} says the data is synthetic`,
      );
      assert.ok(figure.images.length > 0, `${name} embeds its raster`);
    }
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});

Deno.test("examples/orientation_3d.ts --input reads an OME-TIFF's channel and voxel size; --crop picks a box", async () => {
  await inTempDir(async (dir) => {
    const file = await writeOmeStack(dir, [10, 40, 36], [20, 18]);
    const { code, stdout, stderr } = await runWith(dir, [
      "--input",
      file,
      "--channel",
      "1",
      "--crop",
      "1:9,4:36,2:34",
    ]);
    assert.equal(code, 0, stderr);
    const lines = stdout.trimEnd().split("\n");
    assert.equal(
      lines[0],
      `data: ${file} (your file), axes ZCYX, channel 1, voxel size (Z, Y, X) = (2, 0.5, 0.4) µm`,
    );
    assert.equal(
      lines[1],
      "channel 1 (column), box [1:9, 4:36, 2:34], shape 8 x 32 x 32, voxel size (Z, Y, X) = (2, 0.5, 0.4) µm",
    );
    assert.equal(
      lines[2],
      "sigma: 4 µm in Z, Y and X (2.00, 8.00, 10.00 voxels)",
    );
    assert.doesNotMatch(
      stdout,
      /built tube axis/,
      "no built geometry to compare",
    );
    const map = await readSvgFigure(join(dir, "orientation_map.svg"));
    assert.ok(map.svg.includes("[stack.ome.tif]"), "titled by file");
  });
});

Deno.test("examples/orientation_3d.ts: STRIA_SYNTHETIC=1 selects the stand-in; --crop keeps its geometry in stack coordinates", async () => {
  await inTempDir(async (dir) => {
    const { code, stdout, stderr } = await withSyntheticVariable(
      "1",
      () => runWith(dir, ["--crop", "2:,256:,256:"]),
    );
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^data: the stand-in \(kidney-phantom/);
    assert.match(
      stdout,
      /box \[2:16, 256:512, 256:512\], shape 14 x 256 x 256/,
    );
    const apart = [...stdout.matchAll(/; ([\d.]+)° apart$/gm)].map((m) =>
      Number(m[1])
    );
    assert.ok(apart.length > 1, stdout);
    assert.ok(
      apart.every((a) => a <= TUBE_TOLERANCE_DEGREES),
      `cropped tubes match their built directions: ${apart}`,
    );
  });
});

Deno.test("examples/orientation_3d.ts --help prints the usage; bad options exit 2 without a stack trace", async () => {
  await inTempDir(async (dir) => {
    await checkCommandLine(
      "orientation_3d",
      (args) => runWith(dir, args),
      dir,
      [
        [["--bogus"], "Unknown option '--bogus'"],
        [["--sigma=-1"], "--sigma: expected a positive number or 3 of them"],
        [
          ["--synthetic", "--crop", "0:4,0:8"],
          "--crop: expected z0:z1,y0:y1,x0:x1",
        ],
        [
          ["--synthetic", "--channel", "x"],
          `--channel: expected an index 0, 1, 2..., got "x"`,
        ],
        [
          ["--input", "missing.tif", "--synthetic"],
          "--synthetic and --input exclude each other",
        ],
      ],
    );
  });
});

Deno.test("examples/orientation_3d.ts: a box without tube-like voxels says so and exits 1, without a stack trace", async () => {
  await inTempDir(async (dir) => {
    const { code, stdout, stderr } = await runWith(dir, [
      "--synthetic",
      "--crop",
      "0:6,0:40,0:40",
    ]);
    assert.equal(code, 1, stderr);
    assert.match(stdout, /mean Westin measures over the tissue/);
    assert.equal(
      stderr,
      'no tube-like ("pancake") voxel among the 9600 analysed [synthetic data]: no tube directions to summarise; try a larger --crop or another --sigma\n',
    );
  });
});
