/** Assertions for the gallery tests, re-exported from node:assert/strict. */

import assertModule from "node:assert/strict";

/** Fails with `message` unless `condition` holds. */
export function assert(
  condition: unknown,
  message?: string,
): asserts condition {
  assertModule.ok(condition, message);
}

/** Fails unless `actual` deep-equals `expected`. */
export function assertEquals<T>(
  actual: unknown,
  expected: T,
  message?: string,
): asserts actual is T {
  assertModule.deepStrictEqual(actual, expected, message);
}
