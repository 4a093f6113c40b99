/**
 * `stria finalize OUTPUT`: checks that every block of a store written by
 * `stria analyze --tasks N --task I` is done, then marks it complete.
 *
 * @module
 */

import { finalizeBlockStore } from "../zarr/_block_store.ts";
import { parseCommandLine } from "./_arguments.ts";
import { runCommand, USAGE } from "./_command.ts";

/** Runs `stria finalize` with `args` (those after "finalize"); returns the exit code. */
export function finalizeCommand(args: string[]): Promise<number> {
  return runCommand("finalize", async () => {
    const line = parseCommandLine(args, {
      command: "finalize",
      operands: ["OUTPUT"],
      strings: [],
      booleans: [],
    });
    if (line.help) {
      console.log(USAGE);
      return 0;
    }
    const output = line.operands.OUTPUT;
    const count = await finalizeBlockStore("finalize", output);
    console.log(`${output}: complete (${count} blocks)`);
    return 0;
  });
}
