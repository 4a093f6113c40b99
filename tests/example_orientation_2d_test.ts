// examples/orientation_2d.ts end to end, with the permissions its header declares: the
// generated fibre families' measured directions against the built ones, the figures,
// a user's TIFF of known stripe angle and pixel size, and the command line's errors.
import assert from "node:assert/strict";
import { join } from "node:path";
import { ndarray, writeTiff } from "../mod.ts";
import { readSvgFigure } from "./_svg_figure.ts";
import { declaredPermissions, runExample } from "./_run_example.ts";
import {
  checkCommandLine,
  inTempDir,
  runDeclared,
  STACK_FRAME,
  withSyntheticVariable,
} from "./_example_inputs.ts";

/** Runs the example with its declared permissions and `args` (no `--synthetic`). */
const runWith = (outDir: string, args: readonly string[]) =>
  runDeclared("orientation_2d", outDir, args);

/** `a - b` for two axes in degrees, folded into [-90, 90). */
const apart = (a: number, b: number) =>
  ((((a - b + 90) % 180) + 180) % 180) - 90;

const ANGLE_TOLERANCE_DEGREES = 2;
/** The rounding of printed angles (one decimal each). */
const ROUNDING_DEGREES = 0.11;

Deno.test("examples/orientation_2d.ts measures the generated fibre families' directions and writes its figures", async () => {
  await inTempDir(async (outDir) => {
    const { code, stdout, stderr } = await runExample(
      "orientation_2d",
      outDir,
      await declaredPermissions("orientation_2d", outDir),
    );
    assert.equal(code, 0, stderr);
    assert.equal(stderr, "", "nothing on stderr");
    assert.match(stdout, /^data: generated fibre image \(seed 0\), 256 x 256/);
    assert.match(stdout, /^sigma: 2 pixels$/m);

    const family =
      /^family (\d) \(([^)]+)\): measured (-?[\d.]+)° \/ built (-?[\d.]+)°, ([\d.]+)° apart; mean coherence ([\d.]+)$/gm;
    const families = [...stdout.matchAll(family)];
    assert.equal(families.length, 4, stdout);
    // The built geometry the prose documents: three straight families, one curve near -10°.
    const builtStraight = [30, -45, 90];
    const coherences: number[] = [];
    for (const match of families) {
      const [index, measured, built, printedApart, meanCoherence] = [
        match[1],
        match[3],
        match[4],
        match[5],
        match[6],
      ].map(Number);
      if (index < 3) {
        assert.equal(built, builtStraight[index], match[0]);
        assert.equal(match[2], `straight ${builtStraight[index]}°`);
      } else {
        assert.equal(match[2], "curved");
        assert.ok(built > -24 && built < 1, match[0]);
      }
      const difference = Math.abs(apart(measured, built));
      assert.ok(difference <= ANGLE_TOLERANCE_DEGREES, match[0]);
      assert.ok(
        Math.abs(difference - printedApart) <= ROUNDING_DEGREES,
        match[0],
      );
      assert.ok(meanCoherence > 0.6 && meanCoherence < 0.98, match[0]);
      coherences.push(meanCoherence);
    }
    // Four families in four directions: the mean tensor is far less coherent than each.
    const overall = stdout.match(
      /^image-wide dominant direction: (-?[\d.]+)°, coherency ([\d.]+); mean coherence ([\d.]+)$/m,
    );
    assert.ok(overall, stdout);
    assert.ok(Number(overall[2]) < 0.5 * Math.min(...coherences), overall[0]);
    const meanCoherence = Number(overall[3]);
    assert.ok(
      meanCoherence > 0.5 && meanCoherence < Math.max(...coherences),
      overall[0],
    );

    const figures: [string, string][] = [
      ["orientation_map.svg", "Fibre direction (hue), coherence (saturation)"],
      ["orientation_rose.svg", "Fibre directions, coherence-weighted"],
      ["vector_glyphs.svg", "Fibre directions over the intensity"],
    ];
    assert.match(
      stdout,
      /^figures: orientation_map.svg, orientation_rose.svg, vector_glyphs.svg$/m,
    );
    for (const [name, title] of figures) {
      const figure = await readSvgFigure(join(outDir, name));
      assert.ok(figure.svg.includes(title), `${name} shows "${title}"`);
      assert.ok(
        figure.svg.includes("[generated fibres]"),
        `${name} says the data is generated`,
      );
      if (name !== "orientation_rose.svg") {
        assert.ok(figure.images.length > 0, `${name} embeds its raster`);
      }
    }
  });
});

// Stripes at 25° in the sample, on pixels twice as tall as wide: 13.1° on the pixel
// grid, so only a measurement in physical units finds 25°.
const STRIPE_DEGREES = 25;
const PIXEL = { Y: 0.5, X: 0.25 };

/** A sinusoidal stripe pattern `rows` x `cols` (uint16) running at STRIPE_DEGREES in physical space. */
function stripes(rows: number, cols: number) {
  const a = (STRIPE_DEGREES * Math.PI) / 180;
  const period = 6; // µm, 13 pixels or more across the stripes: little Sobel bias
  const values = new Uint16Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      // Across the stripes: the normal (y, x) = (cos a, sin a) of the direction (-sin a, cos a).
      const u = r * PIXEL.Y * Math.cos(a) + c * PIXEL.X * Math.sin(a);
      values[r * cols + c] = Math.round(
        1000 + 800 * Math.cos((2 * Math.PI * u) / period),
      );
    }
  }
  return values;
}

Deno.test("examples/orientation_2d.ts --input reads a TIFF's plane and pixel size and finds its stripes' angle", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "stripes.tif");
    await writeTiff(file, ndarray(stripes(96, 160), [96, 160]), {
      axes: "YX",
      metadata: { physicalSizes: PIXEL, physicalUnit: "µm" },
    });
    const { code, stdout, stderr } = await runWith(dir, ["--input", file]);
    assert.equal(code, 0, stderr);
    assert.equal(stderr, "");
    assert.ok(
      stdout.includes(
        `data: ${file} (your file), axes YX, plane 96 x 160 pixels, pixel size (Y, X) = (0.5, 0.25) µm`,
      ),
      stdout,
    );
    // Default sigma: two of the larger pixel side.
    assert.match(stdout, /^sigma: 1 µm \(2\.00, 4\.00 pixels along Y, X\)$/m);
    assert.doesNotMatch(stdout, /^family /m, "no built families to compare");
    const overall = stdout.match(
      /^image-wide dominant direction: (-?[\d.]+)°, coherency ([\d.]+);/m,
    );
    assert.ok(overall, stdout);
    assert.ok(
      Math.abs(apart(Number(overall[1]), STRIPE_DEGREES)) <=
        ANGLE_TOLERANCE_DEGREES,
      overall[0],
    );
    assert.ok(Number(overall[2]) > 0.9, `one straight family: ${overall[0]}`);
    const map = await readSvgFigure(join(dir, "orientation_map.svg"));
    assert.ok(map.svg.includes("sigma 1 µm [stripes.tif]"), "titled by file");

    // --sigma is in the file's unit.
    const wider = await runWith(dir, ["--input", file, "--sigma", "1.5"]);
    assert.equal(wider.code, 0, wider.stderr);
    assert.match(wider.stdout, /^sigma: 1.5 µm \(3\.00, 6\.00 pixels/m);
  });
});

Deno.test("examples/orientation_2d.ts refuses a 3-D TIFF without --plane, and measures the plane it picks", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "stack.tif");
    const plane = stripes(48, 64);
    const stack = new Uint16Array(3 * plane.length);
    stack.set(plane, plane.length); // plane 1 has the stripes, 0 and 2 are blank
    await writeTiff(file, ndarray(stack, [3, 48, 64]), {
      axes: "ZYX",
      metadata: { physicalSizes: { ...PIXEL, Z: 1 }, physicalUnit: "µm" },
    });
    const refused = await runWith(dir, ["--input", file]);
    assert.equal(refused.code, 2, refused.stdout);
    assert.ok(
      refused.stderr.includes(
        `${file}: axes ZYX, shape [3, 48, 64]: this example needs one grey 2-D plane (axes YX): pick one with --plane N (0 to 2)`,
      ),
      refused.stderr,
    );
    assert.doesNotMatch(refused.stderr, STACK_FRAME);
    assert.equal(refused.stdout, "");

    const picked = await runWith(dir, ["--input", file, "--plane", "1"]);
    assert.equal(picked.code, 0, picked.stderr);
    assert.match(picked.stdout, /axes ZYX, plane 48 x 64 pixels/);
    const overall = picked.stdout.match(/dominant direction: (-?[\d.]+)°/);
    assert.ok(overall, picked.stdout);
    assert.ok(
      Math.abs(apart(Number(overall[1]), STRIPE_DEGREES)) <=
        ANGLE_TOLERANCE_DEGREES,
      overall[0],
    );

    const beyond = await runWith(dir, ["--input", file, "--plane", "3"]);
    assert.equal(beyond.code, 2);
    assert.ok(beyond.stderr.includes("--plane 3: "), beyond.stderr);
  });
});

Deno.test("examples/orientation_2d.ts --input reads an OME-TIFF's channel and pixel size; --crop picks a region", async () => {
  await inTempDir(async (dir) => {
    // Channel 1 has the stripes, channel 0 is blank.
    const plane = stripes(64, 96);
    const values = new Uint16Array(2 * plane.length);
    values.set(plane, plane.length);
    const file = join(dir, "stripes.ome.tif");
    await writeTiff(file, ndarray(values, [2, 64, 96]), {
      axes: "CYX",
      ome: true,
      metadata: { physicalSizes: PIXEL, channelNames: ["blank", "stripes"] },
    });
    const refused = await runWith(dir, ["--input", file]);
    assert.equal(refused.code, 2, refused.stdout);
    assert.ok(
      refused.stderr.includes("pick one with --channel N (0 to 1)"),
      refused.stderr,
    );
    const { code, stdout, stderr } = await runWith(dir, [
      "--input",
      file,
      "--channel",
      "1",
      "--crop",
      "8:56,16:80",
      "--sigma",
      "1,1.5",
    ]);
    assert.equal(code, 0, stderr);
    assert.ok(
      stdout.includes(
        `data: ${file} (your file), axes CYX, plane 64 x 96 pixels, pixel size (Y, X) = (0.5, 0.25) µm`,
      ),
      stdout,
    );
    assert.match(stdout, /^crop: \[8:56, 16:80\], 48 x 64 pixels$/m);
    assert.match(
      stdout,
      /^sigma: \(1, 1\.5\) µm \(2\.00, 6\.00 pixels along Y, X\)$/m,
    );
    const overall = stdout.match(/dominant direction: (-?[\d.]+)°/);
    assert.ok(overall, stdout);
    assert.ok(
      Math.abs(apart(Number(overall[1]), STRIPE_DEGREES)) <=
        ANGLE_TOLERANCE_DEGREES,
      overall[0],
    );
  });
});

Deno.test("examples/orientation_2d.ts: --crop on the generated image compares the families it keeps; STRIA_SYNTHETIC is accepted", async () => {
  await inTempDir(async (dir) => {
    const { code, stdout, stderr } = await withSyntheticVariable(
      "1",
      () => runWith(dir, ["--crop", "128:,:"]),
    );
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^crop: \[128:256, 0:256\], 128 x 256 pixels$/m);
    const families = [...stdout.matchAll(/^family (\d) .*, ([\d.]+)° apart/gm)];
    assert.deepEqual(families.map((m) => m[1]), ["2", "3"], stdout);
    for (const m of families) {
      assert.ok(Number(m[2]) <= ANGLE_TOLERANCE_DEGREES, m[0]);
    }
  });
});

Deno.test("examples/orientation_2d.ts --help prints the usage; a bad option exits 2 without a stack trace", async () => {
  await inTempDir(async (dir) => {
    await checkCommandLine(
      "orientation_2d",
      (args) => runWith(dir, args),
      dir,
      [
        [["--bogus"], "Unknown option '--bogus'"],
        [
          ["--sigma", "0"],
          `--sigma: expected a positive number or 2 of them separated by commas, got "0"`,
        ],
        [["--sigma=-1"], `got "-1"`],
        [["--plane", "1"], "--plane and --channel pick from an --input file"],
        [
          ["--crop", "0:300,:"],
          "--crop: Y 0:300 is not a non-empty range inside the image's 0:256 rows",
        ],
        [["--crop", "1:2,3:4,5:6"], "--crop: expected y0:y1,x0:x1"],
      ],
    );
  });
});

Deno.test("examples/orientation_2d.ts on a flat image names no dominant direction", async () => {
  await inTempDir(async (dir) => {
    const file = join(dir, "flat.tif");
    await writeTiff(
      file,
      ndarray(new Uint16Array(48 * 64).fill(500), [48, 64]),
      {
        axes: "YX",
      },
    );
    const { code, stdout, stderr } = await runWith(dir, ["--input", file]);
    assert.equal(code, 0, stderr);
    assert.match(
      stdout,
      /^image-wide dominant direction: none \(coherency 0\), coherency 0\.000; mean coherence 0\.000$/m,
    );
  });
});
