// The anisotropy tutorial's sentences about the data (examples/_anisotropy_narrative.ts)
// on crafted eigenvalues, eigenvectors and intensities: each claim follows the values.
import assert from "node:assert/strict";
import { eigenField, image as imageOf } from "./_eigen_field.ts";
import {
  anisotropyNarrative,
  brightRegionPhrase,
  depthPhrase,
  longitudinalPhrase,
} from "../examples/_anisotropy_narrative.ts";

const BOX = [4, 6, 6];
const SIGMA = [1, 1.5, 2.5];
const ALONG = { Z: [1, 0, 0], Y: [0, 1, 0], X: [0, 0, 1] };

/** Eigenvalues of a BOX with `values` (largest first) at every voxel, the maximum at `at`. */
function field(values: readonly number[], at: readonly number[]) {
  return eigenField(BOX, values, at);
}

function narrate(
  values: readonly number[],
  at: readonly number[] = [2, 3, 3],
  vectors: readonly (readonly number[])[] = [ALONG.Y, ALONG.X, ALONG.Z],
) {
  return anisotropyNarrative({
    eigenvalues: field(values, at),
    coords: [0, ...at],
    vectors,
    sigma: SIGMA,
  });
}

Deno.test("a pancake: two eigenvalues alike, the third two orders smaller", () => {
  const text = narrate([4, 3, 0.04]);
  assert.equal(text.shapeAtMaximum, "pancake");
  assert.match(
    text.second,
    /second-largest eigenvalues are within a factor of 2 of the largest \(a factor 1\.3\): the same order of magnitude/,
  );
  assert.match(
    text.third,
    /third-largest are about 2 orders of magnitude smaller than the second-largest \(a factor 75\.0\)/,
  );
  assert.match(text.shape, /the maximum is "pancake" .*9 pancake\.$/);
  assert.match(text.conclusion, /is anisotropic in 3-D .*a "pancake"/);
});

Deno.test("a cigar, a sphere and the classes in between read as such", () => {
  const cigar = narrate([5, 0.2, 0.1]);
  assert.equal(cigar.shapeAtMaximum, "cigar");
  assert.match(
    cigar.second,
    /second-largest eigenvalues are about an order of magnitude smaller than the largest \(a factor 25\.0\)/,
  );
  assert.match(cigar.third, /within a factor of 2 of the second-largest/);
  assert.match(cigar.conclusion, /a "cigar": one strong gradient/);

  // Anisotropic once the largest is more than twice the smallest, even short of a class.
  assert.match(
    narrate([1, 0.7, 0.2]).conclusion,
    /is anisotropic in 3-D \(largest \/ third 5\.0: more than the factor 2 within which shapeClass calls eigenvalues about equal\)/,
  );
  const sphere = narrate([1, 0.9, 0.8]);
  assert.equal(sphere.shapeAtMaximum, "sphere");
  assert.match(sphere.conclusion, /is not anisotropic in 3-D/);

  // The tutorial's own maximum on the kidney: 0.0684, 0.0391, 0.00442 (second / third 8.8).
  const kidney = narrate([0.06840962, 0.03913327, 0.00442455]);
  assert.equal(kidney.shapeAtMaximum, "mixed");
  assert.match(
    kidney.third,
    /about an order of magnitude smaller than the second-largest \(a factor 8\.8\)/,
  );
  assert.match(
    kidney.conclusion,
    /second \/ third 8\.8\): short of a "pancake", which needs second \/ third at least 10, and of a "cigar"/,
  );
});

Deno.test("the maximum's sentence says whether it sits on the box's border", () => {
  assert.match(
    narrate([4, 3, 0.04], [0, 3, 3]).maximum,
    /at plane 0, row 3, column 3 of the box: on the box's first plane: .*zero padding/,
  );
  assert.match(
    narrate([4, 3, 0.04], [2, 3, 5]).maximum,
    /on the box's last column:/,
  );
  assert.match(
    narrate([4, 3, 0.04], [1, 3, 3]).maximum,
    /not on the box's border but 1 plane from its first plane \(within the window's sigma, 1 plane\)/,
  );
  const inside = anisotropyNarrative({
    eigenvalues: field([4, 3, 0.04], [2, 3, 3]),
    coords: [0, 2, 3, 3],
    vectors: [ALONG.Y, ALONG.X, ALONG.Z],
    sigma: [0.5, 0.5, 0.5],
  });
  assert.match(
    inside.maximum,
    /inside the box, 1 plane or more from every face/,
  );
});

Deno.test("the gradients' directions come from the eigenvectors", () => {
  const rows = narrate([4, 3, 0.04]);
  assert.match(
    rows.gradient,
    /strongest gradient .* points 0\.0° from the row \(Y\) axis, the second 0\.0° from the column \(X\) axis, the weakest 0\.0° from the Z \(plane\) axis: .* 0\.0° from the X-Y plane/,
  );
  const columns = narrate([4, 3, 0.04], [2, 3, 3], [
    ALONG.X,
    ALONG.Z,
    ALONG.Y,
  ]);
  assert.match(columns.gradient, /points 0\.0° from the column \(X\) axis/);
  assert.match(columns.gradient, /from the X-Z plane\.$/);
  assert.match(columns.conclusion, /within a plane 0° from the X-Z plane/);
  const c = Math.cos(Math.PI / 6), s = Math.sin(Math.PI / 6);
  const tilted = narrate([4, 3, 0.04], [2, 3, 3], [
    [0, s, c],
    [0, c, -s],
    ALONG.Z,
  ]);
  assert.match(tilted.gradient, /points 30\.0° from the column \(X\) axis/);
});

Deno.test("the intensity sentences follow the image: bright region, Z variation, longitudinal slices", () => {
  // A column along Z at row 4, column 5, two pixels wide across columns.
  const [planes, rows, cols] = [6, 10, 12];
  const image = (value: (z: number, y: number, x: number) => number) =>
    imageOf([planes, rows, cols], value);
  const column = image((z, y, x) =>
    y === 4 && (x === 5 || x === 6) ? 1000 - 10 * z + (x === 5 ? 5 : 0) : 100
  );
  assert.equal(
    brightRegionPhrase(column.pick(0, null, null), "bottom plane"),
    "In the bottom plane, the brightest pixel is at row 4, column 5 (1005, against a median of 100); above half-way between the two, it spans 2 pixels across columns and 1 pixel across rows.",
  );
  assert.match(
    depthPhrase(column),
    /along Z it is [\d.]+ times weaker .*: weak\.$/,
  );
  assert.match(
    longitudinalPhrase(column.pick(null, null, 5), "row"),
    /brightest row of this slice is at row 4 in all 6 planes: a structure running along Z/,
  );

  // A slab that moves three rows per plane: it changes along Z as much as in the plane.
  const moving = image((z, y) => y === (z * 3) % rows ? 1000 : 100);
  assert.match(
    depthPhrase(moving),
    /along Z it is not weaker than along (rows|columns) \(the weaker in-plane direction\)/,
  );
  assert.match(
    longitudinalPhrase(moving.pick(null, null, 0), "row"),
    /from row 0 to 9 across the 6 planes: no single structure runs straight along Z/,
  );
});
