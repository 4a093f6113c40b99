import { checkArgumentCount } from "../_options_object.ts";
import type { NdArray } from "../deps.ts";
import { floatFormatter, integerFormatter } from "./_format_number.ts";
import { checkNdArray, dtypeOf } from "./_strided.ts";
import { formatShape } from "./format_shape.ts";

/** NumPy's default print options (numpy 1.x). */
const LINE_WIDTH = 75;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const SEPARATOR = ", ";
const PREFIX = "array(";

/**
 * Formats an array exactly as NumPy 1.x's `repr` prints it with default print
 * options: 8 significant fraction digits ("maxprec"), shortest round-trip
 * digits, trailing zeros trimmed and columns padded to a common width
 * (`0.0041869 ,`), scientific notation when NumPy uses it (a non-zero
 * magnitude below 1e-4, a max/min ratio above 1e3, or values from 1e8),
 * lines wrapped at 75 characters, arrays over 1000 elements summarized with
 * `...`, and `dtype=...` appended for every dtype but float64 (NumPy's
 * default integer, int64, never occurs here).
 *
 * NaN and infinite values print as NumPy prints them: `nan`, `inf`, `-inf`.
 *
 * @example
 * ```ts
 * import { ndarray } from "./ndarray.ts";
 * import { formatArray } from "./format_array.ts";
 *
 * const a = ndarray(new Float64Array([0.00337661, 0.0041869, 0.5]), [3]);
 * console.log(formatArray(a)); // array([0.00337661, 0.0041869 , 0.5       ])
 * ```
 */
export function formatArray(array: NdArray): string {
  checkArgumentCount("formatArray", arguments.length, ["array"]);
  checkNdArray("formatArray", "array", array, { minDims: 0, nonEmpty: false });
  const dtype = dtypeOf(array);
  const { shape, stride, offset, data } = array;
  const ndim = shape.length;
  const size = shape.reduce((a, b) => a * b, 1);
  const dtypeText = dtype === "float64" ? "" : `dtype=${dtype})`;
  if (size === 0) {
    const body = ndim === 1
      ? `${PREFIX}[]`
      : `${PREFIX}[], shape=${formatShape(shape)}`;
    // NumPy names the dtype of every empty array, float64 included.
    return `${body}, dtype=${dtype})`;
  }
  const summarize = size > THRESHOLD;
  const kept = (axis: number): number[] => {
    const n = shape[axis];
    const all = Array.from({ length: n }, (_, i) => i);
    return summarize && n > 2 * EDGE_ITEMS
      ? [...all.slice(0, EDGE_ITEMS), ...all.slice(n - EDGE_ITEMS)]
      : all;
  };
  // The values that are printed decide the common width.
  const shown: number[] = [];
  const collect = (axis: number, at: number): void => {
    if (axis === ndim) {
      shown.push(data[at]);
      return;
    }
    for (const i of kept(axis)) collect(axis + 1, at + i * stride[axis]);
  };
  collect(0, offset);
  const formatValue = dtype.startsWith("float")
    ? floatFormatter(shown, dtype === "float32")
    : integerFormatter(shown);

  const suffix = dtypeText === "" ? ")" : ",";
  const lineWidth = LINE_WIDTH - suffix.length;
  const recurse = (
    axis: number,
    at: number,
    hangingIndent: string,
    width: number,
  ): string => {
    if (axis === ndim) return formatValue(data[at]);
    const nextIndent = hangingIndent + " ";
    const nextWidth = width - 1;
    const n = shape[axis];
    const showSummary = summarize && 2 * EDGE_ITEMS < n;
    const leading = showSummary ? EDGE_ITEMS : 0;
    const trailing = showSummary ? EDGE_ITEMS : n;
    const child = (i: number) =>
      recurse(axis + 1, at + i * stride[axis], nextIndent, nextWidth);
    let text = "";
    if (ndim - axis === 1) {
      const elementWidth = width - 1;
      let line = hangingIndent;
      const extend = (word: string) => {
        if (
          line.length + word.length > elementWidth &&
          line.length > hangingIndent.length
        ) {
          text += line.trimEnd() + "\n";
          line = hangingIndent;
        }
        line += word;
      };
      for (let i = 0; i < leading; i++) {
        extend(child(i));
        line += SEPARATOR;
      }
      if (showSummary) {
        extend("...");
        line += SEPARATOR;
      }
      for (let i = trailing; i > 1; i--) {
        extend(child(n - i));
        line += SEPARATOR;
      }
      extend(child(n - 1));
      text += line;
    } else {
      const lineSeparator = SEPARATOR.trimEnd() + "\n".repeat(ndim - axis - 1);
      for (let i = 0; i < leading; i++) {
        text += hangingIndent + child(i) + lineSeparator;
      }
      if (showSummary) text += hangingIndent + "..." + lineSeparator;
      for (let i = trailing; i > 1; i--) {
        text += hangingIndent + child(n - i) + lineSeparator;
      }
      text += hangingIndent + child(n - 1);
    }
    return "[" + text.slice(hangingIndent.length) + "]";
  };
  const body = PREFIX +
    recurse(0, offset, " ".repeat(PREFIX.length + 1), lineWidth) + suffix;
  if (dtypeText === "") return body;
  const lastLineLength = body.length - (body.lastIndexOf("\n") + 1);
  const spacer = lastLineLength + dtypeText.length + 1 > LINE_WIDTH
    ? "\n" + " ".repeat(PREFIX.length)
    : " ";
  return body + spacer + dtypeText;
}
