/**
 * Ground truth of orientation: phantoms of known geometry (straight and
 * bent tubes, sheets, blobs; tests/_orientation_phantoms.ts) sampled with
 * isotropic and anisotropic voxels, whose structure-tensor eigenvectors,
 * angles and shape classes must give back the geometry in the physical frame.
 *
 * Common setting: every structure has a Gaussian profile of standard
 * deviation RADIUS (the tube's radius, the sheet's half thickness, the
 * blob's radius) and the tensor's window has SIGMA = RADIUS, both in µm,
 * so the window covers the structure's cross-section.
 *
 * The core, where the assertions hold, is defined from the geometry alone:
 * - away from the box: every physical coordinate at least MARGIN = 2.5·SIGMA
 *   from the first and last voxel centres. Tubes and sheets cross the box's
 *   faces, where the boundary mode ("nearest") bends them; within 2.5 SIGMA
 *   of a face the window would still hold more than 0.6% of its weight
 *   beyond it.
 * - tubes (straight and bent): distance to the axis curve <= RADIUS / 2.
 *   For a Gaussian tube of radius r and window sigma s, the continuous
 *   tensor across the tube is c·I + m·mᵀ with c = s²v/(s²+v), v = r²/2 and
 *   |m| = d·v/(s²+v) at distance d, so λ1/λ2 = 1 + d²v/(s²(s²+v)): at most
 *   1 + 1/12 at d = r/2 (s = r), inside the pancake rule's factor 2 (reached
 *   at d = √3·r).
 * - sheets: distance to the mid-plane <= RADIUS / 2.
 * - blobs: distance to the centre <= RADIUS: by the same algebra in 3-D the
 *   tensor is c·I + m·mᵀ, and λ1/λ3 = 1 + 1/3 there (factor 2 at √3·r).
 */

import assert from "node:assert/strict";
import type { NdArray } from "../lib/deps.ts";
import {
  orientationAngles,
  type OrientationAngles3d,
  SHAPE_CLASSES,
  shapeClass,
  type ShapeClassName,
  structureTensor,
  structureTensorEigenvalues,
} from "../mod.ts";
import { structureTensorEigenvectors } from "../lib/feature/structure_tensor_eigenvectors.ts";
import {
  arcTube,
  axisAngle,
  blob,
  boxCentre,
  median,
  type Phantom,
  randomDirections,
  sample,
  type Sampling,
  sheet,
  straightTube,
  unit,
  type Vec3,
} from "./_orientation_phantoms.ts";

const RADIUS = 3;
const SIGMA = RADIUS;
const MARGIN = 2.5 * SIGMA;
/** The largest median angle (degrees) between a computed direction and the truth. */
const TOLERANCE = 2;

/** Two samplings of about the same 31 µm box: 32³ voxels of 1 µm, and 16 × 64 × 64 of (2, 0.5, 0.5) µm. */
const SAMPLINGS: Sampling[] = [
  { name: "isotropic", shape: [32, 32, 32], spacing: [1, 1, 1] },
  { name: "anisotropic", shape: [16, 64, 64], spacing: [2, 0.5, 0.5] },
];
const ANISOTROPIC = SAMPLINGS[1];
const TUBE_AXES = randomDirections(1, 4);
const SHEET_NORMALS = randomDirections(2, 4);
/** Normals of the arcs' planes, and directions that fix where in the plane the circle's centre lies. */
const [ARC_NORMALS, ARC_OFFSETS] = [
  randomDirections(3, 2),
  randomDirections(4, 2),
];
/** The arcs' radius of curvature (µm). */
const BEND = 15;

const components = (
  vectors: NdArray,
  rank: number,
  [z, y, x]: Vec3,
): Vec3 => [
  vectors.get(rank, 0, z, y, x),
  vectors.get(rank, 1, z, y, x),
  vectors.get(rank, 2, z, y, x),
];

interface CoreVoxel {
  /** Voxel index (z, y, x). */
  index: Vec3;
  /** Physical position (µm). */
  p: Vec3;
}

/** The voxels at least MARGIN from the box's faces and within `reach` of the phantom's centre (axis, mid-plane, point). */
function coreVoxels(
  sampling: Sampling,
  phantom: Phantom,
  reach: number,
): CoreVoxel[] {
  const { shape, spacing } = sampling;
  const core: CoreVoxel[] = [];
  const inside = (i: number, a: number) =>
    i * spacing[a] >= MARGIN && (shape[a] - 1 - i) * spacing[a] >= MARGIN;
  for (let z = 0; z < shape[0]; z++) {
    for (let y = 0; y < shape[1]; y++) {
      for (let x = 0; x < shape[2]; x++) {
        if (!inside(z, 0) || !inside(y, 1) || !inside(x, 2)) continue;
        const p: Vec3 = [z * spacing[0], y * spacing[1], x * spacing[2]];
        if (phantom.distance(p) <= reach) core.push({ index: [z, y, x], p });
      }
    }
  }
  return core;
}

interface Analysis {
  eigenvalues: NdArray<Float64Array>;
  vectors: NdArray<Float64Array>;
  codes: NdArray<Uint8Array>;
}

/**
 * The tensor of the sampled phantom with sigma SIGMA µm: with `spacing`
 * (physical frame), or without it and sigma converted to voxels per axis,
 * so the window is the same and only the frame of the derivatives differs.
 */
function analyse(
  sampling: Sampling,
  phantom: Phantom,
  withSpacing = true,
): Analysis {
  const spacing = [...sampling.spacing];
  const elements = structureTensor(
    sample(sampling, phantom),
    withSpacing
      ? { sigma: SIGMA, spacing, mode: "nearest" }
      : { sigma: spacing.map((s) => SIGMA / s), mode: "nearest" },
  );
  const eigenvalues = structureTensorEigenvalues(elements);
  return {
    eigenvalues,
    vectors: structureTensorEigenvectors(elements),
    codes: shapeClass(eigenvalues).codes,
  };
}

/** Median angle over the core between rank `rank`'s vector and `truth(p)`. */
function medianError(
  { vectors }: Analysis,
  core: readonly CoreVoxel[],
  rank: number,
  truth: (p: Vec3) => Vec3,
): number {
  return median(
    core.map(({ index, p }) =>
      axisAngle(components(vectors, rank, index), truth(p))
    ),
  );
}

/** Percentage of the core whose shape class is `name`. */
function classShare(
  { codes }: Analysis,
  core: readonly CoreVoxel[],
  name: typeof SHAPE_CLASSES[number],
): number {
  const code = SHAPE_CLASSES.indexOf(name);
  const hits = core.filter(({ index }) => codes.get(...index) === code).length;
  return 100 * hits / core.length;
}

interface Structure {
  label: string;
  sampling: Sampling;
  phantom: Phantom;
  core: CoreVoxel[];
}

function structures(
  label: string,
  make: (sampling: Sampling, k: number) => Phantom,
  count: number,
  reach: number,
): Structure[] {
  return SAMPLINGS.flatMap((sampling) =>
    Array.from({ length: count }, (_, k) => {
      const phantom = make(sampling, k);
      return {
        label: `${sampling.name} ${label} ${k}`,
        sampling,
        phantom,
        core: coreVoxels(sampling, phantom, reach),
      };
    })
  );
}

const tubes = structures(
  "tube",
  (sampling, k) => straightTube(TUBE_AXES[k], boxCentre(sampling), RADIUS),
  TUBE_AXES.length,
  RADIUS / 2,
);
/** Arcs through the box's centre: the circle's centre is BEND away along an in-plane direction. */
const arcs = structures(
  "arc",
  (sampling, k) => {
    const normal = ARC_NORMALS[k];
    const [nz, ny, nx] = normal;
    const [oz, oy, ox] = ARC_OFFSETS[k];
    const inPlane = unit([
      oy * nx - oz * ny,
      oz * nz - ox * nx,
      ox * ny - oy * nz,
    ]);
    const c = boxCentre(sampling);
    return arcTube(
      normal,
      [
        c[0] - BEND * inPlane[0],
        c[1] - BEND * inPlane[1],
        c[2] - BEND * inPlane[2],
      ],
      BEND,
      RADIUS,
    );
  },
  ARC_NORMALS.length,
  RADIUS / 2,
);
const sheets = structures(
  "sheet",
  (sampling, k) => sheet(SHEET_NORMALS[k], boxCentre(sampling), RADIUS),
  SHEET_NORMALS.length,
  RADIUS / 2,
);
const blobs = structures(
  "blob",
  (sampling) => blob(boxCentre(sampling), RADIUS),
  1,
  RADIUS,
);
const analyses = new Map<Structure, Analysis>(
  [...tubes, ...arcs, ...sheets, ...blobs].map((
    s,
  ) => [s, analyse(s.sampling, s.phantom)]),
);
const analysisOf = (s: Structure) => analyses.get(s)!;

Deno.test("cores are non-empty on both samplings", () => {
  for (const s of [...tubes, ...arcs, ...sheets, ...blobs]) {
    assert.ok(s.core.length >= 50, `${s.label}: ${s.core.length} core voxels`);
  }
});

Deno.test("a straight tube's axis is the smallest eigenvalue's vector (rank 2), within 2° median, in the physical frame", () => {
  for (const s of tubes) {
    const error = medianError(
      analysisOf(s),
      s.core,
      2,
      s.phantom.direction as (p: Vec3) => Vec3,
    );
    assert.ok(error <= TOLERANCE, `${s.label}: median ${error.toFixed(3)}°`);
  }
});

Deno.test("a circular-arc tube's rank-2 vector follows the analytic tangent within 2° median", () => {
  for (const s of arcs) {
    const error = medianError(
      analysisOf(s),
      s.core,
      2,
      s.phantom.direction as (p: Vec3) => Vec3,
    );
    assert.ok(error <= TOLERANCE, `${s.label}: median ${error.toFixed(3)}°`);
  }
});

Deno.test("a sheet's normal is the largest eigenvalue's vector (rank 0), within 2° median, in the physical frame", () => {
  for (const s of sheets) {
    const error = medianError(
      analysisOf(s),
      s.core,
      0,
      s.phantom.direction as (p: Vec3) => Vec3,
    );
    assert.ok(error <= TOLERANCE, `${s.label}: median ${error.toFixed(3)}°`);
  }
});

Deno.test("orientationAngles of the tube axis give back the physical axis within 2° median", () => {
  for (const s of tubes) {
    const { azimuth, elevation } = orientationAngles(analysisOf(s).vectors, {
      rank: 2,
    }) as OrientationAngles3d;
    const radians = Math.PI / 180;
    const errors = s.core.map(({ index, p }) => {
      const az = azimuth.get(...index) * radians;
      const el = elevation.get(...index) * radians;
      const direction: Vec3 = [
        Math.sin(el),
        Math.cos(el) * Math.sin(az),
        Math.cos(el) * Math.cos(az),
      ];
      return axisAngle(direction, s.phantom.direction(p)!);
    });
    const error = median(errors);
    assert.ok(error <= TOLERANCE, `${s.label}: median ${error.toFixed(3)}°`);
  }
});

Deno.test("shape classes with the default thresholds: tube cores are pancakes, sheet cores cigars, blob centres spheres, on at least 95%", () => {
  const expected: [Structure[], ShapeClassName][] = [
    [[...tubes, ...arcs], "pancake"],
    [sheets, "cigar"],
    [blobs, "sphere"],
  ];
  for (const [structures, name] of expected) {
    for (const s of structures) {
      const share = classShare(analysisOf(s), s.core, name);
      assert.ok(share >= 95, `${s.label}: ${name} on ${share.toFixed(1)}%`);
    }
  }
});

/** `v` with each component multiplied by `factors[a]`, to unit length. */
const scaledUnit = (v: Vec3, factors: readonly number[]): Vec3 =>
  unit([v[0] * factors[0], v[1] * factors[1], v[2] * factors[2]]);

// Without spacing, derivatives are per voxel: the voxel-frame gradient is
// S·g for the physical g (S = diag(spacing)). A tube along a has g ⟂ a, so
// S·g ⟂ S⁻¹·a: the computed axis is S⁻¹·a; a sheet's gradients are along
// S·n. Both differ from the physical direction unless it lies along z or in
// the X-Y plane (the anisotropic sampling has sy = sx).
Deno.test("without spacing, the anisotropic sampling's directions are the voxel frame's and miss the physical truth by far more than 2°", () => {
  const inverse = ANISOTROPIC.spacing.map((s) => 1 / s);
  const cases = [
    ...tubes.filter((s) => s.sampling === ANISOTROPIC).map((s) => ({
      s,
      rank: 2,
      voxelFrame: (p: Vec3) => scaledUnit(s.phantom.direction(p)!, inverse),
    })),
    ...sheets.filter((s) => s.sampling === ANISOTROPIC).map((s) => ({
      s,
      rank: 0,
      voxelFrame: (p: Vec3) =>
        scaledUnit(s.phantom.direction(p)!, ANISOTROPIC.spacing),
    })),
  ];
  const errors = cases.map(({ s, rank, voxelFrame }) => {
    const voxels = analyse(s.sampling, s.phantom, false);
    const predicted = medianError(voxels, s.core, rank, voxelFrame);
    assert.ok(
      predicted <= TOLERANCE,
      `${s.label}: ${predicted.toFixed(3)}° from S⁻¹a or Sn`,
    );
    return medianError(
      voxels,
      s.core,
      rank,
      s.phantom.direction as (p: Vec3) => Vec3,
    );
  });
  const typical = median(errors);
  assert.ok(
    typical > 4 * TOLERANCE,
    `median of the medians ${typical.toFixed(2)}°: ${
      errors.map((e) => e.toFixed(2))
    }`,
  );
});
