/**
 * Phantoms of known geometry for the orientation ground-truth tests: smooth
 * tubes (straight and bent into a circular arc), sheets and blobs, given in
 * physical coordinates (µm) and sampled on a voxel grid of any spacing,
 * each with its true direction and its distance from the structure's centre
 * (axis, mid-plane or centre point) at every point.
 *
 * Vectors are `[z, y, x]`, as the eigenvector components; the physical
 * position of voxel `(i, j, k)` is `(i·sz, j·sy, k·sx)`.
 *
 * @module
 */

import { type NdArray, ndarray } from "../lib/deps.ts";
import { mulberry32, uniformSource } from "../lib/data/_prng.ts";

/** A 3-vector, components in axis order (z, y, x). */
export type Vec3 = readonly [number, number, number];

/** A voxel grid: its shape and a voxel's physical size along each axis (µm). */
export interface Sampling {
  name: string;
  shape: Vec3;
  spacing: Vec3;
}

/** A structure of known geometry in physical space. */
export interface Phantom {
  /** Intensity at a physical point, in [0, 1]. */
  intensity(p: Vec3): number;
  /** The true axis at a physical point: the tube's tangent, the sheet's normal (null for a blob). */
  direction(p: Vec3): Vec3 | null;
  /** Distance from the tube's axis curve, the sheet's mid-plane, or the blob's centre (µm). */
  distance(p: Vec3): number;
}

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const norm = (a: Vec3) => Math.hypot(a[0], a[1], a[2]);

/** `a` scaled to unit length. */
export const unit = (a: Vec3): Vec3 => scale(a, 1 / norm(a));

/** `count` unit vectors uniform on the sphere from `seed` (z uniform in [-1, 1], azimuth uniform). */
export function randomDirections(seed: number, count: number): Vec3[] {
  const next = uniformSource(mulberry32(seed));
  return Array.from({ length: count }, () => {
    const z = 2 * next() - 1;
    const phi = 2 * Math.PI * next();
    const r = Math.sqrt(1 - z * z);
    return [z, r * Math.sin(phi), r * Math.cos(phi)] as Vec3;
  });
}

/** The angle in degrees between the axes of `a` and `b` (sign ignored), in [0, 90]. */
export function axisAngle(a: readonly number[], b: readonly number[]): number {
  const [u, v] = [a, b] as [Vec3, Vec3];
  const cosine = Math.min(1, Math.abs(dot(u, v)) / (norm(u) * norm(v)));
  return Math.acos(cosine) * 180 / Math.PI;
}

/** The physical centre of a sampling's box. */
export const boxCentre = ({ shape, spacing }: Sampling): Vec3 =>
  [0, 1, 2].map((a) => (shape[a] - 1) / 2 * spacing[a]) as unknown as Vec3;

/** The phantom's intensity at every voxel centre of the sampling, as float64. */
export function sample(
  sampling: Sampling,
  phantom: Phantom,
): NdArray<Float64Array> {
  const [nz, ny, nx] = sampling.shape;
  const [sz, sy, sx] = sampling.spacing;
  const data = new Float64Array(nz * ny * nx);
  let k = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        data[k++] = phantom.intensity([z * sz, y * sy, x * sx]);
      }
    }
  }
  return ndarray(data, [nz, ny, nx]);
}

/** Gaussian profile of standard deviation `width` at distance `d`. */
const profile = (d: number, width: number) =>
  Math.exp(-d * d / (2 * width * width));

/** A straight tube through `centre` along unit `axis`, Gaussian cross-section of standard deviation `radius`. */
export function straightTube(
  axis: Vec3,
  centre: Vec3,
  radius: number,
): Phantom {
  const distance = (p: Vec3) => {
    const q = sub(p, centre);
    return norm(sub(q, scale(axis, dot(q, axis))));
  };
  return {
    intensity: (p) => profile(distance(p), radius),
    direction: () => axis,
    distance,
  };
}

/**
 * A tube along the circle of radius `bend` about unit `normal` through
 * `centre`, Gaussian cross-section of standard deviation `radius`. The
 * direction at `p` is the circle's tangent `normal × q/|q|` at the nearest
 * circle point, `q` being `p - centre` projected onto the circle's plane.
 */
export function arcTube(
  normal: Vec3,
  centre: Vec3,
  bend: number,
  radius: number,
): Phantom {
  const inPlane = (p: Vec3): [Vec3, number] => {
    const q = sub(p, centre);
    const h = dot(q, normal);
    return [sub(q, scale(normal, h)), h];
  };
  const distance = (p: Vec3) => {
    const [q, h] = inPlane(p);
    return Math.hypot(norm(q) - bend, h);
  };
  return {
    intensity: (p) => profile(distance(p), radius),
    direction: (p) => unit(cross(normal, inPlane(p)[0])),
    distance,
  };
}

/** A slab through `centre` with unit `normal`, Gaussian profile of standard deviation `halfThickness`. */
export function sheet(
  normal: Vec3,
  centre: Vec3,
  halfThickness: number,
): Phantom {
  const distance = (p: Vec3) => Math.abs(dot(sub(p, centre), normal));
  return {
    intensity: (p) => profile(distance(p), halfThickness),
    direction: () => normal,
    distance,
  };
}

/** An isotropic Gaussian blob of standard deviation `radius` at `centre`. */
export function blob(centre: Vec3, radius: number): Phantom {
  const distance = (p: Vec3) => norm(sub(p, centre));
  return {
    intensity: (p) => profile(distance(p), radius),
    direction: () => null,
    distance,
  };
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
