/**
 * Private number formatting for `formatArray`: NumPy 1.x's `FloatingFormat`
 * (floatmode "maxprec", precision 8, Dragon4 "unique" digits) and
 * `IntegerFormat`, re-derived from numpy/core/arrayprint.py.
 *
 * @module
 */

/** Decimal digits and exponent of |x|: |x| = d.ddd × 10^exponent. */
interface Digits {
  digits: string;
  exponent: number;
}

/** Shortest digits that read back as `x` (in float32 when `single`). */
function shortestDigits(x: number, single: boolean): Digits {
  let text = x.toExponential();
  if (single) {
    for (let p = 1; p <= 9; p++) {
      const candidate = x.toExponential(p - 1);
      if (Math.fround(Number(candidate)) === x) {
        text = candidate;
        break;
      }
    }
  }
  return splitExponential(text);
}

function splitExponential(text: string): Digits {
  const [mantissa, exponent] = text.split("e");
  return { digits: mantissa.replace(".", ""), exponent: Number(exponent) };
}

/** Positional text of |x| with at most `precision` fraction digits, zeros trimmed, "." kept. */
function positional(
  x: number,
  single: boolean,
  precision: number,
): [string, string] {
  const { digits, exponent } = shortestDigits(x, single);
  let text: string;
  if (digits.length - 1 - exponent <= precision) {
    if (exponent >= 0) {
      const whole = digits.padEnd(exponent + 1, "0");
      text = `${whole.slice(0, exponent + 1)}.${whole.slice(exponent + 1)}`;
    } else {
      text = `0.${"0".repeat(-exponent - 1)}${digits}`;
    }
  } else {
    // Too many digits: round the exact value at the cut-off, as Dragon4 does.
    text = x.toFixed(precision);
  }
  const [intPart, fracPart] = text.split(".");
  return [intPart, fracPart.replace(/0+$/, "")];
}

/** Scientific text of |x|: [mantissa int part, fraction digits, exponent]. */
function scientific(
  x: number,
  single: boolean,
  precision: number,
): [string, string, number] {
  let { digits, exponent } = shortestDigits(x, single);
  if (digits.length - 1 > precision) {
    ({ digits, exponent } = splitExponential(x.toExponential(precision)));
  }
  return [digits[0], digits.slice(1).replace(/0+$/, ""), exponent];
}

/** Returns a function formatting each element as NumPy would within `values`. */
export function floatFormatter(
  values: readonly number[],
  single: boolean,
): (x: number) => string {
  const finite = values.filter(Number.isFinite);
  const nonZero = finite.filter((v) => v !== 0).map(Math.abs);
  let expFormat = false;
  if (nonZero.length > 0) {
    const maxValue = Math.max(...nonZero);
    const minValue = Math.min(...nonZero);
    expFormat = maxValue >= 1e8 || minValue < 0.0001 ||
      maxValue / minValue > 1000;
  }
  const sign = (x: number) => (x < 0 || Object.is(x, -0) ? "-" : "");
  let padLeft = 0;
  let padRight = 0;
  let format: (x: number) => string;
  if (finite.length === 0) {
    format = () => "";
  } else if (expFormat) {
    const parts = finite.map((x) => scientific(Math.abs(x), single, 8));
    const precision = Math.max(...parts.map((p) => p[1].length));
    const expSize = Math.max(
      ...parts.map((p) => Math.max(2, String(Math.abs(p[2])).length)),
    );
    padLeft = Math.max(
      ...finite.map((x, i) => sign(x).length + parts[i][0].length),
    );
    padRight = expSize + 2 + precision;
    format = (x) => {
      const [intPart, frac, exponent] = scientific(
        Math.abs(x),
        single,
        precision,
      );
      const expText = (exponent < 0 ? "-" : "+") +
        String(Math.abs(exponent)).padStart(expSize, "0");
      return `${(sign(x) + intPart).padStart(padLeft)}.${
        frac.padEnd(precision, "0")
      }e${expText}`;
    };
  } else {
    const parts = finite.map((x) => positional(Math.abs(x), single, 8));
    padLeft = Math.max(
      ...finite.map((x, i) => sign(x).length + parts[i][0].length),
    );
    padRight = Math.max(...parts.map((p) => p[1].length));
    format = (x) => {
      const [intPart, frac] = positional(Math.abs(x), single, 8);
      return `${(sign(x) + intPart).padStart(padLeft)}.${
        frac.padEnd(padRight)
      }`;
    };
  }
  if (finite.length !== values.length) {
    const negativeInfinity = values.some((v) => v === -Infinity);
    const offset = padRight + 1;
    padLeft = Math.max(
      padLeft,
      3 - offset,
      3 + (negativeInfinity ? 1 : 0) - offset,
    );
  }
  return (x: number) => {
    if (Number.isFinite(x)) return format(x);
    const text = x !== x ? "nan" : x > 0 ? "inf" : "-inf";
    return " ".repeat(Math.max(0, padLeft + padRight + 1 - text.length)) + text;
  };
}

/** Returns a function formatting integers right-aligned to the widest of `values`. */
export function integerFormatter(
  values: readonly number[],
): (x: number) => string {
  let width = 0;
  for (const v of values) width = Math.max(width, String(v).length);
  return (x: number) => String(x).padStart(width);
}
