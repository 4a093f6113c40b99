// examples/orientation_3d.ts end to end on the synthetic stand-in, with the permissions
// its header declares: the printed shares, the measured tube directions against the
// stand-in's built geometry, and the figures.
import assert from "node:assert/strict";
import { join } from "node:path";
import { kidneyPhantom } from "../mod.ts";
import { readSvgFigure } from "./_svg_figure.ts";
import { axisAngle } from "./_orientation_phantoms.ts";
import { declaredPermissions, runExample } from "./_run_example.ts";

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
      /^data: kidney-phantom.*synthetic stand-in, not the real kidney volume$/,
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
    assert.ok(Math.abs(sum(shares) - 100) <= 0.1, `shares ${shares}`);

    // Near the built tubes: measured shares also sum to 100%, tube-like the largest.
    const near = lines.find((line) =>
      line.startsWith("tissue voxels within one sigma of a built tube axis:")
    );
    assert.ok(near, stdout);
    const nearShares = percentages(near.split("measured there:")[1]);
    assert.equal(nearShares.length, 4, near);
    assert.ok(Math.abs(sum(nearShares) - 100) <= 0.1, near);
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
