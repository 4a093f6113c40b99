/**
 * Private: the one driver of the 3-D structure tensor. For a unit of work
 * (output planes [z0, z1) of one band of rows, see `_tensor_plan.ts`) it
 * walks the planes, keeps a window of the Sobel derivatives of the
 * `2·radius + 1` planes the Z Gaussian reads (each computed once per band,
 * found through the boundary rule), and has a backend run the passes:
 *
 * 1. `derivatives`: SciPy's `sobel` along Z, Y and X of one input plane;
 * 2. `productsAlongZ`: the six products `d_i · d_j` fused with the Z pass;
 * 3. `smoothRows`: the Y and X passes of the six sums;
 * 4. `store`: the six entries and/or their eigenvalues, for one output plane.
 *
 * Backends: the JavaScript kernels (`_tensor_backend_js.ts`) and the
 * WebAssembly SIMD kernels (`_tensor_backend_simd.ts`). Both keep SciPy's
 * pass order and summation order, and rows or planes outside the volume
 * follow the boundary rule of each intermediate array (cval in constant
 * mode), so every unit equals the whole-volume computation bit for bit.
 *
 * @module
 */

import { sourceIndex } from "../filters/_boundary.ts";
import {
  type Band,
  bandOf,
  type TensorJob,
  type TensorPlan,
} from "./_tensor_plan.ts";

/** The passes of one backend, for one unit of work at a time. */
export interface TensorBackend<Slot> {
  /** Starts a band: the rows its passes read change. */
  beginBand(band: Band): void;
  /** Slots for the three derivatives of one plane each, on any band's rows: one per plane of the Z window. */
  readonly derivativeSlots: readonly Slot[];
  /**
   * The derivatives of input plane `s` into `slot`; `below` and `above` are
   * its boundary-mapped neighbours along Z (-1: outside, cval).
   */
  derivatives(s: number, below: number, above: number, slot: Slot): void;
  /** Products and Z pass: `window[t]` holds plane `z - radius + t` (null: outside, cval). */
  productsAlongZ(window: readonly (Slot | null)[]): void;
  /** The Y and X passes of the six sums onto the band's output rows. */
  smoothRows(): void;
  /** Stores the band's results for output plane `plane` (counted from `outputPlanes[0]`). */
  store(plane: number): void;
}

/**
 * Per-plane buffers kept while the planes that need them are near: slots of
 * planes no longer wanted go back to a pool, so each band reuses a fixed
 * set of buffers.
 */
export class PlaneCache<Slot> {
  #slots = new Map<number, Slot>();
  #spare: Slot[];
  #make: () => Slot;

  /** Slots come from `spare` first, then from `make` (absent: there are no more). */
  constructor(spare: Slot[], make?: () => Slot) {
    this.#spare = spare;
    this.#make = make ?? (() => {
      throw new Error("internal: no plane slot left");
    });
  }

  /** Keeps only the planes in `keep`, recycling the other slots. */
  retain(keep: readonly number[]): void {
    for (const [plane, slot] of this.#slots) {
      if (!keep.includes(plane)) {
        this.#slots.delete(plane);
        this.#spare.push(slot);
      }
    }
  }

  /** Recycles every slot (a new band). */
  clear(): void {
    this.retain([]);
  }

  /** The slot of plane `s`, filled by `fill` on first use. */
  get(s: number, fill: (slot: Slot) => void): Slot {
    let slot = this.#slots.get(s);
    if (slot === undefined) {
      slot = this.#spare.pop() ?? this.#make();
      fill(slot);
      this.#slots.set(s, slot);
    }
    return slot;
  }
}

/**
 * Runs output planes [z0, z1) of bands [b0, b1) of `plan` on `backend`
 * (a thread's unit of work is one band; tests run many).
 */
export function runTensorBands<Slot>(
  job: TensorJob,
  plan: TensorPlan,
  backend: TensorBackend<Slot>,
  [z0, z1]: readonly [number, number],
  [b0, b1]: readonly [number, number],
): void {
  const { mode } = job;
  const nz = job.shape[0];
  const first = job.outputPlanes[0];
  const { radius } = plan;
  const window = new Array<Slot | null>(2 * radius + 1);
  const sources = new Array<number>(2 * radius + 1);
  const derivatives = new PlaneCache([...backend.derivativeSlots]);
  const fill = (s: number) => (slot: Slot) =>
    backend.derivatives(
      s,
      sourceIndex(s - 1, nz, mode),
      sourceIndex(s + 1, nz, mode),
      slot,
    );
  for (let b = b0; b < b1; b++) {
    derivatives.clear();
    backend.beginBand(bandOf(job, plan, b));
    for (let z = z0; z < z1; z++) {
      for (let t = 0; t < sources.length; t++) {
        sources[t] = sourceIndex(z - radius + t, nz, mode);
      }
      derivatives.retain(sources);
      for (let t = 0; t < sources.length; t++) {
        const s = sources[t];
        window[t] = s < 0 ? null : derivatives.get(s, fill(s));
      }
      backend.productsAlongZ(window);
      backend.smoothRows();
      backend.store(z - first);
    }
  }
}
