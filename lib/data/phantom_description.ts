/**
 * The description of `kidneyPhantom`'s structures reported in
 * `metadata.phantom`. Coordinates are voxel indices `[z, y, x]`; directions and
 * normals are unit vectors in that index space.
 *
 * @module
 */

/**
 * A point or vector in voxel-index space, `[z, y, x]`.
 *
 * @example
 * ```ts
 * import type { Vec3 } from "./phantom_description.ts";
 *
 * const alongX: Vec3 = [0, 0, 1];
 * if (alongX.join() !== "0,0,1") throw new Error(`${alongX}`);
 * console.log(alongX); // [ 0, 0, 1 ]
 * ```
 */
export type Vec3 = [number, number, number];

/**
 * A straight tubule segment in channel 1: a Gaussian cross-section around its axis.
 *
 * @example
 * ```ts
 * import { kidneyPhantom } from "./kidney_phantom.ts";
 *
 * const tube = kidneyPhantom({ shape: [8, 64, 64] }).metadata.phantom!.tubes[0];
 * if (tube.kind !== "tube" || tube.direction.length !== 3 || tube.probe.length !== 3) throw new Error(tube.kind);
 * console.log(tube.kind, tube.direction.length, tube.probe.length); // tube 3 3
 * ```
 */
export interface PhantomTube {
  /** `"tube"`. */
  readonly kind: "tube";
  /** Channel index (1, the 515 nm channel). */
  readonly channel: 1;
  /** Axis end points. */
  readonly start: Vec3;
  /** Axis end points. */
  readonly end: Vec3;
  /** Unit axis direction, from start to end. */
  readonly direction: Vec3;
  /** Standard deviation of the cross-section profile, in voxels. */
  readonly sigma: number;
  /** Added intensity on the axis. */
  readonly peak: number;
  /** A voxel on the axis as far as possible from the other structures, for checks. */
  readonly probe: Vec3;
}

/**
 * A flat disc (membrane-like sheet) in channel 1: a Gaussian profile across its plane.
 *
 * @example
 * ```ts
 * import { kidneyPhantom } from "./kidney_phantom.ts";
 *
 * const pancake = kidneyPhantom({ shape: [8, 64, 64] }).metadata.phantom!.sheets[0];
 * if (pancake.normal.join() !== "1,0,0") throw new Error(`${pancake.normal}`);
 * console.log(pancake.normal); // [ 1, 0, 0 ]
 * ```
 */
export interface PhantomSheet {
  /** `"sheet"`. */
  readonly kind: "sheet";
  /** Channel index (1, the 515 nm channel). */
  readonly channel: 1;
  /** Centre of the disc. */
  readonly center: Vec3;
  /** Unit normal of the disc's plane. */
  readonly normal: Vec3;
  /** Disc radius, in voxels. */
  readonly radius: number;
  /** Standard deviation of the profile across the plane, in voxels. */
  readonly sigma: number;
  /** Added intensity in the plane. */
  readonly peak: number;
  /** A voxel in the disc as far as possible from the other structures, for checks. */
  readonly probe: Vec3;
}

/**
 * The structure of the tutorial's sample box in channel 1: a column along Z,
 * one pixel wide, through every plane, its brightness changing from plane to
 * plane by `depthProfile`. Its intensity is
 * `peak * depthProfile[z] * exp(-dy²/(2 sy²) - dx²/(2 sx²))`, `dy`, `dx` the
 * distances to `axis` and `[sy, sx] = sigmas`.
 *
 * @example
 * ```ts
 * import { kidneyPhantom } from "./kidney_phantom.ts";
 *
 * const { data, metadata } = kidneyPhantom({ shape: [8, 64, 64] });
 * const [z, y, x] = metadata.phantom!.column.probe;
 * const bright = data.get(z, y, x, 1) > 1000;
 * if (!bright) throw new Error(`${data.get(z, y, x, 1)} on the column`);
 * console.log(metadata.phantom!.column.kind, bright); // column true
 * ```
 */
export interface PhantomColumn {
  /** `"column"`. */
  readonly kind: "column";
  /** Channel index (1, the 515 nm channel). */
  readonly channel: 1;
  /** `[y, x]` of the axis, which runs along Z through every plane. */
  readonly axis: readonly [number, number];
  /** Standard deviations of the cross-section across rows and across columns, in voxels. */
  readonly sigmas: readonly [number, number];
  /** Added intensity on the axis where `depthProfile` is 1. */
  readonly peak: number;
  /** The brightness of every plane relative to `peak`, one value in (0, 1] per Z index. */
  readonly depthProfile: readonly number[];
  /** The voxel on the axis in the first of its brightest planes. */
  readonly probe: Vec3;
}

/**
 * One nucleus in channel 0: an ellipsoidal Gaussian blob.
 *
 * @example
 * ```ts
 * import { kidneyPhantom } from "./kidney_phantom.ts";
 *
 * const { data, metadata } = kidneyPhantom({ shape: [8, 64, 64] });
 * const nucleus = metadata.phantom!.nuclei.items[0];
 * const [z, y, x] = nucleus.center.map(Math.round);
 * const bright = data.get(z, y, x, 0) > 90;
 * if (!bright) throw new Error(`${data.get(z, y, x, 0)} at the nucleus centre`);
 * console.log(bright); // true
 * ```
 */
export interface PhantomNucleus {
  /** Centre. */
  readonly center: Vec3;
  /** Semi-axes along z, y, x, in voxels (the profile is `peak * exp(-2 r^2)`, r = 1 on them). */
  readonly radii: Vec3;
  /** Added intensity at the centre. */
  readonly peak: number;
}

/**
 * The nuclei, channel 0.
 *
 * @example
 * ```ts
 * import { kidneyPhantom } from "./kidney_phantom.ts";
 *
 * const nuclei = kidneyPhantom({ shape: [8, 64, 64] }).metadata.phantom!.nuclei;
 * if (nuclei.channel !== 0 || nuclei.items.length === 0) throw new Error(`${nuclei.items.length} nuclei`);
 * console.log(nuclei.channel, nuclei.items.length > 0); // 0 true
 * ```
 */
export interface PhantomNuclei {
  /** Channel index (0, the 450 nm channel). */
  readonly channel: 0;
  /** Every nucleus. */
  readonly items: readonly PhantomNucleus[];
}

/**
 * What `kidneyPhantom` drew where, and what the structure tensor should find.
 *
 * @example
 * ```ts
 * import { kidneyPhantom } from "./kidney_phantom.ts";
 *
 * const description = kidneyPhantom({ seed: 2, shape: [8, 64, 64] }).metadata.phantom!;
 * const { seed, shape, sheets } = description;
 * if (seed !== 2 || shape.join() !== "8,64,64" || sheets.length !== 2) throw new Error(`${seed} ${shape} ${sheets.length}`);
 * console.log(seed, shape, sheets.length); // 2 [ 8, 64, 64 ] 2
 * ```
 */
export interface KidneyPhantomDescription {
  /** The seed the phantom was made with. */
  readonly seed: number;
  /** Spatial shape `[Z, Y, X]`. */
  readonly shape: Vec3;
  /** How to read the coordinates. */
  readonly coordinates: string;
  /** Tubules in channel 1, all clear of `sampleBox`. */
  readonly tubes: readonly PhantomTube[];
  /** The one structure in `sampleBox`, in channel 1. */
  readonly column: PhantomColumn;
  /** The tutorial's sample box `[lo, hi)` per axis, `[[5, 380, 370], [13, 410, 400]]` at the kidney's shape (scaled for others). */
  readonly sampleBox: readonly [Vec3, Vec3];
  /** Sheets in channel 1; `sheets[0]` is horizontal (normal along z: a "pancake"), `sheets[1]` vertical. */
  readonly sheets: readonly PhantomSheet[];
  /** Nuclei in channel 0. */
  readonly nuclei: PhantomNuclei;
  /** How the background and the other channels are made. */
  readonly background: string;
  /** How the noise is made. */
  readonly noise: string;
  /** Expected structure-tensor eigenvalue signatures (eigenvalues in decreasing order). */
  readonly signatures: { readonly tube: string; readonly sheet: string };
}
