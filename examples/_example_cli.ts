/**
 * What every example shares (a private module: the gallery lists only files
 * without a leading `_`): its command line, its usage text, and the image it
 * runs on (the kidney, its stand-in, or the user's TIFF).
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  DatasetError,
  kidney,
  kidneyPhantom,
  type KidneyPhantomDescription,
  type NdArray,
  readTiff,
} from "../mod.ts";

/** The environment variable that selects the stand-in as `--synthetic` does (notebooks have no command line). */
export const SYNTHETIC_VARIABLE = "STRIA_SYNTHETIC";

/**
 * Further options of one example, beyond `--synthetic`, `--out` and
 * `--help`: string options by name, and the usage text that `--help` prints.
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
 * Whether `STRIA_SYNTHETIC` asks for the stand-in: set to anything but `""`
 * or `"0"`. Without `--allow-env=STRIA_SYNTHETIC` it is not read (and so
 * asks for nothing): the stand-in then needs `--synthetic`.
 *
 * @example
 * ```ts
 * import { syntheticFromEnvironment } from "./_example_cli.ts";
 *
 * Deno.env.set("STRIA_SYNTHETIC", "1");
 * console.log(syntheticFromEnvironment()); // true
 * Deno.env.set("STRIA_SYNTHETIC", "0");
 * console.log(syntheticFromEnvironment()); // false
 * ```
 */
export function syntheticFromEnvironment(): boolean {
  const permission = Deno.permissions.querySync({
    name: "env",
    variable: SYNTHETIC_VARIABLE,
  });
  if (permission.state !== "granted") return false;
  const value = Deno.env.get(SYNTHETIC_VARIABLE);
  return value !== undefined && value !== "" && value !== "0";
}

/**
 * An example's usage text: `head` (the command and what the example does),
 * its own `options` as `[flag, description]` rows, then the options every
 * example shares (`--out`, `--synthetic`, `--help`) and the environment
 * variable `STRIA_SYNTHETIC`.
 *
 * @example
 * ```ts
 * import { exampleUsage } from "./_example_cli.ts";
 *
 * const usage = exampleUsage("Usage: deno run examples/NAME.ts [options]\n\nWhat it does.", "name_figures", [
 *   ["--input FILE", "a TIFF"],
 * ]);
 * console.log(usage.split("\n")[4]); //   --input FILE   a TIFF
 * ```
 */
export function exampleUsage(
  head: string,
  defaultOut: string,
  options: readonly (readonly [string, string])[],
): string {
  const rows: [string, string][] = [
    ...options.map(([flag, text]) => [flag, text] as [string, string]),
    ["--out DIR", `folder for the figures (default ${defaultOut})`],
    [
      "--synthetic",
      "run on the synthetic stand-in (no download, no --input)",
    ],
    ["--help", "print this text"],
  ];
  const width = Math.max(...rows.map(([flag]) => flag.length)) + 3;
  // Each description wrapped at 80 columns, continued under its first word.
  const lines = rows.map(([flag, text]) => {
    const wrapped = [""];
    for (const word of text.split(/\s+/)) {
      const last = wrapped.length - 1;
      if (
        wrapped[last] && 2 + width + wrapped[last].length + word.length >= 80
      ) {
        wrapped.push(word);
      } else wrapped[last] = wrapped[last] ? `${wrapped[last]} ${word}` : word;
    }
    return `  ${flag.padEnd(width)}${wrapped.join(`\n  ${" ".repeat(width)}`)}`;
  });
  return `${head}

Options:
${lines.join("\n")}

Environment:
  ${SYNTHETIC_VARIABLE}=1   as --synthetic (for notebooks); read only with
                      --allow-env=${SYNTHETIC_VARIABLE}; --input takes precedence`;
}

/**
 * The example's options: `--synthetic` (or `STRIA_SYNTHETIC=1`: the
 * stand-in instead of the kidney), `--out DIR` (default `defaultOut`), with a
 * path maker for its figures, its string options `extra.strings` (`values`)
 * and `--help`; and a clean usage error (message and usage on stderr, exit 2,
 * no stack trace) for an unknown option or, through `usageError`, a bad value.
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
  extra: ExampleOptions<Name>,
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
    console.error(`${message}\n\n${extra.usage}`);
    Deno.exit(2);
  };
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
  const values = rest as Partial<Record<Name, string>>;
  const input = (values as Record<string, string | undefined>).input;
  if (synthetic && input !== undefined) {
    usageError("--synthetic and --input exclude each other");
  }
  const outDir = out as string;
  return {
    synthetic: input === undefined &&
      (synthetic as boolean || syntheticFromEnvironment()),
    outDir,
    figurePath: (name: string) => `${outDir}/${name}`,
    values,
    usageError,
  };
}

/**
 * `--option`'s text as an index 0, 1, 2..., or a usage error naming it.
 *
 * @example
 * ```ts
 * import { indexOption } from "./_example_cli.ts";
 *
 * const fail = (message: string): never => { throw new Error(message); };
 * console.log(indexOption("channel", "2", fail)); // 2
 * ```
 */
export function indexOption(
  option: string,
  text: string,
  usageError: (message: string) => never,
): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value)) {
    usageError(`--${option}: expected an index 0, 1, 2..., got "${text}"`);
  }
  return value;
}

/**
 * `--sigma`'s text, one positive number or one per axis separated by commas
 * (`"1.5"` or `"1,1.5,2.5"` for 3 axes), as one number per axis; undefined
 * when the option was not given.
 *
 * @example
 * ```ts
 * import { sigmaOption } from "./_example_cli.ts";
 *
 * const fail = (message: string): never => { throw new Error(message); };
 * console.log(sigmaOption("2", 3, fail), sigmaOption("1,1.5,2.5", 3, fail)); // [ 2, 2, 2 ] [ 1, 1.5, 2.5 ]
 * ```
 */
export function sigmaOption(
  text: string | undefined,
  axes: number,
  usageError: (message: string) => never,
): number[] | undefined {
  if (text === undefined) return undefined;
  const parts = text.split(",");
  const values = parts.map(Number);
  const positive = values.every((v, i) =>
    parts[i].trim() !== "" && v > 0 && v < Infinity
  );
  if (!positive || (parts.length !== 1 && parts.length !== axes)) {
    usageError(
      `--sigma: expected a positive number or ${axes} of them separated by commas, got "${text}"`,
    );
  }
  return values.length === 1 ? new Array(axes).fill(values[0]) : values;
}

/** A box `[lo, hi)` per axis, outermost axis first. */
export interface Crop {
  /** First index per axis. */
  lo: number[];
  /** One past the last index per axis. */
  hi: number[];
}

const AXIS_NAMES: Record<string, string> = {
  Z: "planes",
  Y: "rows",
  X: "columns",
};

/**
 * `--crop`'s text, `z0:z1,y0:y1,x0:x1` (or `y0:y1,x0:x1` for 2-D; an empty
 * bound means the edge, as in Python: `:8,100:,:`), as a box inside `shape`
 * (axes named by `axes`, e.g. "ZYX"); `fallback` when the option was not
 * given. A box that is empty or leaves the image is a usage error.
 *
 * @example
 * ```ts
 * import { cropOption } from "./_example_cli.ts";
 *
 * const fail = (message: string): never => { throw new Error(message); };
 * const crop = cropOption("2:6,:10,5:", "ZYX", [8, 30, 20], { lo: [0, 0, 0], hi: [8, 30, 20] }, fail);
 * console.log(crop.lo, crop.hi); // [ 2, 0, 5 ] [ 6, 10, 20 ]
 * ```
 */
export function cropOption(
  text: string | undefined,
  axes: string,
  shape: readonly number[],
  fallback: Crop,
  usageError: (message: string) => never,
): Crop {
  if (text === undefined) return fallback;
  const form = axes.toLowerCase().split("").map((a) => `${a}0:${a}1`).join(
    ",",
  );
  const parts = text.split(",");
  const bounds = parts.map((part) => part.match(/^\s*(\d*)\s*:\s*(\d*)\s*$/));
  if (parts.length !== axes.length || bounds.some((b) => b === null)) {
    usageError(`--crop: expected ${form}, got "${text}"`);
  }
  const lo: number[] = [];
  const hi: number[] = [];
  bounds.forEach((match, axis) => {
    const [low, high] = [match![1], match![2]];
    const a = low === "" ? 0 : Number(low);
    const b = high === "" ? shape[axis] : Number(high);
    if (!(a < b && b <= shape[axis])) {
      usageError(
        `--crop: ${axes[axis]} ${
          parts[axis].trim()
        } is not a non-empty range inside the image's 0:${shape[axis]} ${
          AXIS_NAMES[axes[axis]] ?? axes[axis]
        }`,
      );
    }
    lo.push(a);
    hi.push(b);
  });
  return { lo, hi };
}

/** `crop` as text in `--crop`'s form, e.g. `5:13,380:410,370:400`. */
export function formatCrop(crop: Crop): string {
  return crop.lo.map((lo, axis) => `${lo}:${crop.hi[axis]}`).join(",");
}

/**
 * A box of `size` in an image of `shape`: `preferred` (its corner) where the
 * whole box fits, else centred, each side clipped to the image.
 *
 * @example
 * ```ts
 * import { boxIn } from "./_example_cli.ts";
 *
 * console.log(boxIn([16, 512, 512], [5, 380, 370], [8, 30, 30])); // { lo: [ 5, 380, 370 ], hi: [ 13, 410, 400 ] }
 * console.log(boxIn([4, 64, 64], [5, 380, 370], [8, 30, 30])); // { lo: [ 0, 17, 17 ], hi: [ 4, 47, 47 ] }
 * ```
 */
export function boxIn(
  shape: readonly number[],
  preferred: readonly number[],
  size: readonly number[],
): Crop {
  const fits = shape.every((n, axis) => preferred[axis] + size[axis] <= n);
  const lo = shape.map((n, axis) =>
    fits ? preferred[axis] : Math.max(0, Math.floor((n - size[axis]) / 2))
  );
  return {
    lo,
    hi: shape.map((n, axis) => Math.min(n, lo[axis] + size[axis])),
  };
}

/** Physical sizes per spatial axis, when known, and their unit. */
export interface VoxelSize {
  /** Size of a step along Z, Y and X, as the data gives them. */
  physicalSizes: Partial<Record<"Z" | "Y" | "X", number>>;
  /** Their unit, e.g. "µm". */
  physicalUnit?: string;
}

/** A user's TIFF reduced to the spatial axes an example wants. */
export interface InputImage extends VoxelSize {
  /** The picked view: axes `keep` (e.g. ZYX), in the file's sample type. */
  image: NdArray;
  /** The file's axes, e.g. "ZCYX". */
  fileAxes: string;
  /** The whole file's values. */
  file: NdArray;
  /** The channel picked, when the file has a channel axis. */
  channel?: number;
  /** Its name, when the file gives one. */
  channelName?: string;
}

/**
 * Reads `path` (any TIFF `readTiff` reads: OME-TIFF, ImageJ hyperstack,
 * tifffile, BigTIFF...) and keeps the spatial axes `keep` ("ZYX" or "YX"):
 * a channel axis (C or S) is picked with `picks.channel` (needed when it has
 * more than one channel), a Z axis, when `keep` has none, with
 * `picks.plane`; a file without that axis accepts index 0. Anything else, or a missing axis, is a usage error that
 * says what the file holds; a file `readTiff` refuses ends the run with its
 * message (exit 1).
 */
export async function readInputImage(
  path: string,
  keep: "ZYX" | "YX",
  picks: { plane?: string; channel?: string },
  usageError: (message: string) => never,
): Promise<InputImage> {
  let file;
  try {
    file = await readTiff(path);
  } catch (error) {
    // readTiff's messages name the file already; others get it in front.
    const message = (error as Error).message;
    console.error(message.includes(path) ? message : `${path}: ${message}`);
    Deno.exit(1);
  }
  const { axes, data, metadata } = file;
  const described = `${path}: axes ${axes}, shape [${data.shape.join(", ")}]`;
  const wanted = keep === "ZYX"
    ? "a 3-D stack (axes ZYX)"
    : "one grey 2-D plane (axes YX)";
  const remaining: Record<string, string | undefined> = { ...picks };
  const index: (number | null)[] = [];
  let channel: number | undefined;
  for (const [position, axis] of [...axes].entries()) {
    const size = data.shape[position];
    const option = "CS".includes(axis)
      ? "channel"
      : axis === "Z" && !keep.includes("Z")
      ? "plane"
      : undefined;
    if (keep.includes(axis)) {
      index.push(null);
    } else if (option === undefined) {
      usageError(
        `${described}: this example needs ${wanted}, and cannot pick along axis ${axis}`,
      );
    } else if (remaining[option] === undefined && size > 1) {
      usageError(
        `${described}: this example needs ${wanted}: pick one with --${option} N (0 to ${
          size - 1
        })`,
      );
    } else {
      const n = remaining[option] === undefined
        ? 0
        : indexOption(option, remaining[option]!, usageError);
      if (n >= size) {
        usageError(`--${option} ${n}: ${path} has ${size} along ${axis}`);
      }
      if (option === "channel") channel = n;
      index.push(n);
      delete remaining[option];
    }
  }
  // A file without the axis holds one channel (or plane), index 0, as
  // openTiffPlanes reads it: `--channel 0` works on every file alike.
  for (const [option, value] of Object.entries(remaining)) {
    if (value !== undefined && indexOption(option, value, usageError) !== 0) {
      usageError(
        `--${option} ${value}: ${path} (axes ${axes}) has a single ${option} (no ${
          option === "channel" ? "C" : "Z"
        } axis); only --${option} 0 picks it`,
      );
    }
  }
  const missing = [...keep].filter((axis) => !axes.includes(axis));
  if (missing.length > 0) {
    usageError(
      `${described}: this example needs ${wanted}; the file has no ${
        missing.join(", ")
      } axis`,
    );
  }
  const { X, Y, Z } = metadata.physicalSizes;
  return {
    image: data.pick(...index),
    fileAxes: axes,
    file: data,
    channel,
    channelName: channel === undefined
      ? undefined
      : metadata.channelNames?.[channel] || undefined,
    physicalSizes: Object.fromEntries(
      Object.entries({ Z, Y, X }).filter(([, v]) => v !== undefined),
    ),
    physicalUnit: metadata.physicalUnit,
  };
}

/** The 3-D image an example analyses, and where it came from. */
export interface ExampleStack extends VoxelSize {
  /** One channel, axes Z, Y, X (a view of `data`). */
  stack: NdArray;
  /** Everything that was read: the kidney's or stand-in's ZYXC volume, or the file's values. */
  data: NdArray;
  /** The channel kept. */
  channel?: number;
  /** Its name, when known. */
  channelName?: string;
  /** Which data: the kidney, its stand-in, or the user's file. */
  kind: "kidney" | "stand-in" | "file";
  /** What to print first: which data, from where. */
  summary: string;
  /** A figure-title suffix naming the data: " [synthetic data]", " [file.tif]", or "" for the kidney. */
  label: string;
  /** The stand-in's geometry (`kind` "stand-in" only). */
  phantom?: KidneyPhantomDescription;
}

/**
 * The stack a 3-D example runs on: with `input`, that file's channel
 * (`channel`, an index text; see {@linkcode readInputImage}); else the
 * stand-in (`synthetic`) or the kidney, channel `channel` (default
 * `defaultChannel`). When the kidney's download fails: a clean exit (1) that
 * says how to get it, or to go synthetic.
 */
export async function exampleStack(
  options: {
    synthetic: boolean;
    input?: string;
    channel?: string;
    defaultChannel: number;
  },
  usageError: (message: string) => never,
): Promise<ExampleStack> {
  const { synthetic, input, defaultChannel } = options;
  if (input !== undefined) {
    const read = await readInputImage(
      input,
      "ZYX",
      { channel: options.channel },
      usageError,
    );
    const sizes = ["Z", "Y", "X"].map((axis) =>
      read.physicalSizes[axis as "Z"]
    );
    return {
      stack: read.image,
      data: read.file,
      channel: read.channel,
      channelName: read.channelName,
      physicalSizes: read.physicalSizes,
      physicalUnit: read.physicalUnit,
      kind: "file",
      summary: `data: ${input} (your file), axes ${read.fileAxes}${
        read.channel === undefined ? "" : `, channel ${read.channel}`
      }, voxel size (Z, Y, X) = (${sizes.map((s) => s ?? "?").join(", ")}) ${
        read.physicalUnit ?? "(no unit in the file)"
      }`,
      label: ` [${input.split("/").pop()}]`,
    };
  }
  let volume;
  if (synthetic) {
    volume = kidneyPhantom({ seed: 0 });
  } else {
    try {
      volume = await kidney();
    } catch (error) {
      if (!(error instanceof DatasetError)) throw error;
      console.error(
        `${error.message}\nTo run offline on the synthetic stand-in instead, add --synthetic.`,
      );
      Deno.exit(1);
    }
  }
  const channels = volume.data.shape[3];
  const channel = options.channel === undefined
    ? defaultChannel
    : indexOption("channel", options.channel, usageError);
  if (channel >= channels) {
    usageError(
      `--channel ${channel}: the ${
        synthetic ? "stand-in" : "kidney"
      } has ${channels} channels (0 to ${channels - 1})`,
    );
  }
  const { physicalSizes, physicalUnit, channelNames } = volume.metadata;
  const voxel =
    `voxel size (Z, Y, X) = (${physicalSizes.Z}, ${physicalSizes.Y}, ${physicalSizes.X}) ${physicalUnit}`;
  return {
    stack: volume.data.pick(null, null, null, channel),
    data: volume.data,
    channel,
    channelName: channelNames[channel],
    physicalSizes,
    physicalUnit,
    kind: synthetic ? "stand-in" : "kidney",
    summary: synthetic
      ? `data: the stand-in (${volume.source.name}), a synthetic volume made by kidneyPhantom, not the real kidney; channel ${channel}, ${voxel}`
      : `data: the kidney (${volume.source.name}), real data from ${volume.source.path}, sha256 ${volume.source.sha256}; channel ${channel}, ${voxel}`,
    label: synthetic ? " [synthetic data]" : "",
    phantom: volume.metadata.phantom,
  };
}
