import assert from "node:assert/strict";
import fc from "fast-check";
import { type NdArray, ndarray } from "../lib/array/mod.ts";
import {
  type BoundaryMode,
  correlate1d,
  gaussianFilter,
  sobel,
} from "../lib/filters/mod.ts";
import { valuesOf } from "./_reference_fixtures.ts";

const MODES: BoundaryMode[] = [
  "reflect",
  "mirror",
  "nearest",
  "wrap",
  "constant",
];
const mode = fc.constantFrom(...MODES);

/** A random float64 image of 1 to 3 axes, each of length 1 to 7. */
const image = fc.array(fc.integer({ min: 1, max: 7 }), {
  minLength: 1,
  maxLength: 3,
}).chain((shape) =>
  fc.array(fc.double({ min: -10, max: 10, noNaN: true }), {
    minLength: shape.reduce((a, b) => a * b, 1),
    maxLength: shape.reduce((a, b) => a * b, 1),
  }).map((values) => ndarray(Float64Array.from(values), shape))
);

function close(actual: number[], expected: number[], tolerance: number): void {
  const scale = Math.max(1, ...expected.map(Math.abs));
  actual.forEach((v, i) => {
    if (!(Math.abs(v - expected[i]) <= tolerance * scale)) {
      assert.fail(
        `index ${i}: ${v} vs ${
          expected[i]
        } (tolerance ${tolerance} × ${scale})`,
      );
    }
  });
}

Deno.test("gaussianFilter is linear (cval 0)", () => {
  fc.assert(
    fc.property(
      image,
      fc.double({ min: 0, max: 3, noNaN: true }),
      mode,
      fc.double({ min: -3, max: 3, noNaN: true }),
      (x, sigma, m, a) => {
        const y = ndarray(x.data.map((v, i) => Math.sin(v + i)), x.shape);
        const combined = ndarray(
          x.data.map((v, i) => a * v + y.data[i]),
          x.shape,
        );
        const gx = valuesOf(gaussianFilter(x, sigma, { mode: m }));
        const gy = valuesOf(gaussianFilter(y, sigma, { mode: m }));
        close(
          valuesOf(gaussianFilter(combined, sigma, { mode: m })),
          gx.map((v, i) => a * v + gy[i]),
          1e-12,
        );
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("gaussianFilter in wrap mode preserves the mean", () => {
  fc.assert(
    fc.property(
      image,
      fc.double({ min: 0, max: 4, noNaN: true }),
      (x, sigma) => {
        const mean = (values: number[]) =>
          values.reduce((a, b) => a + b, 0) / values.length;
        close([mean(valuesOf(gaussianFilter(x, sigma, { mode: "wrap" })))], [
          mean(valuesOf(x)),
        ], 1e-12);
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("gaussianFilter of a unit impulse reproduces the normalized sampled Gaussian", () => {
  fc.assert(
    fc.property(fc.double({ min: 0.05, max: 4, noNaN: true }), (sigma) => {
      const radius = Math.trunc(4 * sigma + 0.5);
      const n = 2 * radius + 5;
      const impulse = ndarray(new Float64Array(n), [n]);
      impulse.set(radius + 2, 1);
      const out = valuesOf(
        gaussianFilter(impulse, sigma, { mode: "constant" }),
      );
      const taps = out.slice(2, 2 + 2 * radius + 1);
      assert.deepEqual([out[0], out[1], out[n - 2], out[n - 1]], [0, 0, 0, 0]);
      assert.ok(
        taps.every((v) => v > 0),
        "every tap inside the radius is positive",
      );
      close([taps.reduce((a, b) => a + b, 0)], [1], 1e-14);
      const unnormalized = taps.map((_, t) =>
        Math.exp(-0.5 * ((t - radius) / sigma) ** 2)
      );
      const total = unnormalized.reduce((a, b) => a + b, 0);
      close(taps, unnormalized.map((v) => v / total), 1e-14);
      taps.forEach((v, t) => assert.equal(v, taps[taps.length - 1 - t]));
    }),
    { numRuns: 60 },
  );
  // The spec's sigma 1.5 kernel, centre outwards.
  const impulse = ndarray(new Float64Array(13), [13]);
  impulse.set(6, 1);
  const out = valuesOf(gaussianFilter(impulse, 1.5, { mode: "constant" }))
    .slice(6);
  close(out, [
    2.65964257e-01,
    2.12967529e-01,
    1.09341175e-01,
    3.59943481e-02,
    7.59740220e-03,
    1.02819658e-03,
    8.92210686e-05,
  ], 1e-8);
});

Deno.test("gaussianFilter with per-axis sigma equals one axis at a time, in any order", () => {
  fc.assert(
    fc.property(
      image,
      fc.array(fc.double({ min: 0, max: 2.5, noNaN: true }), {
        minLength: 3,
        maxLength: 3,
      }),
      mode,
      (x, s, m) => {
        const ndim = x.shape.length;
        const sigmas = s.slice(0, ndim);
        const together = valuesOf(
          gaussianFilter(x, sigmas, { mode: m, cval: 0.5 }),
        );
        let reversed: NdArray = x;
        for (let axis = ndim - 1; axis >= 0; axis--) {
          const only = sigmas.map((v, d) => (d === axis ? v : 0));
          reversed = gaussianFilter(reversed, only, { mode: m, cval: 0.5 });
        }
        // Constant mode does not commute across axes (cval corners), the others do.
        if (m !== "constant" || ndim === 1) {
          close(
            valuesOf(reversed),
            together,
            1e-12,
          );
        }
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("boundary extension follows each mode's symmetry and period, far beyond the edge", () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: -24, max: 24 }),
      mode,
      (n, shift, m) => {
        const line = ndarray(
          Float64Array.from({ length: n }, (_, i) => 10 + i * i),
          [n],
        );
        // A one-hot kernel of length L with origin 0 reads x[i + t - L/2]: the extension at any offset.
        const extended = (position: number): number => {
          const half = Math.abs(position) + 1;
          const weights = new Float64Array(2 * half + 1);
          weights[half + position] = 1;
          return correlate1d(line, weights, 0, { mode: m, cval: -7 }).get(0);
        };
        const e = extended(shift);
        if (shift >= 0 && shift < n) assert.equal(e, line.get(shift));
        else if (m === "constant") assert.equal(e, -7);
        else if (m === "nearest") {
          assert.equal(
            e,
            line.get(shift < 0 ? 0 : n - 1),
          );
        } else if (m === "wrap") {
          assert.equal(
            e,
            extended(shift < 0 ? shift + n : shift - n),
          );
        } else if (m === "reflect") {
          assert.equal(
            e,
            extended(-1 - shift),
            "half-sample symmetric about -1/2",
          );
          assert.equal(
            e,
            extended(shift < 0 ? shift + 2 * n : shift - 2 * n),
            "period 2n",
          );
        } else if (n === 1) assert.equal(e, line.get(0));
        else {
          assert.equal(e, extended(-shift), "whole-sample symmetric about 0");
          assert.equal(
            e,
            extended(shift < 0 ? shift + 2 * n - 2 : shift - (2 * n - 2)),
            "period 2n-2",
          );
        }
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("sobel is the central difference along its axis, then [1, 2, 1] along the others", () => {
  fc.assert(
    fc.property(image, mode, fc.nat(2), (x, m, a) => {
      const axis = a % x.shape.length;
      let expected: NdArray = correlate1d(x, [-1, 0, 1], axis, {
        mode: m,
        cval: 0.25,
      });
      for (let other = 0; other < x.shape.length; other++) {
        if (other !== axis) {
          expected = correlate1d(expected, [1, 2, 1], other, {
            mode: m,
            cval: 0.25,
          });
        }
      }
      assert.deepEqual(
        valuesOf(sobel(x, axis, { mode: m, cval: 0.25 })),
        valuesOf(expected),
      );
    }),
    { numRuns: 60 },
  );
});

Deno.test("sobel of a ramp of slope g is 2·4^(ndim-1)·g along the ramp and 0 across it", () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 3, max: 6 }), { minLength: 1, maxLength: 4 }),
      fc.nat(3),
      fc.double({ min: -5, max: 5, noNaN: true }),
      (shape, a, g) => {
        const axis = a % shape.length;
        const size = shape.reduce((p, q) => p * q, 1);
        const ramp = ndarray(new Float64Array(size), shape);
        const strides = ramp.stride;
        for (let flat = 0; flat < size; flat++) {
          ramp.data[flat] = g *
            (Math.floor(flat / strides[axis]) % shape[axis]);
        }
        const along = sobel(ramp, axis, { mode: "nearest" });
        const inner = along.lo(...shape.map((_, d) => (d === axis ? 1 : 0))).hi(
          ...shape.map((n, d) => (d === axis ? n - 2 : n)),
        );
        const expected = 2 * 4 ** (shape.length - 1) * g;
        close(valuesOf(inner), valuesOf(inner).map(() => expected), 1e-13);
        for (let other = 0; other < shape.length; other++) {
          if (other === axis) continue;
          assert.ok(
            valuesOf(sobel(ramp, other, { mode: "nearest" })).every((v) =>
              v === 0
            ),
          );
        }
      },
    ),
    { numRuns: 60 },
  );
});
