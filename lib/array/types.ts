/**
 * Array types shared by every stria module. The public API takes and returns
 * `ndarray` objects (npm:ndarray); hot kernels work on flat typed arrays with
 * explicit strides.
 *
 * @module
 */

export type { NdArray, NdArrayData } from "../deps.ts";

/** Names of the sample types stria reads, computes on and writes. */
export type DType =
  | "uint8"
  | "uint16"
  | "uint32"
  | "int8"
  | "int16"
  | "int32"
  | "float32"
  | "float64";

/** A typed array stria accepts as ndarray storage. */
export type NumericArray =
  | Uint8Array
  | Uint8ClampedArray
  | Uint16Array
  | Uint32Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Float32Array
  | Float64Array;
