import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { NdArray } from "../lib/deps.ts";
import {
  argmax,
  ndarray,
  SHAPE_CLASSES,
  shapeClass,
  structureTensor,
  structureTensorEigenvalues,
  structureTensorEigenvectors,
  unravelIndex,
} from "../mod.ts";
import { kidneyPhantom } from "../lib/data/kidney_phantom.ts";
import type { Vec3 } from "../lib/data/phantom_description.ts";
import { meanSteps } from "../examples/_anisotropy_narrative.ts";

const phantom = kidneyPhantom();

/** Structure tensor at one voxel: Gaussian-weighted (sd 2) sum of g gᵀ, g by central differences, channel 1. */
function localStructureTensor(
  data: NdArray<Uint16Array>,
  center: Vec3,
): number[][] {
  const [depth, height, width] = data.shape;
  const value = (z: number, y: number, x: number) => data.get(z, y, x, 1);
  const tensor = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  const reach = 5;
  for (
    let z = Math.max(1, center[0] - reach);
    z <= Math.min(depth - 2, center[0] + reach);
    z++
  ) {
    for (
      let y = Math.max(1, center[1] - reach);
      y <= Math.min(height - 2, center[1] + reach);
      y++
    ) {
      for (
        let x = Math.max(1, center[2] - reach);
        x <= Math.min(width - 2, center[2] + reach);
        x++
      ) {
        const r2 = (z - center[0]) ** 2 + (y - center[1]) ** 2 +
          (x - center[2]) ** 2;
        const weight = Math.exp(-r2 / 8);
        const g = [
          (value(z + 1, y, x) - value(z - 1, y, x)) / 2,
          (value(z, y + 1, x) - value(z, y - 1, x)) / 2,
          (value(z, y, x + 1) - value(z, y, x - 1)) / 2,
        ];
        for (let i = 0; i < 3; i++) {
          for (let j = 0; j < 3; j++) tensor[i][j] += weight * g[i] * g[j];
        }
      }
    }
  }
  return tensor;
}

/** Eigenvalues (decreasing) and unit eigenvectors of a symmetric 3x3 matrix, by Jacobi rotations. */
function symmetricEigen(
  matrix: number[][],
): { values: number[]; vectors: Vec3[] } {
  const a = matrix.map((row) => [...row]);
  const v = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  for (let sweep = 0; sweep < 50; sweep++) {
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]]) {
      if (Math.abs(a[p][q]) < 1e-12 * (Math.abs(a[p][p]) + Math.abs(a[q][q]))) {
        continue;
      }
      const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
      const t = Math.sign(theta || 1) /
        (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      for (let k = 0; k < 3; k++) {
        const akp = a[k][p], akq = a[k][q];
        a[k][p] = c * akp - s * akq;
        a[k][q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[p][k], aqk = a[q][k];
        a[p][k] = c * apk - s * aqk;
        a[q][k] = s * apk + c * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const vkp = v[k][p], vkq = v[k][q];
        v[k][p] = c * vkp - s * vkq;
        v[k][q] = s * vkp + c * vkq;
      }
    }
  }
  const order = [0, 1, 2].sort((i, j) => a[j][j] - a[i][i]);
  return {
    values: order.map((i) => a[i][i]),
    vectors: order.map((i) => [v[0][i], v[1][i], v[2][i]] as Vec3),
  };
}

function absDot(a: Vec3, b: Vec3): number {
  return Math.abs(a[0] * b[0] + a[1] * b[1] + a[2] * b[2]);
}

function valuesSha256(values: Uint16Array): string {
  return createHash("sha256").update(
    new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  ).digest("hex");
}

Deno.test("kidneyPhantom has the kidney's shape, type, axes and 12-bit range", () => {
  const { data, axes, source, metadata } = phantom;
  assert.ok(data.data instanceof Uint16Array);
  assert.deepEqual(data.shape, [16, 512, 512, 3]);
  assert.deepEqual(data.stride, [512 * 512 * 3, 512 * 3, 3, 1]);
  assert.equal(axes, "ZYXC");
  assert.equal(source.name, "kidney-phantom (synthetic)");
  assert.equal(source.synthetic, true);
  assert.equal(source.path, null);
  assert.deepEqual(metadata.physicalSizes, { Z: 1.25, Y: 1.24, X: 1.24 });
  assert.equal(metadata.physicalUnit, "µm");
  assert.equal(metadata.channelNames.length, 3);
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  const values = data.data;
  for (let i = 0; i < values.length; i += 3) {
    for (let c = 0; c < 3; c++) {
      const value = values[i + c];
      if (value < min[c]) min[c] = value;
      if (value > max[c]) max[c] = value;
    }
  }
  assert.deepEqual(
    [min[1], max[1]],
    [68, 4095],
    "channel 1 spans the real data's range (68, 4095)",
  );
  for (const c of [0, 2]) {
    assert.ok(
      min[c] >= 0 && max[c] <= 4095 && max[c] > min[c] + 500,
      `channel ${c}: ${min[c]}..${max[c]}`,
    );
  }
});

Deno.test("kidneyPhantom is deterministic per seed", () => {
  assert.equal(phantom.source.sha256, valuesSha256(phantom.data.data));
  assert.equal(kidneyPhantom({ seed: 0 }).source.sha256, phantom.source.sha256);
  const other = kidneyPhantom({ seed: 1 });
  assert.equal(other.source.sha256, valuesSha256(other.data.data));
  assert.notEqual(other.source.sha256, phantom.source.sha256);
  assert.notDeepEqual(
    other.metadata.phantom!.tubes[1].start,
    phantom.metadata.phantom!.tubes[1].start,
  );
});

Deno.test("the structure tensor finds the phantom's tubes and sheets where metadata says", () => {
  for (const volume of [phantom, kidneyPhantom({ seed: 7 })]) {
    const info = volume.metadata.phantom!;
    assert.ok(info.tubes.length >= 2 && info.sheets.length === 2);
    for (const tube of info.tubes) {
      const { values, vectors } = symmetricEigen(
        localStructureTensor(volume.data, tube.probe),
      );
      const label =
        `seed ${info.seed} tube at ${tube.probe}: eigenvalues ${values}`;
      assert.ok(values[1] / values[0] > 0.5, `${label}: two large eigenvalues`);
      assert.ok(values[2] / values[1] < 0.1, `${label}: one small eigenvalue`);
      assert.ok(
        absDot(vectors[2], tube.direction) > 0.95,
        `${label}: smallest eigenvector along the tube`,
      );
    }
    for (const sheet of info.sheets) {
      const { values, vectors } = symmetricEigen(
        localStructureTensor(volume.data, sheet.probe),
      );
      const label =
        `seed ${info.seed} sheet at ${sheet.probe}: eigenvalues ${values}`;
      assert.ok(values[1] / values[0] < 0.05, `${label}: one large eigenvalue`);
      assert.ok(
        absDot(vectors[0], sheet.normal) > 0.95,
        `${label}: largest eigenvector along the normal`,
      );
    }
    const column = symmetricEigen(
      localStructureTensor(volume.data, info.column.probe),
    );
    const label = `seed ${info.seed} column: eigenvalues ${column.values}`;
    assert.ok(column.values[1] / column.values[0] > 0.5, label);
    assert.ok(column.values[2] / column.values[1] < 0.1, label);
    assert.ok(absDot(column.vectors[2], [1, 0, 0]) > 0.95, label);
    assert.deepEqual(
      info.sheets[0].normal,
      [1, 0, 0],
      "sheets[0] is the horizontal pancake",
    );
  }
});

/** The tutorial's computation on the stand-in's sample box: eigenvalues, eigenvectors, maximum. */
function tutorialSample() {
  const sample = phantom.data.pick(null, null, null, 1).lo(5, 380, 370).hi(
    8,
    30,
    30,
  );
  const elements = structureTensor(sample, { sigma: [1, 1.5, 2.5] });
  const eigen = structureTensorEigenvalues(elements);
  const coords = unravelIndex(argmax(eigen), eigen.shape);
  return { sample, elements, eigen, coords };
}

Deno.test("the stand-in's sample box reproduces the tutorial's findings", () => {
  const { sample, elements, eigen, coords } = tutorialSample();
  const info = phantom.metadata.phantom!;
  assert.deepEqual(info.sampleBox, [[5, 380, 370], [13, 410, 400]]);
  // The largest eigenvalue in plane 1, near row 22 and column 16 (±2).
  const [rank, z, y, x] = coords;
  assert.equal(rank, 0);
  assert.equal(z, 1, `maximum at ${coords}`);
  assert.ok(Math.abs(y - 22) <= 2 && Math.abs(x - 16) <= 2, `${coords}`);
  // In its 3x3 neighbourhood [y-2:y+1, x-2:x+1]: the two largest within a factor 2
  // (1.4 here), the third an order of magnitude below the second (9.7 to 11.2).
  const classes: string[] = [];
  for (let r = y - 2; r <= y; r++) {
    for (let c = x - 2; c <= x; c++) {
      const [l0, l1, l2] = [0, 1, 2].map((k) => eigen.get(k, z, r, c));
      assert.ok(l0 <= 1.4 * l1, `(${r}, ${c}): largest / second ${l0 / l1}`);
      assert.ok(
        l1 >= 9.5 * l2 && l1 <= 12.5 * l2,
        `(${r}, ${c}): second / third ${l1 / l2}`,
      );
      const one = ndarray(Float64Array.from([l0, l1, l2]), [3, 1, 1, 1]);
      classes.push(SHAPE_CLASSES[shapeClass(one).codes.data[0]]);
    }
  }
  // shapeClass (a factor 10 for a "pancake") calls the maximum and 8 of the 9 voxels
  // a "pancake", the tutorial's reading; the one short of 10 is "mixed".
  assert.equal(classes[8], "pancake", `the maximum: ${classes}`);
  assert.ok(
    classes.filter((name) => name === "pancake").length >= 8,
    `${classes}`,
  );
  // The strongest gradient along rows, the weakest along Z: the plane of the two strong
  // gradients is the X-Y plane.
  const vectors = structureTensorEigenvectors(elements);
  assert.ok(Math.abs(vectors.get(0, 1, z, y, x)) > 0.99, "rank 0 along rows");
  assert.ok(Math.abs(vectors.get(2, 0, z, y, x)) > 0.99, "rank 2 along Z");
  // A bright region near row 22, column 17 of the bottom plane.
  const bottom = sample.pick(0, null, null);
  const brightest = unravelIndex(argmax(bottom), bottom.shape);
  assert.ok(
    Math.abs(brightest[0] - 22) <= 1 && Math.abs(brightest[1] - 17) <= 1,
    `brightest at ${brightest}`,
  );
  assert.ok(bottom.get(brightest[0], brightest[1]) > 2000);
  // Weak variation along Z: on the column's axis, at most 30% from plane to plane,
  // while one pixel across, in rows and columns, the intensity falls by more than 80%;
  // by the example's own measure (meanSteps over the bright voxels), the steps to the
  // next plane are on average 4 times smaller than to the next row or column.
  for (let plane = 0; plane + 1 < 8; plane++) {
    const [a, b] = [sample.get(plane, 22, 17), sample.get(plane + 1, 22, 17)];
    assert.ok(Math.abs(b - a) <= 0.3 * a, `plane ${plane}: ${a} -> ${b}`);
  }
  for (let plane = 0; plane < 8; plane++) {
    const a = sample.get(plane, 22, 17);
    for (const [dy, dx] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
      assert.ok(sample.get(plane, 22 + dy, 17 + dx) < 0.2 * a);
    }
  }
  const { steps: [dz, dy, dx] } = meanSteps(sample);
  assert.ok(Math.min(dy, dx) >= 3.5 * dz, `steps ${dz} ${dy} ${dx}`);
  // A longitudinal structure in the Y-Z slice through the maximum: its brightest row
  // is the same in every plane.
  for (let plane = 0; plane < 8; plane++) {
    const slice = sample.pick(plane, null, x);
    assert.equal(unravelIndex(argmax(slice), slice.shape)[0], 22, `${plane}`);
  }
});

Deno.test("the sample box holds the column alone; every tube keeps clear of it", () => {
  // Seed 3 draws tubes through the box before they are redrawn.
  for (const volume of [phantom, kidneyPhantom({ seed: 3 })]) {
    const info = volume.metadata.phantom!;
    const [lo, hi] = info.sampleBox;
    for (const tube of info.tubes) {
      for (let step = 0; step <= 100; step++) {
        const t = step / 100;
        const p = tube.start.map((s, a) => s + t * (tube.end[a] - s));
        const outside = p.map((v, a) =>
          Math.max(lo[a] - v, 0, v - (hi[a] - 1))
        );
        assert.ok(
          Math.hypot(...outside) >= 4 * tube.sigma,
          `seed ${info.seed}: tube at ${p}`,
        );
      }
    }
    const column = info.column;
    assert.deepEqual(column.axis.map((v) => Math.round(v)), [402, 387]);
    // Off the column, the box is background: nothing above 300.
    for (let z = lo[0]; z < hi[0]; z++) {
      for (let y = lo[1]; y < hi[1]; y++) {
        for (let x = lo[2]; x < hi[2]; x++) {
          const far = Math.hypot(y - column.axis[0], x - column.axis[1]) > 3;
          if (far) {
            assert.ok(
              volume.data.get(z, y, x, 1) < 300,
              `seed ${info.seed}: ${z} ${y} ${x}`,
            );
          }
        }
      }
    }
  }
  const { data } = phantom;
  const info = phantom.metadata.phantom!;
  let bright = 0;
  for (const nucleus of info.nuclei.items) {
    const [z, y, x] = nucleus.center.map(Math.round);
    if (data.get(z, y, x, 0) > 90 + 0.5 * nucleus.peak) bright++;
  }
  assert.ok(
    bright > 0.9 * info.nuclei.items.length,
    `${bright} of ${info.nuclei.items.length} nuclei bright`,
  );
});

Deno.test("kidneyPhantom accepts a smaller shape and validates its options", () => {
  const small = kidneyPhantom({ seed: 3, shape: [8, 64, 96] });
  assert.deepEqual(small.data.shape, [8, 64, 96, 3]);
  assert.deepEqual(small.metadata.phantom!.shape, [8, 64, 96]);
  assert.throws(() => kidneyPhantom({ seed: -1 }), {
    name: "TypeError",
    message: "kidneyPhantom: seed must be an integer in [0, 2^32), got -1",
  });
  assert.throws(() => kidneyPhantom({ seed: 0.5 }), {
    name: "TypeError",
    message: /seed must be/,
  });
  assert.throws(() => kidneyPhantom({ shape: [16, 512] as never }), {
    name: "TypeError",
    message:
      /^kidneyPhantom: shape must be \[Z, Y, X\] integers .*, got \[16, 512\]$/,
  });
});
