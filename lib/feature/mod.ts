/**
 * Features: the structure tensor and its eigenvalues, as scikit-image.
 *
 * @module
 */

export {
  structureTensor,
  type StructureTensorOptions,
} from "./structure_tensor.ts";
export { structureTensorEigenvalues } from "./structure_tensor_eigenvalues.ts";
