/**
 * Private worker entry: claims and computes slabs of the job it is sent
 * (see `_slabs.ts`), then closes.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { claimSlabs, type SlabMessage } from "./_slabs.ts";

self.onmessage = (event: MessageEvent<SlabMessage>) => {
  claimSlabs(event.data);
  self.close();
};
