/**
 * Private worker entry: serves the structure tensor's kernel to the parallel
 * layer (`lib/parallel/_units.ts`).
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { serveUnits } from "../parallel/_units.ts";
import { featureKernel } from "./_tensor_kernel.ts";

serveUnits(featureKernel);
