/**
 * Test helpers comparing flat arrays: bit-identical values, and the largest
 * difference relative to the reference's largest magnitude.
 *
 * @module
 */

import assert from "node:assert/strict";

/** Fails at the first index where `actual` and `expected` differ (Object.is: -0 ≠ 0, NaN = NaN). */
export function assertSameValues(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  label: string,
): void {
  assert.equal(actual.length, expected.length, label);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      assert.fail(`${label}: index ${i}: ${actual[i]} !== ${expected[i]}`);
    }
  }
}

/** max |actual - expected| / max |expected|. */
export function relativeError(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
): number {
  let diff = 0;
  let largest = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    largest = Math.max(largest, Math.abs(expected[i]));
  }
  return diff / largest;
}
