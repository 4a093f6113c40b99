/**
 * The value `kidney()` and `kidneyPhantom()` both return.
 *
 * @module
 */

import type { NdArray } from "../deps.ts";
import type { KidneyPhantomDescription } from "./phantom_description.ts";

/**
 * Facts about a kidney volume: physical scale, channels, provenance.
 *
 * @example
 * ```ts
 * import { kidneyPhantom } from "./kidney_phantom.ts";
 *
 * const { metadata } = kidneyPhantom({ shape: [4, 32, 32] });
 * const { Z, X } = metadata.physicalSizes;
 * const anisotropy = Z / X;
 * if (anisotropy !== 1.25 / 1.24 || metadata.physicalUnit !== "µm") throw new Error(`${anisotropy}`);
 * console.log(anisotropy, metadata.physicalUnit); // 1.0080645161290323 µm
 * ```
 */
export interface KidneyMetadata {
  /** Voxel size per spatial axis, in `physicalUnit`. */
  readonly physicalSizes: {
    readonly Z: number;
    readonly Y: number;
    readonly X: number;
  };
  /** Unit of `physicalSizes`: `"µm"`. */
  readonly physicalUnit: string;
  /** One name per channel (last axis), e.g. `"515 nm emission"`. */
  readonly channelNames: readonly string[];
  /** What the data shows. */
  readonly description: string;
  /** License identifier of the data. */
  readonly license: string;
  /** How to credit the data. */
  readonly citation: string;
  /** Axes of the file as read (`kidney()` only), before the channel axis was moved last. */
  readonly fileAxes?: string;
  /** The TIFF's own metadata as `readTiff` reported it (`kidney()` only). */
  readonly tiff?: unknown;
  /** Where each synthetic structure is (`kidneyPhantom()` only). */
  readonly phantom?: KidneyPhantomDescription;
}

/**
 * A kidney volume: 16 x 512 x 512 x 3 uint16, axes Z, Y, X, channel.
 *
 * @example
 * ```ts
 * import type { KidneyVolume } from "./kidney_volume.ts";
 * import { kidneyPhantom } from "./kidney_phantom.ts";
 *
 * const volume: KidneyVolume = kidneyPhantom({ shape: [4, 32, 32] });
 * const channel1 = volume.data.pick(null, null, null, 1); // Z, Y, X view of channel 1
 * if (channel1.shape.join() !== "4,32,32" || !volume.source.synthetic) throw new Error(`${channel1.shape}`);
 * console.log(channel1.shape, volume.source.synthetic); // [ 4, 32, 32 ] true
 * ```
 */
export interface KidneyVolume {
  /** C-contiguous samples, shape `[16, 512, 512, 3]` (or the phantom's shape). */
  readonly data: NdArray<Uint16Array>;
  /** Always `"ZYXC"`. */
  readonly axes: "ZYXC";
  /** Scale, channels, provenance. */
  readonly metadata: KidneyMetadata;
  /** Where the values came from. */
  readonly source: {
    /** `"kidney"`, or `"kidney-phantom (synthetic)"`. */
    readonly name: string;
    /** The cached file read, or null for synthetic data. */
    readonly path: string | null;
    /** sha256 of the file (`kidney()`), or of the values in C order as little-endian bytes (phantom). */
    readonly sha256: string;
    /** True for the synthetic stand-in. */
    readonly synthetic: boolean;
  };
}
