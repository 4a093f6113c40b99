/**
 * What every example shares (a private module: the gallery lists only files
 * without a leading `_`): its command line and the volume it runs on.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { DatasetError, kidney, kidneyPhantom } from "../mod.ts";

/**
 * Further options of one example, beyond `--synthetic` and `--out`: string
 * options by name, and the usage text that `--help` prints.
 *
 * @example
 * ```ts
 * import type { ExampleOptions } from "./_example_cli.ts";
 *
 * const extra: ExampleOptions<"input"> = {
 *   usage: "Usage: deno run examples/NAME.ts [--input FILE] [--out DIR]",
 *   strings: ["input"],
 * };
 * console.log(extra.strings); // ["input"]
 * ```
 */
export interface ExampleOptions<Name extends string> {
  /** The usage text: printed to stdout by `--help` (exit 0), to stderr after a bad command line (exit 2). */
  usage: string;
  /** Names of string-valued options, e.g. `["input", "sigma"]` for `--input FILE --sigma S`. */
  strings: readonly Name[];
}

/**
 * The example's options: `--synthetic` (the stand-in instead of the kidney)
 * and `--out DIR` (default `defaultOut`), with a path maker for its figures.
 * With `extra`, also its string options (`values`), `--help`, and a clean
 * usage error (message and usage on stderr, exit 2, no stack trace) for an
 * unknown option or, through `usageError`, a bad value; without it, the
 * command line is parsed as before (`parseArgs` throws on anything else).
 *
 * @example
 * ```ts
 * import { exampleArguments } from "./_example_cli.ts";
 *
 * // With no arguments on the command line: the defaults.
 * const { outDir, figurePath, values } = exampleArguments("figures", {
 *   usage: "Usage: deno run examples/NAME.ts [--input FILE] [--out DIR]",
 *   strings: ["input"],
 * });
 * console.log(outDir, figurePath("map.svg"), values.input); // figures figures/map.svg undefined
 * ```
 */
export function exampleArguments<Name extends string = never>(
  defaultOut: string,
  extra?: ExampleOptions<Name>,
): {
  synthetic: boolean;
  outDir: string;
  figurePath: (name: string) => string;
  values: Partial<Record<Name, string>>;
  usageError: (message: string) => never;
} {
  const options = {
    synthetic: { type: "boolean", default: false },
    out: { type: "string", default: defaultOut },
  } as const;
  const usageError = (message: string): never => {
    console.error(`${message}\n\n${extra?.usage ?? ""}`.trimEnd());
    Deno.exit(2);
  };
  if (extra === undefined) {
    const { values } = parseArgs({ args: Deno.args, options });
    return commandLine(values.synthetic, values.out, {}, usageError);
  }
  const strings = Object.fromEntries(
    extra.strings.map((name) => [name, { type: "string" } as const]),
  );
  let parsed;
  try {
    parsed = parseArgs({
      args: Deno.args,
      options: { ...strings, ...options, help: { type: "boolean" } },
    });
  } catch (error) {
    return usageError((error as Error).message);
  }
  if (parsed.values.help) {
    console.log(extra.usage);
    Deno.exit(0);
  }
  const { synthetic, out, help: _, ...rest } = parsed.values;
  return commandLine(
    synthetic as boolean,
    out as string,
    rest as Partial<Record<Name, string>>,
    usageError,
  );
}

/** The parsed command line with its figure path maker. */
function commandLine<Name extends string>(
  synthetic: boolean,
  outDir: string,
  values: Partial<Record<Name, string>>,
  usageError: (message: string) => never,
) {
  return {
    synthetic,
    outDir,
    figurePath: (name: string) => `${outDir}/${name}`,
    values,
    usageError,
  };
}

/**
 * The kidney volume, or with `synthetic` its stand-in; when the download
 * fails, a clean exit that says how to get it (or to go synthetic).
 */
export async function exampleVolume(synthetic: boolean) {
  if (synthetic) return kidneyPhantom({ seed: 0 });
  try {
    return await kidney();
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
    console.error(
      `${error.message}\nTo run offline on the synthetic stand-in instead, add --synthetic.`,
    );
    Deno.exit(1);
  }
}
