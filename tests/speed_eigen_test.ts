/**
 * The fast eigenvalue path: `cosThirdArccos` (polynomial start + Newton, in
 * place of `Math.cos(Math.acos(r) / 3)`) and the 3×3 solver it serves, on
 * matrices with known, nearly repeated, tiny and zero eigenvalues.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import {
  cosThirdArccos,
  eigenvalues3,
  jacobiEigenvalues,
} from "../lib/feature/_symmetric_eigenvalues.ts";

Deno.test("cosThirdArccos: exact at known angles, within 2 ulps of cos(acos(r)/3) elsewhere", () => {
  // cos(acos(r)/3) at r = cos(3θ) is cos θ.
  for (
    const theta of [Math.PI / 6, Math.PI / 9, (2 * Math.PI) / 9, 0.3, 0.9, 1.0]
  ) {
    const r = Math.cos(3 * theta);
    if (Math.abs(r) > 1 - 1e-4) continue;
    const expected = Math.cos(Math.acos(r) / 3);
    assert.ok(
      Math.abs(cosThirdArccos(r) - expected) <= 4.5e-16,
      `theta ${theta}`,
    );
  }
  assert.equal(cosThirdArccos(0), Math.sqrt(3) / 2);
  let worst = 0;
  for (let i = 0; i <= 200000; i++) {
    const r = -1 + 1e-4 + ((2 - 2e-4) * i) / 200000;
    const reference = Math.cos(Math.acos(r) / 3);
    worst = Math.max(worst, Math.abs(cosThirdArccos(r) - reference));
  }
  // Near r = -1 the arc-cosine itself is ill-conditioned: allow its error.
  assert.ok(worst < 2.5e-15, `worst ${worst}`);
});

/** Q·diag(λ)·Qᵀ for the rotation Q of the given Euler angles, as the six upper entries. */
function rotated(lambdas: number[], angles: number[]): number[] {
  const [a, b, c] = angles;
  const rz = (
    t: number,
  ) => [[Math.cos(t), -Math.sin(t), 0], [Math.sin(t), Math.cos(t), 0], [
    0,
    0,
    1,
  ]];
  const rx = (
    t: number,
  ) => [[1, 0, 0], [0, Math.cos(t), -Math.sin(t)], [
    0,
    Math.sin(t),
    Math.cos(t),
  ]];
  const mul = (x: number[][], y: number[][]) =>
    x.map((row) =>
      [0, 1, 2].map((j) => row.reduce((s, v, k) => s + v * y[k][j], 0))
    );
  const q = mul(mul(rz(a), rx(b)), rz(c));
  const m = [0, 1, 2].map((i) =>
    [0, 1, 2].map((j) =>
      [0, 1, 2].reduce((s, k) => s + q[i][k] * lambdas[k] * q[j][k], 0)
    )
  );
  return [m[0][0], m[0][1], m[0][2], m[1][1], m[1][2], m[2][2]];
}

Deno.test("eigenvalues3 agrees with cyclic Jacobi to 5e-14 of the largest, for nearly repeated, tiny and zero eigenvalues", () => {
  const angle = fc.double({ min: 0, max: 2 * Math.PI, noNaN: true });
  const gap = fc.constantFrom(0, 1e-15, 1e-12, 1e-9, 1e-6, 1e-4, 1e-2, 0.5);
  fc.assert(
    fc.property(
      fc.double({ min: -10, max: 10, noNaN: true }),
      gap,
      gap,
      fc.constantFrom(1, 1e-8, 1e-150, 1e150),
      fc.tuple(angle, angle, angle),
      (base, gap1, gap2, scale, angles) => {
        const lambdas = [
          base,
          base + gap1 * (1 + Math.abs(base)),
          base - gap2 * (1 + Math.abs(base)),
        ].map((v) => v * scale);
        const entries = rotated(lambdas, angles);
        const out = new Float64Array(3);
        eigenvalues3(entries.map((v) => [v]), 1, out);
        const matrix = new Float64Array([
          entries[0],
          entries[1],
          entries[2],
          entries[1],
          entries[3],
          entries[4],
          entries[2],
          entries[4],
          entries[5],
        ]);
        const reference = new Float64Array(3);
        jacobiEigenvalues(matrix, 3, reference);
        const largest = Math.max(...entries.map(Math.abs), 1e-300);
        for (let k = 0; k < 3; k++) {
          assert.ok(
            // The closed form's error is about 4ε / sqrt(2(1 - |r|)) of p, so
            // up to 2e-14 just above the deflation threshold 1 - |r| = 1e-4
            // (300 000 runs stayed within 5e-14).
            Math.abs(out[k] - reference[k]) <= 5e-14 * largest,
            `eigenvalue ${k}: ${out[k]} vs ${
              reference[k]
            } (largest entry ${largest})`,
          );
        }
        assert.ok(out[0] >= out[1] && out[1] >= out[2]);
      },
    ),
    { numRuns: 3000 },
  );
});
