import assert from "node:assert/strict";
import fc from "fast-check";
import { type NdArray, ndarray } from "../lib/array/mod.ts";
import {
  structureTensor,
  structureTensorEigenvalues,
} from "../lib/feature/mod.ts";
import type { BoundaryMode } from "../lib/filters/mod.ts";
import { valuesOf } from "./_reference_fixtures.ts";

const MODES: BoundaryMode[] = [
  "reflect",
  "mirror",
  "nearest",
  "wrap",
  "constant",
];
const mode = fc.constantFrom(...MODES);
const sigma = fc.double({ min: 0, max: 2, noNaN: true });

/** A random float64 volume of 2 or 3 axes, each of length 2 to 6. */
const volume = fc.array(fc.integer({ min: 2, max: 6 }), {
  minLength: 2,
  maxLength: 3,
}).chain((shape) =>
  // Multiples of 1/1000: no values so tiny that their squares underflow.
  fc.array(fc.integer({ min: 0, max: 1000 }).map((v) => v / 1000), {
    minLength: shape.reduce((a, b) => a * b, 1),
    maxLength: shape.reduce((a, b) => a * b, 1),
  }).map((values) => ndarray(Float64Array.from(values), shape))
);

function close(
  actual: number[],
  expected: number[],
  tolerance: number,
  label = "",
): void {
  const scale = Math.max(1e-300, ...expected.map(Math.abs));
  actual.forEach((v, i) => {
    if (!(Math.abs(v - expected[i]) <= tolerance * scale)) {
      assert.fail(
        `${label} index ${i}: ${v} vs ${
          expected[i]
        } (tolerance ${tolerance} × ${scale})`,
      );
    }
  });
}

/** (i, j) of each upper-triangular entry, row-major. */
function pairs(ndim: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < ndim; i++) {
    for (let j = i; j < ndim; j++) out.push([i, j]);
  }
  return out;
}

Deno.test("a constant image has a zero tensor, except near the borders in constant mode", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 2, maxLength: 3 }),
      fc.double({ min: -2, max: 2, noNaN: true }),
      mode,
      sigma,
      (shape, c, m, s) => {
        const size = shape.reduce((a, b) => a * b, 1);
        const image = ndarray(new Float64Array(size).fill(c), shape);
        const elements = structureTensor(image, { sigma: s, mode: m, cval: 0 });
        if (m !== "constant") {
          for (const element of elements) {
            assert.ok(
              valuesOf(element).every((v) => v === 0),
              `mode ${m}`,
            );
          }
          return;
        }
        // Only voxels within 1 (Sobel) + radius (Gaussian) of an edge see the cval.
        const reach = 1 + Math.trunc(4 * s + 0.5);
        const lo = shape.map(() => reach);
        const hi = shape.map((n) => n - 2 * reach);
        if (hi.every((n) => n > 0)) {
          for (const element of elements) {
            assert.ok(
              valuesOf(element.lo(...lo).hi(...hi)).every((v) => v === 0),
            );
          }
        }
      },
    ),
    { numRuns: 40 },
  );
});

Deno.test("scaling the image by c scales the tensor by c²", () => {
  fc.assert(
    fc.property(
      volume,
      fc.double({ min: -4, max: 4, noNaN: true }),
      mode,
      sigma,
      (x, c, m, s) => {
        const scaled = ndarray(x.data.map((v) => c * v), x.shape);
        const base = structureTensor(x, { sigma: s, mode: m });
        structureTensor(scaled, { sigma: s, mode: m }).forEach((element, e) => {
          close(
            valuesOf(element),
            valuesOf(base[e]).map((v) => c * c * v),
            1e-12,
          );
        });
      },
    ),
    { numRuns: 40 },
  );
});

Deno.test("flipping an axis flips the sign of that axis's off-diagonal entries", () => {
  fc.assert(
    fc.property(volume, fc.nat(2), mode, sigma, (x, a, m, s) => {
      const axis = a % x.shape.length;
      const flipped = x.step(...x.shape.map((_, d) => (d === axis ? -1 : 1)));
      // cval 0: SciPy pads each Sobel pass with cval, so a non-zero cval breaks the antisymmetry.
      const base = structureTensor(x, { sigma: s, mode: m, cval: 0 });
      const result = structureTensor(flipped, { sigma: s, mode: m, cval: 0 });
      pairs(x.shape.length).forEach(([i, j], e) => {
        const sign = (i === axis) !== (j === axis) ? -1 : 1;
        const expected = base[e].step(
          ...x.shape.map((_, d) => (d === axis ? -1 : 1)),
        );
        close(
          valuesOf(result[e]),
          valuesOf(expected).map((v) => sign * v),
          1e-12,
          `entry (${i}, ${j})`,
        );
      });
    }),
    { numRuns: 40 },
  );
});

Deno.test("transposing the volume permutes the tensor entries", () => {
  fc.assert(
    fc.property(
      volume,
      mode,
      fc.array(sigma, { minLength: 3, maxLength: 3 }),
      (x, m, s) => {
        const ndim = x.shape.length;
        const sigmas = s.slice(0, ndim);
        const permutation = Array.from(
          { length: ndim },
          (_, d) => ndim - 1 - d,
        );
        const base = structureTensor(x, { sigma: sigmas, mode: m });
        const result = structureTensor(x.transpose(...permutation), {
          sigma: permutation.map((p) => sigmas[p]),
          mode: m,
        });
        const entryOf = new Map(
          pairs(ndim).map(([i, j], e) => [`${i},${j}`, e]),
        );
        pairs(ndim).forEach(([i, j], e) => {
          const [pi, pj] = [permutation[i], permutation[j]].sort();
          const expected = base[entryOf.get(`${pi},${pj}`)!].transpose(
            ...permutation,
          );
          close(
            valuesOf(result[e]),
            valuesOf(expected),
            1e-12,
            `entry (${i}, ${j})`,
          );
        });
      },
    ),
    { numRuns: 40 },
  );
});

/** The full symmetric matrix at flat voxel `v` from the entries. */
function matrixAt(elements: NdArray[], ndim: number, v: number): number[][] {
  const m = Array.from({ length: ndim }, () => new Array<number>(ndim).fill(0));
  pairs(ndim).forEach(([i, j], e) => {
    const value = valuesOf(elements[e])[v];
    m[i][j] = value;
    m[j][i] = value;
  });
  return m;
}

function determinant(m: number[][]): number {
  if (m.length === 2) return m[0][0] * m[1][1] - m[0][1] * m[1][0];
  return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
    m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
    m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
}

Deno.test("tensor eigenvalues are sorted, sum to the trace, multiply to the determinant, and are >= 0", () => {
  fc.assert(
    fc.property(volume, mode, sigma, (x, m, s) => {
      const ndim = x.shape.length;
      const elements = structureTensor(x, { sigma: s, mode: m });
      const eigen = structureTensorEigenvalues(elements);
      assert.deepEqual(eigen.shape, [ndim, ...x.shape]);
      const size = eigen.data.length / ndim;
      for (let v = 0; v < size; v++) {
        const lambda = Array.from(
          { length: ndim },
          (_, k) => eigen.data[k * size + v],
        );
        const matrix = matrixAt(elements, ndim, v);
        const scale = Math.max(1e-300, ...matrix.flat().map(Math.abs));
        for (let k = 1; k < ndim; k++) {
          assert.ok(lambda[k - 1] >= lambda[k], `sorted at ${v}`);
        }
        assert.ok(
          lambda[ndim - 1] >= -1e-13 * scale,
          `positive semidefinite at ${v}: ${lambda}`,
        );
        const trace = matrix.reduce((t, row, i) => t + row[i], 0);
        close(
          [lambda.reduce((a, b) => a + b, 0)],
          [trace],
          1e-13 * scale / Math.max(1e-300, Math.abs(trace)),
        );
        const product = lambda.reduce((a, b) => a * b, 1);
        assert.ok(
          Math.abs(product - determinant(matrix)) <= 1e-12 * scale ** ndim,
          `determinant at ${v}`,
        );
      }
    }),
    { numRuns: 40 },
  );
});

/** Rotation matrix of the (not necessarily unit) quaternion q. */
function rotation([w, x, y, z]: number[]): number[][] {
  const n = Math.hypot(w, x, y, z);
  [w, x, y, z] = [w / n, x / n, y / n, z / n];
  return [
    [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
    [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
    [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
  ];
}

/** Q·diag(λ)·Qᵀ as one-voxel tensor entries. */
function entriesOf(q: number[][], lambda: number[]): NdArray[] {
  const n = lambda.length;
  const m = (i: number, j: number) =>
    lambda.reduce((sum, l, k) => sum + q[i][k] * l * q[j][k], 0);
  return pairs(n).map(([i, j]) => ndarray(new Float64Array([m(i, j)]), [1]));
}

Deno.test("3x3 eigenvalues are exact to 1e-12 of the largest, for nearly repeated, tiny and zero eigenvalues", () => {
  const magnitude = fc.constantFrom(1, 1e-3, 1e-9, 1e6, 1e-300, 1e300);
  const gap = fc.constantFrom(0, 1e-16, 1e-12, 1e-8, 1e-6, 1e-4, 1e-2, 1);
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -1, max: 1, noNaN: true }), {
        minLength: 4,
        maxLength: 4,
      }).filter((q) => Math.hypot(...q) > 0.1),
      magnitude,
      fc.double({ min: -1, max: 1, noNaN: true }),
      gap,
      gap,
      (quaternion, scale, base, gap1, gap2) => {
        const lambda = [base, base + gap1, base + gap1 + gap2].map((l) =>
          l * scale
        ).sort((a, b) => b - a);
        const eigen = structureTensorEigenvalues(
          entriesOf(rotation(quaternion), lambda),
        );
        close(Array.from(eigen.data), lambda, 1e-12);
      },
    ),
    { numRuns: 300 },
  );
  for (
    const lambda of [[0, 0, 0], [1, 0, 0], [1, 1, 0], [2, 2, 2], [
      1e-300,
      0,
      -1e-300,
    ]]
  ) {
    const eigen = structureTensorEigenvalues(
      entriesOf(rotation([1, 0.2, -0.3, 0.4]), lambda),
    );
    close(Array.from(eigen.data), lambda, 1e-12, `[${lambda}]`);
  }
});

Deno.test("4x4 eigenvalues (Jacobi) are exact for a block-rotated diagonal matrix", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -5, max: 5, noNaN: true }), {
        minLength: 4,
        maxLength: 4,
      }),
      fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }),
      (lambda, angle) => {
        const [c, s] = [Math.cos(angle), Math.sin(angle)];
        // Rotations in the (0, 1) and (2, 3) planes.
        const q = [[c, -s, 0, 0], [s, c, 0, 0], [0, 0, c, s], [0, 0, -s, c]];
        const eigen = structureTensorEigenvalues(entriesOf(q, lambda));
        close(
          Array.from(eigen.data),
          lambda.slice().sort((a, b) => b - a),
          1e-12,
        );
      },
    ),
    { numRuns: 100 },
  );
});
