// The anisotropy tutorial's sentences (examples/_anisotropy_narrative.ts) on the edge
// cases a user's file or crop reaches: zero and negative eigenvalues, a flat box, a box
// of one plane, a maximum in the box's corner, ties. No sentence may state a number the
// values do not give (NaN, Infinity) or a finding they do not show.
import assert from "node:assert/strict";
import { eigenField, image } from "./_eigen_field.ts";
import {
  anisotropyNarrative,
  borderPhrase,
  brightRegionPhrase,
  comparisonPhrase,
  depthPhrase,
  longitudinalPhrase,
} from "../examples/_anisotropy_narrative.ts";

function narrate(
  values: readonly number[],
  shape: readonly number[] = [4, 6, 6],
  at: readonly number[] = [2, 3, 3],
) {
  return anisotropyNarrative({
    eigenvalues: eigenField(shape, values, at),
    coords: [0, ...at],
    vectors: [[0, 1, 0], [0, 0, 1], [1, 0, 0]],
    sigma: [1, 1.5, 2.5],
  });
}

/** Every sentence of a narrative, checked free of numbers that are not numbers. */
function sentences(text: Record<string, string>): string[] {
  const all = Object.entries(text).filter(([key]) => key !== "shapeAtMaximum")
    .map(([, sentence]) => sentence);
  for (const sentence of all) {
    assert.doesNotMatch(sentence, /NaN|Infinity|factors? -/, sentence);
  }
  return all;
}

Deno.test("a zero or negative smaller eigenvalue has no factor: the voxels are counted apart", () => {
  const some = comparisonPhrase("third", "second", [Infinity, NaN, 1.2, -3]);
  assert.match(
    some,
    /within a factor of 2 of the second \(a factor 1\.2\): the same order of magnitude, at the 1 voxel where they are positive; at the other 3 they are zero/,
  );
  assert.doesNotMatch(some, /NaN|Infinity|-3/);
  assert.equal(
    comparisonPhrase("third", "second", [Infinity, NaN]),
    "the third are zero (or below it, by rounding) at all 2 voxels: no factor to the second",
  );

  // [4, 3, 0]: shapeClass counts the zero as a hundredth of the largest, and says so.
  const zeroThird = narrate([4, 3, 0]);
  sentences({ ...zeroThird });
  assert.equal(zeroThird.shapeAtMaximum, "pancake");
  assert.match(
    zeroThird.third,
    /zero \(or below it, by rounding\) at all 9 voxels/,
  );
  assert.match(
    zeroThird.shape,
    /second \/ third 75\.0; shapeClass counts an eigenvalue below a hundredth of the largest as that hundredth\)/,
  );
  assert.match(
    zeroThird.conclusion,
    /anisotropic in 3-D \(the third is zero, or below it by rounding: more than/,
  );
  // Negative by rounding reads as zero, never as a negative factor.
  sentences({ ...narrate([4, 3, -1e-18]) });
});

Deno.test("a flat box has no gradient and the narrative claims nothing about its shape", () => {
  const flat = narrate([0, 0, 0], [4, 6, 6], [0, 0, 0]);
  sentences({ ...flat });
  assert.equal(flat.shapeAtMaximum, "background");
  assert.match(flat.shape, /"background": its eigenvalues sum to zero/);
  assert.match(flat.conclusion, /has no gradient/);
  assert.doesNotMatch(flat.conclusion, /anisotropic in 3-D/);
});

Deno.test("a box of one plane, with the maximum in its corner", () => {
  const text = narrate([4, 3, 0.04], [1, 5, 5], [0, 0, 0]);
  sentences({ ...text });
  assert.match(
    text.maximum,
    /on the box's only plane and first row and first column/,
  );
  assert.match(text.second, /^Over the 1 voxel of the window/);
  assert.equal(
    borderPhrase([0, 2, 2], [1, 5, 5], [1, 1, 1]).startsWith(
      "on the box's only plane:",
    ),
    true,
  );

  const slab = image([1, 6, 8], (_, y, x) => (y === 2 && x === 3 ? 900 : 100));
  const depth = depthPhrase(slab);
  assert.doesNotMatch(depth, /NaN|Infinity|not weaker/);
  assert.match(
    depth,
    /box has a single plane: nothing shows how the intensity varies along Z/,
  );
  const slice = longitudinalPhrase(slab.pick(null, null, 3), "row");
  assert.doesNotMatch(slice, /: a structure running along Z/);
  assert.match(slice, /one plane cannot show a structure running along Z/);
});

Deno.test("no change along Z is said as such, never as infinitely weaker", () => {
  // The same plane repeated: a bright cross, changing along rows and columns only.
  const still = image([4, 6, 8], (_, y, x) => (x === 3 || y === 2 ? 900 : 100));
  const text = depthPhrase(still);
  assert.doesNotMatch(text, /NaN|Infinity/);
  assert.match(
    text,
    /along Z it does not change at all, against [\d.]+ along (rows|columns) \(the weaker in-plane direction\): weak\.$/,
  );
  // Steady along Z and along rows, changing along columns: as weak as the weaker in-plane direction.
  assert.match(
    depthPhrase(image([4, 6, 8], (_, __, x) => (x === 3 ? 900 : 100))),
    /along Z it is not weaker than along rows \(the weaker in-plane direction\)\.$/,
  );
});

Deno.test("uniform and tied planes have no brightest pixel to report", () => {
  const uniform = image([4, 6, 8], () => 7);
  const slice = longitudinalPhrase(uniform.pick(null, null, 0), "row");
  assert.doesNotMatch(slice, /a structure running along Z/);
  assert.match(slice, /is not one row in 4 planes of 4/);
  // A slice 3 rows wide: every tie is within 2 rows, and still no row is the brightest.
  const narrow = longitudinalPhrase(
    image([4, 3, 3], () => 7).pick(null, null, 0),
    "row",
  );
  assert.doesNotMatch(narrow, /: a structure running along Z/);
  assert.match(narrow, /is not one row in 4 planes of 4/);
  // Two equal spots 4 columns apart in every plane: no single brightest column.
  const twins = image(
    [3, 6, 8],
    (_, y, x) => (y === 2 && (x === 1 || x === 5) ? 900 : 100),
  );
  assert.doesNotMatch(
    longitudinalPhrase(twins.pick(null, 2, null), "column"),
    /a structure running along Z/,
  );
  assert.match(
    brightRegionPhrase(uniform.pick(0, null, null), "bottom plane"),
    /every pixel has the value 7: there is no bright region/,
  );
  // Every voxel of a uniform box is at its maximum: "at or above half-way", not "brighter".
  assert.match(
    depthPhrase(uniform),
    /^From the 192 voxels at or above half-way .*: it does not vary at all/,
  );
});

Deno.test("a mixed maximum names the condition of each class it misses", () => {
  // Largest 5 times the second, second 20 times the third: not a pancake by the first ratio only.
  const text = narrate([5, 1, 0.05]);
  assert.equal(text.shapeAtMaximum, "mixed");
  assert.match(
    text.conclusion,
    /short of a "pancake", which needs largest \/ second at most 2, and of a "cigar"/,
  );
  assert.doesNotMatch(
    text.conclusion,
    /which needs largest \/ second at most 2 and second/,
  );
});
