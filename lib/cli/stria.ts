/**
 * The `stria` command line: `stria info FILE`, `stria analyze INPUT OUTPUT
 * [options]`, `stria finalize OUTPUT`, `stria slurm INPUT OUTPUT --tasks N`,
 * `stria help`. Run it with
 *
 * ```sh
 * deno run --allow-read --allow-write --allow-env --allow-sys --allow-run lib/cli/stria.ts help
 * ```
 *
 * or install it as `stria` with `deno install -g -n stria --allow-read
 * --allow-write --allow-env --allow-sys --allow-run lib/cli/stria.ts`
 * (`--allow-run` only for `stria slurm`, which runs sbatch, squeue and
 * scancel).
 *
 * @module
 */

import { analyzeCommand } from "./_analyze_command.ts";
import { runCommand, UsageError } from "./_command.ts";
import { finalizeCommand } from "./_finalize_command.ts";
import { helpCommand } from "./_help_command.ts";
import { infoCommand } from "./_info_command.ts";
import { slurmCommand } from "./_slurm_command.ts";

/** The subcommands by name: each takes the arguments after its name and returns the exit code. */
export const COMMANDS: Readonly<
  Record<string, (args: string[]) => Promise<number>>
> = {
  info: infoCommand,
  analyze: analyzeCommand,
  finalize: finalizeCommand,
  slurm: slurmCommand,
  help: helpCommand,
};

/**
 * Runs the command line `args` (`Deno.args`): the subcommand it names, or
 * the usage for `--help`, `-h` or nothing; returns the exit code.
 *
 * @example
 * ```ts
 * import { stria } from "./stria.ts";
 * const code = await stria(["frobnicate"]); // prints the error, the usage line and a hint on stderr
 * console.log(code); // 2
 * ```
 */
export function stria(args: readonly string[]): Promise<number> {
  const [name, ...rest] = args;
  if (name === undefined || name === "--help" || name === "-h") {
    return helpCommand(rest);
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    return runCommand(undefined, () => {
      throw new UsageError(
        `unknown command ${JSON.stringify(name)} (one of ${
          Object.keys(COMMANDS).join(", ")
        })`,
      );
    });
  }
  return COMMANDS[name](rest);
}

if (import.meta.main) Deno.exit(await stria(Deno.args));
