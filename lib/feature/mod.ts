/**
 * Features: the structure tensor and its eigenvalues, as scikit-image, and
 * the `…Async` forms of the multi-threaded calls, computed on worker threads
 * while the event loop stays free.
 *
 * @module
 */

export type { TensorWindowOptions } from "./tensor_window_options.ts";
export {
  structureTensor,
  structureTensorAsync,
  type StructureTensorOptions,
} from "./structure_tensor.ts";
export {
  structureTensorEigenvalues,
  structureTensorEigenvaluesAsync,
  type StructureTensorEigenvaluesOptions,
} from "./structure_tensor_eigenvalues.ts";
export {
  structureTensorEigenvaluesOfImage,
  structureTensorEigenvaluesOfImageAsync,
  type StructureTensorEigenvaluesOfImageOptions,
} from "./structure_tensor_eigenvalues_of_image.ts";
export { fractionalAnisotropy } from "./fractional_anisotropy.ts";
export { type WestinMeasures, westinMeasures } from "./westin_measures.ts";
export { coherence } from "./coherence.ts";
export {
  SHAPE_CLASSES,
  shapeClass,
  type ShapeClassName,
  type ShapeClassOptions,
  type ShapeClassResult,
} from "./shape_class.ts";
export {
  orientationAngles,
  type OrientationAngles2d,
  type OrientationAngles3d,
  type OrientationAnglesOptions,
} from "./orientation_angles.ts";
export {
  structureTensorEigenvectors,
  structureTensorEigenvectorsAsync,
} from "./structure_tensor_eigenvectors.ts";
export {
  ANALYSIS_OUTPUTS,
  type AnalysisOutput,
  type StructureTensorAnalysis,
  structureTensorAnalysis,
  structureTensorAnalysisAsync,
  type StructureTensorAnalysisOptions,
} from "./structure_tensor_analysis.ts";
