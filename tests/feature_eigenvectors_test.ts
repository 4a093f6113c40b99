import assert from "node:assert/strict";
import fc from "fast-check";
import { type NdArray, ndarray } from "../lib/array/mod.ts";
import { structureTensorEigenvalues } from "../lib/feature/mod.ts";
import { structureTensorEigenvectors } from "../lib/feature/structure_tensor_eigenvectors.ts";

const FIXTURES = new URL("./fixtures/eigenvectors/", import.meta.url);

interface FixtureCase {
  name: string;
  ndim: number;
  shape: number[];
  entries: string;
  values: string;
  vectors: string;
}

const fixtureIndex: { cases: FixtureCase[] } = JSON.parse(
  await Deno.readTextFile(new URL("index.json", FIXTURES)),
);

async function loadFloats(file: string): Promise<Float64Array> {
  const bytes = await Deno.readFile(new URL(file, FIXTURES));
  return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8);
}

/** Per-entry ndarrays of shape [n] from n matrices' upper triangles (row-major). */
function entriesOf(matrices: readonly (readonly number[][])[]): NdArray[] {
  const ndim = matrices[0].length;
  const out: NdArray[] = [];
  for (let i = 0; i < ndim; i++) {
    for (let j = i; j < ndim; j++) {
      out.push(
        ndarray(Float64Array.from(matrices, (m) => m[i][j]), [matrices.length]),
      );
    }
  }
  return out;
}

/** vectors[rank][component] of voxel i of a result of shape [n, n, size]. */
function basisAt(vectors: NdArray, i: number): number[][] {
  const n = vectors.shape[0];
  const size = vectors.data.length / (n * n);
  const data = vectors.data as Float64Array;
  return Array.from(
    { length: n },
    (_, rank) =>
      Array.from({ length: n }, (_, c) => data[(rank * n + c) * size + i]),
  );
}

/**
 * Checks every voxel of n matrices: on A / max|A| (so tiny and huge tensors
 * are compared alike), the residual ‖A v_k - λ_k v_k‖ with λ_k the k-th
 * value of structureTensorEigenvalues, the orthonormality ‖VᵀV - I‖ (max
 * entry), both within 1e-12, and the sign rule: each vector's first
 * component of largest magnitude is positive.
 */
function checkBasis(matrices: readonly (readonly number[][])[]): void {
  const n = matrices[0].length;
  const vectors = structureTensorEigenvectors(entriesOf(matrices));
  assert.deepEqual(vectors.shape, [n, n, matrices.length]);
  const scaled = matrices.map((m) => {
    const s = Math.max(...m.flat().map(Math.abs));
    return m.map((row) => row.map((x) => s === 0 ? 0 : x / s));
  });
  const values = structureTensorEigenvalues(entriesOf(scaled)).data;
  scaled.forEach((a, i) => {
    const v = basisAt(vectors, i);
    for (let k = 0; k < n; k++) {
      const lambda = values[k * matrices.length + i];
      const residual = Math.hypot(
        ...a.map((row, r) =>
          row.reduce((sum, x, c) => sum + x * v[k][c], 0) - lambda * v[k][r]
        ),
      );
      assert.ok(
        residual <= 1e-12,
        `voxel ${i} rank ${k}: residual ${residual} for ${
          JSON.stringify(matrices[i])
        }`,
      );
      for (let l = 0; l < n; l++) {
        const dot = v[k].reduce((sum, x, c) => sum + x * v[l][c], 0);
        assert.ok(
          Math.abs(dot - (k === l ? 1 : 0)) <= 1e-12,
          `voxel ${i}: v${k}·v${l} = ${dot}`,
        );
      }
      const big = Math.max(...v[k].map(Math.abs));
      const lead = v[k].find((x) => Math.abs(x) === big) as number;
      assert.ok(lead > 0, `voxel ${i} rank ${k}: sign rule, ${v[k]}`);
    }
  });
}

/** Q diag(values) Qᵀ for the rotation of the unit quaternion along q. */
function withEigenvalues(q: number[], values: number[]): number[][] {
  const norm = Math.hypot(...q);
  const [w, x, y, z] = q.map((c) => c / norm);
  const rotation = [
    [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
    [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
    [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
  ];
  // Upper triangle mirrored: exactly symmetric.
  return rotation.map((ri, i) =>
    rotation.map((rj, j) => {
      const [p, q] = i <= j ? [ri, rj] : [rj, ri];
      return p.reduce((s, _, k) => s + p[k] * values[k] * q[k], 0);
    })
  );
}

const unit = fc.double({ min: -1, max: 1, noNaN: true });
const quaternion = fc.tuple(unit, unit, unit, unit).filter((q) =>
  Math.hypot(...q) > 0.1
);
// Tiny, huge, subnormal and near the float64 maximum (3-D eigenvalues, and 2-D differences, overflow there).
const magnitude = fc.constantFrom(1, 1e-300, 1e300, 1e-315, 1.7e308);
const gap = fc.constantFrom(
  0,
  1e-16,
  1e-14,
  1e-12,
  1e-10,
  1e-8,
  1e-6,
  1e-4,
  1e-3,
);

/** Random symmetric 3×3 matrices: random entries, or a near pair or triple of eigenvalues. */
const matrix3 = fc.oneof(
  fc.tuple(unit, unit, unit, unit, unit, unit, magnitude).map((
    [a, b, c, d, e, f, m],
  ) => [[a, b, c], [b, d, e], [c, e, f]].map((r) => r.map((x) => x * m))),
  fc.tuple(quaternion, unit, gap, unit, magnitude).map(([q, l, g, mu, m]) =>
    withEigenvalues(q, [l * m, l * (1 + g) * m, mu * m])
  ),
  fc.tuple(quaternion, unit, gap, gap, magnitude).map(([q, l, g, h, m]) =>
    withEigenvalues(q, [l * m, l * (1 + g) * m, l * (1 - h) * m])
  ),
  fc.constant<number[][]>([[0, 0, 0], [0, 0, 0], [0, 0, 0]]),
);

/** Random symmetric 2×2 matrices: random entries, or a near pair of eigenvalues. */
const matrix2 = fc.oneof(
  fc.tuple(unit, unit, unit, magnitude).map(([a, b, d, m]) => [
    [a * m, b * m],
    [b * m, d * m],
  ]),
  fc.tuple(fc.double({ min: 0, max: 7, noNaN: true }), unit, gap, magnitude)
    .map(([t, l, g, m]) => {
      const c = Math.cos(t), s = Math.sin(t), l2 = l * (1 + g);
      return [
        [(c * c * l + s * s * l2) * m, c * s * (l - l2) * m],
        [c * s * (l - l2) * m, (s * s * l + c * c * l2) * m],
      ];
    }),
  fc.constant<number[][]>([[0, 0], [0, 0]]),
);

Deno.test("eigenvectors agree with numpy.linalg.eigh wherever neighbouring eigenvalues differ by more than 1e-4 of the largest", async () => {
  for (const fixture of fixtureIndex.cases) {
    const { name, ndim, shape } = fixture;
    const entries = await loadFloats(fixture.entries);
    const values = await loadFloats(fixture.values);
    const reference = await loadFloats(fixture.vectors);
    const size = shape.reduce((a, b) => a * b, 1);
    const elements = Array.from(
      { length: entries.length / size },
      (_, e) => ndarray(entries.slice(e * size, (e + 1) * size), shape),
    );
    const vectors = structureTensorEigenvectors(elements);
    assert.deepEqual(vectors.shape, [ndim, ndim, ...shape]);
    let compared = 0;
    for (let i = 0; i < size; i++) {
      const lambda = Array.from(
        { length: ndim },
        (_, k) => values[k * size + i],
      );
      const largest = Math.max(...lambda.map(Math.abs));
      for (let k = 0; k < ndim; k++) {
        const apart = (j: number) =>
          j < 0 || j >= ndim ||
          Math.abs(lambda[k] - lambda[j]) > 1e-4 * largest;
        if (!apart(k - 1) || !apart(k + 1)) continue;
        let dot = 0;
        for (let c = 0; c < ndim; c++) {
          const at = (k * ndim + c) * size + i;
          dot += vectors.data[at] * reference[at];
        }
        assert.ok(
          Math.abs(dot) >= 1 - 1e-9,
          `${name} voxel ${i} rank ${k}: |v·v_ref| = ${Math.abs(dot)}`,
        );
        compared++;
      }
    }
    // Every voxel has at least one isolated eigenvalue in these sets.
    assert.ok(compared >= size, `${name}: only ${compared} vectors compared`);
  }
});

Deno.test("3-D: residuals and orthonormality within 1e-12 of the largest entry, sign rule, for random, nearly repeated, zero, tiny and huge tensors", () => {
  fc.assert(
    fc.property(fc.array(matrix3, { minLength: 1, maxLength: 8 }), checkBasis),
    { numRuns: 400, endOnFailure: true },
  );
});

Deno.test("2-D: residuals and orthonormality within 1e-12 of the largest entry, sign rule, for random, nearly repeated, zero, tiny and huge tensors", () => {
  fc.assert(
    fc.property(fc.array(matrix2, { minLength: 1, maxLength: 8 }), checkBasis),
    { numRuns: 300, endOnFailure: true },
  );
});

Deno.test("the sign rule: largest component positive, the first axis on a tie; it may make a left-handed frame", () => {
  // [[2, 1], [1, 2]]: the smaller eigenvalue's vector ±(1, -1)/√2 ties; row comes first.
  const pair = basisAt(
    structureTensorEigenvectors(entriesOf([[[2, 1], [1, 2]]])),
    0,
  );
  assert.ok(pair[1][0] > 0 && pair[1][1] < 0, `${pair[1]}`);
  assert.equal(pair[1][0], -pair[1][1]);
  // diag(1, 2, 3) in (z, y, x): the x, y, z axes, all positive, determinant -1.
  const v = basisAt(
    structureTensorEigenvectors(entriesOf([[[1, 0, 0], [0, 2, 0], [0, 0, 3]]])),
    0,
  );
  assert.deepEqual(v, [[0, 0, 1], [0, 1, 0], [1, 0, 0]]);
  // Negated off-diagonal entries flip the vectors' directions, not the signs of their leading components.
  for (const s of [1, -1]) {
    const w = basisAt(
      structureTensorEigenvectors(
        entriesOf([[[4, s, 0.5 * s], [s, 3, 0.2], [0.5 * s, 0.2, 1]]]),
      ),
      0,
    );
    w.forEach((vector) => {
      const big = Math.max(...vector.map(Math.abs));
      assert.ok((vector.find((x) => Math.abs(x) === big) as number) > 0);
    });
  }
});

Deno.test("zero and multiple-of-identity tensors give the coordinate axes, non-finite ones NaN", () => {
  const axes3 = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  const nan3 = axes3.map((r) => r.map(() => NaN));
  const v3 = structureTensorEigenvectors(entriesOf([
    [[0, 0, 0], [0, 0, 0], [0, 0, 0]],
    [[2.5, 0, 0], [0, 2.5, 0], [0, 0, 2.5]],
    [[1e-310, 0, 0], [0, 1e-310, 0], [0, 0, 1e-310]],
    [[1, NaN, 0], [NaN, 1, 0], [0, 0, 1]],
    [[Infinity, 0, 0], [0, 1, 0], [0, 0, 1]],
  ]));
  assert.deepEqual(
    [0, 1, 2, 3, 4].map((i) => basisAt(v3, i)),
    [axes3, axes3, axes3, nan3, nan3],
  );
  const v2 = structureTensorEigenvectors(entriesOf([
    [[0, 0], [0, 0]],
    [[-3, 0], [0, -3]],
    [[1, -Infinity], [-Infinity, 1]],
  ]));
  assert.deepEqual([0, 1, 2].map((i) => basisAt(v2, i)), [
    [[1, 0], [0, 1]],
    [[1, 0], [0, 1]],
    [[NaN, NaN], [NaN, NaN]],
  ]);
});

Deno.test("entries near the float64 maximum: the eigenvalues overflow, the vectors do not", () => {
  const m = 1.7e308;
  const elements = entriesOf([[[m, m, 0], [m, m, 0], [0, 0, m / 2]]]);
  assert.equal(structureTensorEigenvalues(elements).data[0], Infinity);
  const v = basisAt(structureTensorEigenvectors(elements), 0);
  const h = Math.SQRT1_2;
  // The last is ±(h, -h, 0): a near tie, whose sign rounding decides.
  [[h, h, 0], [0, 0, 1], [h, -h, 0]].forEach((expected, k) => {
    const dot = expected.reduce((sum, x, c) => sum + x * v[k][c], 0);
    assert.ok(Math.abs(dot) >= 1 - 1e-15, `rank ${k}: ${v[k]}`);
  });
});

Deno.test("results are deterministic and the same for views, float32 and C-contiguous float64 entries", () => {
  fc.assert(
    fc.property(
      fc.array(matrix3, { minLength: 12, maxLength: 12 }),
      (matrices) => {
        const entries = entriesOf(matrices);
        const plain = structureTensorEigenvectors(entries);
        assert.deepEqual(structureTensorEigenvectors(entries).data, plain.data);
        // The same 12 voxels as a [4, 3] C-order grid, as its transpose's transpose, and reversed.
        const grid = entries.map((e) => ndarray(e.data, [4, 3]));
        const transposed = grid.map((e) =>
          ndarray(
            Float64Array.from({ length: 12 }, (_, k) =>
              (e.data as Float64Array)[(k % 4) * 3 + Math.floor(k / 4)]),
            [3, 4],
          )
            .transpose(1, 0)
        );
        assert.deepEqual(
          structureTensorEigenvectors(transposed).data,
          plain.data,
        );
        const reversed = entries.map((e) =>
          ndarray(Float64Array.from(e.data as Float64Array).reverse(), [12])
            .step(-1)
        );
        assert.deepEqual(
          structureTensorEigenvectors(reversed).data,
          plain.data,
        );
        assert.deepEqual(structureTensorEigenvectors(grid).shape, [3, 3, 4, 3]);
        const single = entries.map((e) =>
          ndarray(Float32Array.from(e.data as Float64Array), [12])
        );
        const widened = single.map((e) =>
          ndarray(Float64Array.from(e.data as Float32Array), [12])
        );
        assert.deepEqual(
          structureTensorEigenvectors(single).data,
          structureTensorEigenvectors(widened).data,
        );
      },
    ),
    { numRuns: 50, endOnFailure: true },
  );
});

Deno.test("structureTensorEigenvectors rejects a wrong number of entries, non-ndarrays and mismatched shapes", () => {
  const entry = (n: number) => ndarray(new Float64Array(n), [n]);
  for (const count of [1, 2, 4, 10]) {
    assert.throws(
      () =>
        structureTensorEigenvectors(
          Array.from({ length: count }, () => entry(2)),
        ),
      /structureTensorEigenvectors: elements must be a list of 3 arrays \(2-D: Arr, Arc, Acc\) or 6 arrays/,
    );
  }
  assert.throws(
    () => structureTensorEigenvectors("abc" as never),
    /structureTensorEigenvectors: elements must be a list of 3 arrays .*got "abc"/,
  );
  assert.throws(
    () => structureTensorEigenvectors([entry(2), [1, 2] as never, entry(2)]),
    /structureTensorEigenvectors: elements\[1\] must be an ndarray over a Uint8/,
  );
  assert.throws(
    () => structureTensorEigenvectors([entry(2), entry(2), entry(3)]),
    /structureTensorEigenvectors: elements\[2\] must be an ndarray of shape \[2\] like elements\[0\], got ndarray of shape \[3\]/,
  );
  assert.throws(
    () => structureTensorEigenvectors([entry(0), entry(0), entry(0)]),
    /structureTensorEigenvectors: elements\[0\] must be a non-empty ndarray/,
  );
});
