import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import type { NdArray } from "../lib/deps.ts";
import { kidneyPhantom } from "../lib/data/kidney_phantom.ts";
import type { Vec3 } from "../lib/data/phantom_description.ts";

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
    assert.deepEqual(
      info.sheets[0].normal,
      [1, 0, 0],
      "sheets[0] is the horizontal pancake",
    );
  }
});

Deno.test("tubes[0] crosses the tutorial's sample box and nuclei are bright in channel 0", () => {
  const { data, metadata } = phantom;
  const info = metadata.phantom!;
  assert.ok(
    data.get(9, 395, 385, 1) > 3000,
    "channel 1 is bright at the sample box centre",
  );
  assert.ok(data.get(9, 395, 385, 0) < 1000, "channel 0 is not");
  const tube = info.tubes[0];
  const [sz, sy, sx] = tube.start;
  const [dz, dy, dx] = tube.direction;
  const t = (395 - sy) * dy + (385 - sx) * dx + (9 - sz) * dz;
  assert.ok(
    Math.hypot(sz + t * dz - 9, sy + t * dy - 395, sx + t * dx - 385) < 1,
  );
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
