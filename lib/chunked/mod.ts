/**
 * Out-of-core processing of volumes larger than memory: structure-tensor
 * eigenvalues computed block of planes by block of planes from a multi-page
 * TIFF and streamed to a TIFF, identical to the whole-volume result.
 *
 * @module
 */

export * from "./structure_tensor_eigenvalues_tiff.ts";
