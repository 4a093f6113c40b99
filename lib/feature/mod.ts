/**
 * Features: the structure tensor and its eigenvalues, as scikit-image.
 *
 * @module
 */

export {
  structureTensor,
  type StructureTensorOptions,
} from "./structure_tensor.ts";
export {
  structureTensorEigenvalues,
  type StructureTensorEigenvaluesOptions,
} from "./structure_tensor_eigenvalues.ts";
export {
  structureTensorEigenvaluesOfImage,
  type StructureTensorEigenvaluesOfImageOptions,
} from "./structure_tensor_eigenvalues_of_image.ts";
