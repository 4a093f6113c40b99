/**
 * The command-line parsing the subcommands share: options and operands
 * through `node:util`'s `parseArgs` (strict: an unknown option is an error),
 * and the numbers and lists their values hold, every bad value a
 * {@linkcode UsageError} naming the option, the value and what was expected.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { UsageError } from "./_command.ts";

/**
 * A subcommand's command line: its name, operands, string and boolean
 * options, and string options that may be given several times (`lists`).
 */
export interface CommandLineSpec<
  S extends string,
  B extends string,
  L extends string = never,
> {
  command: string;
  operands: readonly string[];
  strings: readonly S[];
  booleans: readonly B[];
  lists?: readonly L[];
}

/** A parsed command line; `help` when `--help` or `-h` was given. */
export interface CommandLine<
  S extends string,
  B extends string,
  L extends string = never,
> {
  help: boolean;
  operands: Record<string, string>;
  strings: Partial<Record<S, string>>;
  booleans: Record<B, boolean>;
  /** Each list option's values, in the order given (empty when absent). */
  lists: Record<L, string[]>;
}

/**
 * Parses `args` by `spec`: exactly `spec.operands.length` operands (unless
 * `--help`), each option but the lists at most once.
 */
export function parseCommandLine<
  S extends string,
  B extends string,
  L extends string = never,
>(
  args: readonly string[],
  spec: CommandLineSpec<S, B, L>,
): CommandLine<S, B, L> {
  const options: Record<
    string,
    { type: "string" | "boolean"; short?: string; multiple?: boolean }
  > = {
    help: { type: "boolean", short: "h" },
  };
  for (const name of spec.strings) options[name] = { type: "string" };
  for (const name of spec.booleans) options[name] = { type: "boolean" };
  const lists: readonly L[] = spec.lists ?? [];
  for (const name of lists) {
    options[name] = { type: "string", multiple: true };
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options,
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
  } catch (error) {
    // parseArgs explains on several lines; the error is one.
    const message = (error as Error).message.replace(/\s*\n\s*/g, " ")
      .replace(/^Option '(\S+) <value>' argument missing$/, "$1 needs a value");
    throw new UsageError(`${spec.command}: ${message}`);
  }
  const given = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== "option" || lists.includes(token.name as L)) continue;
    if (given.has(token.name)) {
      throw new UsageError(`${spec.command}: --${token.name} given twice`);
    }
    given.add(token.name);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const help = values.help === true;
  const positionals = parsed.positionals;
  if (!help) {
    if (positionals.length < spec.operands.length) {
      throw new UsageError(
        `${spec.command}: missing operand ${spec.operands[positionals.length]}`,
      );
    }
    if (positionals.length > spec.operands.length) {
      throw new UsageError(
        `${spec.command}: unexpected operand ${
          JSON.stringify(positionals[spec.operands.length])
        }`,
      );
    }
  }
  return {
    help,
    operands: Object.fromEntries(
      spec.operands.map((name, i) => [name, positionals[i]]),
    ),
    strings: Object.fromEntries(
      spec.strings.filter((n) => values[n] !== undefined).map((n) => [
        n,
        values[n],
      ]),
    ) as Partial<Record<S, string>>,
    booleans: Object.fromEntries(
      spec.booleans.map((n) => [n, values[n] === true]),
    ) as Record<B, boolean>,
    lists: Object.fromEntries(
      lists.map((
        n,
      ) => [n, (parsed.values as Record<string, unknown>)[n] ?? []]),
    ) as Record<L, string[]>,
  };
}

/** The error for option `name`'s value `text`, which should be `expected`. */
function badValue(name: string, text: string, expected: string): UsageError {
  return new UsageError(
    `--${name} must be ${expected}, got ${JSON.stringify(text)}`,
  );
}

/** A finite decimal number, or undefined when `text` is not one. */
function decimal(text: string): number | undefined {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text.trim())) {
    return undefined;
  }
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** Option `name`'s integer value, at least `min`. */
export function integerValue(name: string, text: string, min: number): number {
  const value = decimal(text);
  if (value === undefined || !Number.isInteger(value) || value < min) {
    throw badValue(name, text, `an integer >= ${min}`);
  }
  return value;
}

/** Option `name`'s number value, at least 0. */
export function nonNegativeValue(name: string, text: string): number {
  const value = decimal(text);
  if (value === undefined || value < 0) {
    throw badValue(name, text, "a number >= 0");
  }
  return value;
}

/** `--sigma`: one number > 0, or three (Z, Y, X) separated by commas. */
export function sigmaValue(text: string): number | [number, number, number] {
  const parts = text.split(",").map(decimal);
  if (
    (parts.length !== 1 && parts.length !== 3) ||
    parts.some((s) => s === undefined || s <= 0)
  ) {
    throw badValue(
      "sigma",
      text,
      "a number > 0, or three numbers > 0 for Z, Y, X separated by commas",
    );
  }
  const sigmas = parts as number[];
  return sigmas.length === 1 ? sigmas[0] : [sigmas[0], sigmas[1], sigmas[2]];
}

/** `--tile`: two integers >= 1, the rows and columns of a tile, separated by a comma. */
export function tileValue(text: string): [number, number] {
  const parts = text.split(",").map(decimal);
  if (
    parts.length !== 2 ||
    parts.some((n) => n === undefined || !Number.isInteger(n) || n < 1)
  ) {
    throw badValue(
      "tile",
      text,
      "two integers >= 1, rows and columns, separated by a comma",
    );
  }
  return [parts[0]!, parts[1]!];
}

/** A comma-separated list of names among `allowed`, each at most once. */
export function listValue<T extends string>(
  name: string,
  text: string,
  allowed: readonly T[],
): T[] {
  const items = text.split(",").map((item) => item.trim());
  if (
    items.some((item) => !allowed.includes(item as T)) ||
    new Set(items).size !== items.length
  ) {
    throw badValue(
      name,
      text,
      `a comma-separated list of distinct names among ${allowed.join(", ")}`,
    );
  }
  return items as T[];
}

/** One of `allowed`. */
export function choiceValue<T extends string>(
  name: string,
  text: string,
  allowed: readonly T[],
): T {
  if (!allowed.includes(text as T)) {
    throw badValue(name, text, `one of ${allowed.join(", ")}`);
  }
  return text as T;
}
