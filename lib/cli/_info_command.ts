/**
 * `stria info FILE [--json]`: a file's axes, shape, data type, voxel size
 * and channels, as text or as JSON.
 *
 * @module
 */

import { parseCommandLine } from "./_arguments.ts";
import { runCommand, USAGE, UsageError } from "./_command.ts";
import { imageInfo, imageLines } from "./_image_info.ts";

/** Runs `stria info` with `args` (those after "info"); returns the exit code. */
export function infoCommand(args: string[]): Promise<number> {
  return runCommand("info", async () => {
    const line = parseCommandLine(args, {
      command: "info",
      operands: ["FILE"],
      strings: [],
      booleans: ["json"],
    });
    if (line.help) {
      console.log(USAGE);
      return 0;
    }
    const path = line.operands.FILE;
    let info;
    try {
      info = await imageInfo(path);
    } catch (error) {
      throw new UsageError(
        error instanceof Deno.errors.NotFound
          ? `info: ${path}: no such file`
          : (error as Error).message,
      );
    }
    if (line.booleans.json) {
      console.log(JSON.stringify({ path, ...info }, null, 2));
      return 0;
    }
    const lines = [`file      ${path}`];
    if ("arrays" in info) {
      lines.push(`format    ${info.format}`);
      if (info.blocks !== undefined) {
        lines.push(`blocks    ${info.blocks}, complete`);
      }
      for (const [name, image] of Object.entries(info.arrays)) {
        lines.push("", `array     ${name}`, ...imageLines(image));
      }
    } else {
      lines.push(...imageLines(info));
    }
    console.log(lines.join("\n"));
    return 0;
  });
}
