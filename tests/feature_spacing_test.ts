/**
 * The `spacing` option of the structure tensor: sigma in physical units, each
 * derivative per unit of length, on every path (the 3-D engine on both
 * backends, the n-D reference, the fused and chunked functions).
 *
 * @module
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { type NdArray, ndarray } from "../lib/deps.ts";
import {
  gaussianFilter,
  readTiff,
  sobel,
  structureTensor,
  structureTensorEigenvalues,
  structureTensorEigenvaluesOfImage,
  structureTensorEigenvaluesTiff,
  writeTiff,
} from "../mod.ts";
import { mulberry32, uniformSource } from "../lib/data/_prng.ts";
import { assertSameValues, relativeError } from "./_same_values.ts";

function randomVolume(
  shape: readonly number[],
  seed: number,
  Type: Float64ArrayConstructor | Float32ArrayConstructor = Float64Array,
): NdArray<Float64Array | Float32Array> {
  const next = uniformSource(mulberry32(seed));
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Type === Float32Array
    ? Float32Array.from({ length: size }, () => next())
    : Float64Array.from({ length: size }, () => next());
  return ndarray(values, [...shape]);
}

const scaled = (values: ArrayLike<number>, factor: number) =>
  Float64Array.from(values, (v) => v * factor);

// In constant mode the Gaussian pads the products with cval itself (as SciPy
// does), which no scaling follows: the identity holds with cval 0.
Deno.test("spacing [s, s, s] gives the voxel result for sigma / s, divided by s² (3-D and 2-D)", () => {
  fc.assert(
    fc.property(
      fc.constantFrom([6, 9, 11], [9, 13]),
      fc.constantFrom(0.5, 1.7, 3),
      fc.constantFrom(0.8, 1.5, 2.5),
      fc.constantFrom("reflect", "constant", "wrap") as fc.Arbitrary<
        "reflect" | "constant" | "wrap"
      >,
      fc.integer(),
      (shape, s, sigma, mode, seed) => {
        const image = randomVolume(shape, seed);
        const physical = structureTensor(image, {
          sigma,
          spacing: s,
          mode,
          cval: 0,
        });
        const voxels = structureTensor(image, {
          sigma: sigma / s,
          mode,
          cval: 0,
        });
        physical.forEach((entry, e) => {
          const error = relativeError(
            entry.data,
            scaled(voxels[e].data, 1 / (s * s)),
          );
          assert.ok(error < 1e-13, `entry ${e}: ${error}`);
        });
        if (shape.length === 3) {
          const fused = structureTensorEigenvaluesOfImage(image, {
            sigma,
            spacing: [s, s, s],
            mode,
            cval: 0,
          });
          const expected = structureTensorEigenvalues(voxels);
          const error = relativeError(
            fused.data,
            scaled(expected.data, 1 / (s * s)),
          );
          assert.ok(error < 1e-13, `eigenvalues: ${error}`);
        }
      },
    ),
    { numRuns: 40 },
  );
});

/** Sobel along each axis divided by its spacing, products, Gaussians of sigma / spacing voxels. */
function literalTensor(
  image: NdArray<Float64Array | Float32Array>,
  sigma: number[],
  spacing: number[],
): Float64Array[] {
  const ndim = image.shape.length;
  const derivatives = spacing.map((s, axis) =>
    scaled(sobel(image, axis, { mode: "nearest" }).data, 1 / s)
  );
  const entries: Float64Array[] = [];
  for (let i = 0; i < ndim; i++) {
    for (let j = i; j < ndim; j++) {
      const product = derivatives[i].map((d, k) => d * derivatives[j][k]);
      entries.push(
        Float64Array.from(
          gaussianFilter(
            ndarray(product, image.shape),
            sigma.map((s, a) => s / spacing[a]),
            { mode: "nearest" },
          ).data,
        ),
      );
    }
  }
  return entries;
}

Deno.test("anisotropic spacing equals the literal composition: derivatives per unit length, sigma in units", () => {
  const sigma = [2, 1.5, 1];
  const spacing = [2, 0.5, 0.75];
  for (const Type of [Float64Array, Float32Array]) {
    // Float64 runs on the SIMD backend, float32 input on the JavaScript one.
    const image = randomVolume([7, 12, 10], 3, Type);
    const expected = literalTensor(image, sigma, spacing);
    const actual = structureTensor(image, { sigma, spacing, mode: "nearest" });
    const bound = Type === Float64Array ? 1e-13 : 1e-6;
    actual.forEach((entry, e) => {
      const error = relativeError(entry.data, expected[e]);
      assert.ok(error < bound, `${Type.name} entry ${e}: ${error}`);
    });
  }
  const plane = randomVolume([11, 14], 4);
  const expected2d = literalTensor(plane, [1.5, 1], [0.5, 2]);
  structureTensor(plane, {
    sigma: [1.5, 1],
    spacing: [0.5, 2],
    mode: "nearest",
  })
    .forEach((entry, e) => {
      assert.ok(
        relativeError(entry.data, expected2d[e]) < 1e-13,
        `2-D entry ${e}`,
      );
    });
});

Deno.test("spacing 1 on every axis is bit-identical to no spacing", () => {
  const image = randomVolume([5, 9, 8], 5);
  const plain = structureTensor(image, { sigma: [1, 1.5, 2] });
  const unit = structureTensor(image, {
    sigma: [1, 1.5, 2],
    spacing: [1, 1, 1],
  });
  unit.forEach((entry, e) =>
    assertSameValues(entry.data, plain[e].data, `entry ${e}`)
  );
});

Deno.test("the chunked path with spacing equals the fused one bit for bit", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const next = uniformSource(mulberry32(9));
    const volume = ndarray(
      Uint16Array.from(
        { length: 11 * 13 * 9 },
        () => Math.floor(next() * 4096),
      ),
      [11, 13, 9],
    );
    await writeTiff(`${folder}/in.tif`, volume, { axes: "ZYX" });
    const options = {
      sigma: [3, 2, 2],
      spacing: [2, 0.5, 0.5],
      mode: "reflect" as const,
    };
    await structureTensorEigenvaluesTiff(
      `${folder}/in.tif`,
      `${folder}/out.tif`,
      {
        ...options,
        blockPlanes: 3,
      },
    );
    const chunked = (await readTiff(`${folder}/out.tif`)).data;
    const whole = structureTensorEigenvaluesOfImage(volume, options);
    // chunked is [Z, 3, Y, X], whole [3, Z, Y, X].
    const reordered = new Float64Array(whole.data.length);
    const [, nz, ny, nx] = whole.shape;
    for (let z = 0; z < nz; z++) {
      for (let r = 0; r < 3; r++) {
        for (let i = 0; i < ny * nx; i++) {
          reordered[(r * nz + z) * ny * nx + i] =
            chunked.data[(z * 3 + r) * ny * nx + i];
        }
      }
    }
    assertSameValues(reordered, whole.data, "chunked with spacing");
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("spacing must be positive and finite, one for all axes or one per axis", () => {
  const image = randomVolume([4, 5, 6], 1);
  for (const spacing of [0, -1, NaN, Infinity, [1, 2], [1, 0, 1], "1"]) {
    assert.throws(
      () => structureTensor(image, { spacing: spacing as number }),
      /structureTensor: spacing must be a finite number > 0 or a list of 3 of them \(one per axis\), got /,
    );
    assert.throws(
      () =>
        structureTensorEigenvaluesOfImage(image, {
          spacing: spacing as number,
        }),
      /structureTensorEigenvaluesOfImage: spacing must be/,
    );
  }
});
