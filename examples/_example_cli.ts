/**
 * What every example shares (a private module: the gallery lists only files
 * without a leading `_`): its command line and the volume it runs on.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { DatasetError, kidney, kidneyPhantom } from "../mod.ts";

/**
 * The example's options: `--synthetic` (the stand-in instead of the kidney)
 * and `--out DIR` (default `defaultOut`), with a path maker for its figures.
 */
export function exampleArguments(defaultOut: string): {
  synthetic: boolean;
  outDir: string;
  figurePath: (name: string) => string;
} {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      synthetic: { type: "boolean", default: false },
      out: { type: "string", default: defaultOut },
    },
  });
  const outDir = values.out;
  return {
    synthetic: values.synthetic,
    outDir,
    figurePath: (name) => `${outDir}/${name}`,
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
