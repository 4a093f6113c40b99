/**
 * Private worker entry: claims and computes units of the job it is sent
 * (see `_slabs.ts`), then closes.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { claimUnits, type SlabMessage } from "./_slabs.ts";

self.onmessage = (event: MessageEvent<SlabMessage>) => {
  claimUnits(event.data);
  self.close();
};
