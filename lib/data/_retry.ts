/**
 * The retry policy of downloads: which failures are transient, and how long to
 * wait before the next attempt (exponential backoff).
 *
 * @module
 */

import { DatasetError } from "./dataset_error.ts";

/** Failures worth another attempt: the network, a stall, a truncated body, 5xx, 408, 429. */
const transientFailures = new WeakSet<DatasetError>();

/** Marks `error` as worth another attempt and returns it. */
export function transient(error: DatasetError): DatasetError {
  transientFailures.add(error);
  return error;
}

/** How many attempts to make and how long to wait between them. */
export interface RetryPolicy {
  /** Further attempts after a transient failure. */
  readonly retries: number;
  /** Wait before the first retry, in ms; doubled after each. */
  readonly retryDelayMs: number;
  /** Stops retrying (rejects with the signal's reason), also while waiting. */
  readonly signal: AbortSignal | undefined;
  /** Receives a notice before each retry. */
  readonly notify: (message: string) => void;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Runs `attempt` until it resolves. A failure marked {@linkcode transient} is
 * retried up to `policy.retries` times, waiting `retryDelayMs * 2^i` after
 * attempt `i`; when none are left it is rethrown with "; gave up after N
 * attempts" appended. Any other failure is rethrown at once.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: () => Promise<T>,
): Promise<T> {
  for (let attemptIndex = 0;; attemptIndex++) {
    policy.signal?.throwIfAborted();
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof DatasetError) || !transientFailures.has(error)) {
        throw error;
      }
      const attemptsMade = attemptIndex + 1;
      if (attemptIndex >= policy.retries) {
        const tries = attemptsMade === 1
          ? "1 attempt"
          : `${attemptsMade} attempts`;
        throw new DatasetError(
          error.code,
          `${error.message}; gave up after ${tries}`,
          { cause: error },
        );
      }
      const delayMs = policy.retryDelayMs * 2 ** attemptIndex;
      policy.notify(
        `stria: ${error.message}; retrying in ${delayMs} ms (attempt ${
          attemptsMade + 1
        } of ${policy.retries + 1})`,
      );
      await sleep(delayMs, policy.signal);
    }
  }
}
