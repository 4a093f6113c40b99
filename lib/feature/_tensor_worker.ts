/**
 * Private worker entry: serves the structure tensor's kernel to the
 * process's worker pool (`lib/parallel/_units.ts`).
 *
 * @module
 */

import { serveUnits } from "../parallel/_units.ts";
import { featureKernel } from "./_tensor_kernel.ts";

serveUnits(featureKernel);
