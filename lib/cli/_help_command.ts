/**
 * `stria help`: the usage text on stdout.
 *
 * @module
 */

import { USAGE } from "./_command.ts";

/** Prints the usage; returns 0. */
export function helpCommand(_args: string[]): Promise<number> {
  console.log(USAGE);
  return Promise.resolve(0);
}
