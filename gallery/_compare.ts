/**
 * Number-tolerant comparison of printed output, for the reproducibility check:
 * every number token may differ by a relative tolerance, all other text must
 * match exactly.
 *
 * @module
 */

/**
 * Relative tolerance the check applies to each printed number.
 *
 * @example
 * ```ts
 * import { DEFAULT_RELATIVE_TOLERANCE } from "./_compare.ts";
 *
 * console.log(DEFAULT_RELATIVE_TOLERANCE); // 1e-9
 * ```
 */
export const DEFAULT_RELATIVE_TOLERANCE = 1e-9;

// Numbers as programs print them: 12, -3.5, 1e-9, .5, 2.0E+3, NaN, Infinity, -Infinity, nan, inf.
const NUMBER =
  /[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|(?<![A-Za-z])(?:Infinity|inf|NaN|nan)(?![A-Za-z]))/g;

/** A line split into its literal text pieces and the numbers between them. */
export interface TokenizedLine {
  /** Text around the numbers; always one more piece than numbers. */
  readonly text: readonly string[];
  /** The numbers, in order. */
  readonly numbers: readonly number[];
}

/**
 * Splits a line into text and number tokens.
 *
 * @example
 * ```ts
 * import { tokenizeLine } from "./_compare.ts";
 *
 * console.log(tokenizeLine("range: (68, 4095)")); // { text: ["range: (", ", ", ")"], numbers: [68, 4095] }
 * ```
 */
export function tokenizeLine(line: string): TokenizedLine {
  const text: string[] = [];
  const numbers: number[] = [];
  let last = 0;
  for (const match of line.matchAll(NUMBER)) {
    text.push(line.slice(last, match.index));
    const token = match[0].replace(/^([-+]?)inf$/, "$1Infinity").replace(
      /^[-+]?nan$/,
      "NaN",
    );
    numbers.push(Number(token));
    last = match.index + match[0].length;
  }
  text.push(line.slice(last));
  return { text, numbers };
}

/**
 * Whether two numbers agree within `rtol` relative to the larger magnitude (NaN equals NaN).
 *
 * @example
 * ```ts
 * import { numbersClose } from "./_compare.ts";
 *
 * console.log(numbersClose(1, 1 + 1e-12, 1e-9), numbersClose(NaN, NaN, 1e-9)); // true true
 * ```
 */
export function numbersClose(a: number, b: number, rtol: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) {
    return Number.isNaN(a) && Number.isNaN(b);
  }
  if (a === b) return true;
  return Math.abs(a - b) <= rtol * Math.max(Math.abs(a), Math.abs(b));
}

/** One line that differs between two outputs. */
export interface LineDifference {
  /** 1-based line number within the compared text. */
  readonly line: number;
  /** The recorded line (`undefined` when the new output has extra lines). */
  readonly old: string | undefined;
  /** The new line (`undefined` when lines are missing). */
  readonly new: string | undefined;
}

/**
 * Compares two printed outputs line by line: non-numeric text must match
 * exactly and each number within `rtol` (relative), except in lines that
 * start with {@linkcode MEASURED_PREFIX}. Returns the differing lines.
 *
 * @example
 * ```ts
 * import { compareOutput } from "./_compare.ts";
 *
 * console.log(compareOutput("x = 0.1\n", "x = 0.10000000000001\n").length); // 0
 * console.log(compareOutput("x = 0.1\n", "x = 0.2\n").length); // 1
 * ```
 */
export function compareOutput(
  oldText: string,
  newText: string,
  rtol: number = DEFAULT_RELATIVE_TOLERANCE,
): LineDifference[] {
  const oldLines = oldText.split("\n");
  const newLines = newText.split("\n");
  const differences: LineDifference[] = [];
  for (let i = 0; i < Math.max(oldLines.length, newLines.length); i++) {
    const a = oldLines[i];
    const b = newLines[i];
    if (a === b) continue;
    if (a === undefined || b === undefined || !linesMatch(a, b, rtol)) {
      differences.push({ line: i + 1, old: a, new: b });
    }
  }
  return differences;
}

/**
 * The prefix of a printed line that reports a measurement of this run (a
 * time, a memory peak): its text is compared, its numbers are not, since no
 * rebuild reproduces them.
 *
 * @example
 * ```ts
 * import { compareOutput, MEASURED_PREFIX } from "./_compare.ts";
 *
 * const line = (s: number) => `${MEASURED_PREFIX}time ${s} s\n`;
 * console.log(compareOutput(line(12.1), line(9.4)).length); // 0
 * ```
 */
export const MEASURED_PREFIX = "measured: ";

function linesMatch(a: string, b: string, rtol: number): boolean {
  const ta = tokenizeLine(a);
  const tb = tokenizeLine(b);
  if (ta.numbers.length !== tb.numbers.length) return false;
  if (ta.text.some((piece, i) => piece !== tb.text[i])) return false;
  if (a.startsWith(MEASURED_PREFIX)) return true;
  return ta.numbers.every((x, i) => numbersClose(x, tb.numbers[i], rtol));
}
