/**
 * The sentences of the anisotropy tutorial that describe the data, computed
 * from the values (a private module of examples/anisotropy_3d.ts), so that
 * the text is true on the kidney, on its stand-in and on a user's file.
 *
 * @module
 */

import { type NdArray, ndarray, SHAPE_CLASSES, shapeClass } from "../mod.ts";

/** shapeClass's default factors: "about equal" within RATIO, "much larger" from GAP. */
const RATIO = 2;
const GAP = 10;

const AXES = [
  { name: "Z (plane) axis", short: "Z" },
  { name: "row (Y) axis", short: "Y" },
  { name: "column (X) axis", short: "X" },
] as const;
/** The coordinate plane whose normal is axis `i`. */
const PLANE_OF_NORMAL = ["X-Y", "X-Z", "Y-Z"] as const;

const number = (value: number) => Number(value.toPrecision(3)).toString();
/** A factor between eigenvalues: one decimal, or 3 significant digits from 10⁴ on (1e-17 leftovers give factors of 1e16). */
const factor = (value: number) =>
  value < 1e4 ? value.toFixed(1) : value.toExponential(2);

/** `n` and the noun, singular for 1: "1 voxel", "9 voxels". */
function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/**
 * "The `smaller` are ... than the `larger`", from `ratios` (larger over
 * smaller, one per voxel): within a factor of 2, or by how many orders of
 * magnitude (the median ratio's rounded log10), with the factors' range.
 * A ratio that is not a positive finite number (the smaller value is zero, or
 * below it by rounding) has no factor: those voxels are counted apart, so the
 * phrase never states a factor the values do not give.
 */
export function comparisonPhrase(
  smaller: string,
  larger: string,
  ratios: readonly number[],
): string {
  const measured = ratios.filter((r) => r > 0 && r < Infinity);
  const unmeasured = ratios.length - measured.length;
  const zeros = `zero (or below it, by rounding)`;
  if (measured.length === 0) {
    return `the ${smaller} are ${zeros} at all ${
      count(ratios.length, "voxel")
    }: no factor to the ${larger}`;
  }
  const low = Math.min(...measured);
  const high = Math.max(...measured);
  const range = factor(low) === factor(high)
    ? `a factor ${factor(high)}`
    : `factors ${factor(low)} to ${factor(high)}`;
  const where = unmeasured === 0
    ? ""
    : `, at the ${
      count(measured.length, "voxel")
    } where they are positive; at the other ${unmeasured} they are ${zeros}`;
  if (high <= RATIO) {
    return `the ${smaller} are within a factor of ${RATIO} of the ${larger} (${range}): the same order of magnitude${where}`;
  }
  const median = [...measured].sort((a, b) => a - b)[measured.length >> 1];
  const orders = Math.round(Math.log10(median));
  const words = orders === 0
    ? "smaller, by less than an order of magnitude,"
    : orders === 1
    ? "about an order of magnitude smaller"
    : `about ${orders} orders of magnitude smaller`;
  return `the ${smaller} are ${words} than the ${larger} (${range})${where}`;
}

/** The coordinate axis nearest the direction `v` (z, y, x) and the angle to it, in degrees. */
export function nearestAxis(v: readonly number[]): {
  axis: number;
  degrees: number;
} {
  const length = Math.hypot(v[0], v[1], v[2]);
  const axis = [0, 1, 2].reduce((best, a) =>
    Math.abs(v[a]) > Math.abs(v[best]) ? a : best
  );
  const cosine = Math.min(1, Math.abs(v[axis]) / length);
  return { axis, degrees: (Math.acos(cosine) * 180) / Math.PI };
}

/** Where voxel `index` sits in a box of `shape` with window `sigma`: on a face, within one sigma of one, or inside. */
export function borderPhrase(
  index: readonly number[],
  shape: readonly number[],
  sigma: readonly number[],
): string {
  const names = [
    ["plane", "planes"],
    ["row", "rows"],
    ["column", "columns"],
  ];
  const faces = index.map((i, axis) => {
    const first = i;
    const last = shape[axis] - 1 - i;
    return {
      axis,
      distance: Math.min(first, last),
      // A box one voxel deep along the axis has one face-to-face layer: its only one.
      side: shape[axis] === 1 ? "only" : first <= last ? "first" : "last",
    };
  });
  const onFace = faces.filter((f) => f.distance === 0);
  const padding =
    `the derivatives and the window there include the step to the zero padding beyond the box (mode "constant")`;
  if (onFace.length > 0) {
    return `on the box's ${
      onFace.map((f) => `${f.side} ${names[f.axis][0]}`).join(" and ")
    }: ${padding}, so this maximum says as much about where the box was cut as about the tissue`;
  }
  const near = faces.filter((f) => f.distance <= sigma[f.axis]);
  if (near.length > 0) {
    return `not on the box's border but ${
      near.map((f) =>
        `${f.distance} ${
          names[f.axis][f.distance === 1 ? 0 : 1]
        } from its ${f.side} ${names[f.axis][0]} (within the window's sigma, ${
          sigma[f.axis]
        } ${names[f.axis][sigma[f.axis] === 1 ? 0 : 1]})`
      ).join(" and ")
    }, where the zero padding beyond the box (mode "constant") still contributes`;
  }
  const nearest = faces.reduce((a, b) => b.distance < a.distance ? b : a);
  return `inside the box, ${nearest.distance} ${
    names[nearest.axis][nearest.distance === 1 ? 0 : 1]
  } or more from every face`;
}

/** What {@linkcode anisotropyNarrative} needs: the box's eigenvalues, the maximum, and its eigenvectors. */
export interface NarrativeInput {
  /** Eigenvalues of the box, shape `[3, planes, rows, cols]`, largest first. */
  eigenvalues: NdArray;
  /** The maximum, `[0, plane, row, col]` (as `unravelIndex(argmax(eigen))` gives it). */
  coords: readonly number[];
  /** Unit eigenvectors `(z, y, x)` at the maximum, largest eigenvalue's first. */
  vectors: readonly (readonly number[])[];
  /** The window's sigma per axis (Z, Y, X), in voxels. */
  sigma: readonly number[];
}

/** The tutorial's claims about the eigenvalues, each a sentence computed from them. */
export interface Narrative {
  /** Where the maximum is and whether it sits on the box's border. */
  maximum: string;
  /** The second-largest eigenvalues against the largest, over the neighbourhood. */
  second: string;
  /** The third-largest against the second-largest. */
  third: string;
  /** The shape class at the maximum and over its neighbourhood (shapeClass's rule). */
  shape: string;
  /** Which way the strong and the weak gradients point (from the eigenvectors). */
  gradient: string;
  /** The conclusion, from the same values. */
  conclusion: string;
  /** The class of the maximum, one of SHAPE_CLASSES. */
  shapeAtMaximum: typeof SHAPE_CLASSES[number];
}

/** The tutorial's 3x3 window that ends at the maximum (`[row-2 : row+1, col-2 : col+1]`), clipped to the box. */
export function neighbourhoodOf(
  eigenvalues: NdArray,
  coords: readonly number[],
): NdArray {
  const [, plane, row, col] = coords;
  const [y0, x0] = [Math.max(0, row - 2), Math.max(0, col - 2)];
  return eigenvalues.pick(null, plane, null, null).lo(0, y0, x0).hi(
    3,
    row + 1 - y0,
    col + 1 - x0,
  );
}

/**
 * The tutorial's sentences about the eigenvalues around their maximum: every
 * factor, order of magnitude, class, direction and position in them is
 * computed from `input`.
 *
 * @example
 * ```ts
 * import { ndarray } from "../mod.ts";
 * import { anisotropyNarrative } from "./_anisotropy_narrative.ts";
 *
 * // One voxel in a 3 x 3 x 3 box: eigenvalues 4, 3 and 0.1, strongest along rows.
 * const eigenvalues = ndarray(new Float64Array(81), [3, 3, 3, 3]);
 * [4, 3, 0.1].forEach((value, rank) => eigenvalues.set(rank, 1, 1, 1, value));
 * const text = anisotropyNarrative({
 *   eigenvalues, coords: [0, 1, 1, 1], sigma: [1, 1, 1],
 *   vectors: [[0, 1, 0], [0, 0, 1], [1, 0, 0]],
 * });
 * console.log(text.shapeAtMaximum); // pancake
 * ```
 */
export function anisotropyNarrative(input: NarrativeInput): Narrative {
  const { eigenvalues, coords, vectors, sigma } = input;
  const [, plane, row, col] = coords;
  const window = neighbourhoodOf(eigenvalues, coords);
  const [, rows, cols] = window.shape;
  const at = (rank: number) => eigenvalues.get(rank, plane, row, col);
  const ratios = (a: number, b: number) => {
    const out: number[] = [];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        out.push(window.get(a, r, c) / window.get(b, r, c));
      }
    }
    return out;
  };
  const boxShape = eigenvalues.shape.slice(1);

  const maximum = `The largest eigenvalue, ${
    number(at(0))
  }, is at plane ${plane}, row ${row}, column ${col} of the box: ${
    borderPhrase([plane, row, col], boxShape, sigma)
  }.`;
  const voxels = count(rows * cols, "voxel");
  const second = `Over the ${voxels} of the window that ends at the maximum, ${
    comparisonPhrase("second-largest eigenvalues", "largest", ratios(0, 1))
  }.`;
  const third = `Over the same window, ${
    comparisonPhrase("third-largest", "second-largest", ratios(1, 2))
  }.`;

  // shapeClass on the window (a [3, 1, rows, cols] field) and at the maximum.
  const copy = ndarray(new Float64Array(3 * rows * cols), [3, 1, rows, cols]);
  for (let rank = 0; rank < 3; rank++) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        copy.set(rank, 0, r, c, window.get(rank, r, c));
      }
    }
  }
  const codes = shapeClass(copy).codes.data;
  const counts = new Map<string, number>();
  for (const code of codes) {
    counts.set(SHAPE_CLASSES[code], (counts.get(SHAPE_CLASSES[code]) ?? 0) + 1);
  }
  const shapeAtMaximum = SHAPE_CLASSES[codes[codes.length - 1]];
  // The ratios shapeClass decides on: the second and third raised to at least
  // the largest / GAP², so that the numbers printed are the ones the class follows.
  const floor = at(0) / (GAP * GAP);
  const [l2, l3] = [Math.max(at(1), floor), Math.max(at(2), floor)];
  const [r01, r12] = [at(0) / l2, l2 / l3];
  const floored = at(1) < floor || at(2) < floor
    ? `; shapeClass counts an eigenvalue below a hundredth of the largest as that hundredth`
    : "";
  const ratioText = `largest / second ${r01.toFixed(2)}, second / third ${
    r12.toFixed(1)
  }${floored}`;
  const why: Record<string, string> = {
    pancake:
      `two large eigenvalues and one small: in the ellipsoid picture of the structure tensor [2], a "pancake"`,
    cigar: `one large eigenvalue and two small: a "cigar"`,
    sphere: `three eigenvalues about equal: a "sphere"`,
    mixed:
      `neither two alike and one much smaller, nor one much larger, nor three alike`,
  };
  const listed = SHAPE_CLASSES.filter((name) => counts.has(name)).map((name) =>
    `${counts.get(name)} ${name}`
  ).join(", ");
  const rule =
    `By shapeClass's rule (about equal within a factor ${RATIO}, much larger from a factor ${GAP}), the maximum is "${shapeAtMaximum}"`;
  const shape = shapeAtMaximum === "background"
    ? `${rule}: its eigenvalues sum to zero (or are not finite), so it has no gradient to classify. Over the window: ${listed}.`
    : `${rule} (${ratioText}): ${
      why[shapeAtMaximum]
    }. Over the window: ${listed}.`;

  const [strong, middle, weak] = vectors.map(nearestAxis);
  const direction = (d: { axis: number; degrees: number }) =>
    `${d.degrees.toFixed(1)}° from the ${AXES[d.axis].name}`;
  const gradient =
    `At the maximum, the strongest gradient (the largest eigenvalue's eigenvector) points ${
      direction(strong)
    }, the second ${direction(middle)}, the weakest ${
      direction(weak)
    }: the two stronger gradients lie in a plane ${
      weak.degrees.toFixed(1)
    }° from the ${PLANE_OF_NORMAL[weak.axis]} plane.`;

  // Which of the two anisotropic classes' conditions the maximum misses.
  const missed = [
    r01 > RATIO ? `largest / second at most ${RATIO}` : "",
    r12 < GAP ? `second / third at least ${GAP}` : "",
  ].filter(Boolean).join(" and ");
  const verdict: Record<string, string> = {
    pancake: `a "pancake": strong changes within a plane ${
      weak.degrees.toFixed(0)
    }° from the ${PLANE_OF_NORMAL[weak.axis]} plane, the strongest ${
      direction(strong)
    }, and little change across it`,
    cigar: `a "cigar": one strong gradient, ${
      direction(strong)
    }, as at an edge or a sheet`,
    sphere: 'a "sphere": no preferred direction',
    mixed:
      `between the classes (${ratioText}): short of a "pancake", which needs ${missed}, and of a "cigar", which needs largest / second at least ${GAP} and second / third at most ${RATIO}`,
  };
  // Anisotropic unless all three are about equal (shapeClass's "sphere").
  const largestOverThird = at(2) > 0
    ? `largest / third ${factor(at(0) / at(2))}`
    : "the third is zero, or below it by rounding";
  const equalWithin =
    `the factor ${RATIO} within which shapeClass calls eigenvalues about equal`;
  const anisotropic = at(0) > RATIO * at(2)
    ? `anisotropic in 3-D (${largestOverThird}: more than ${equalWithin})`
    : `not anisotropic in 3-D (${largestOverThird}: within ${equalWithin})`;
  const conclusion = shapeAtMaximum === "background"
    ? `So the region about voxel (plane, row, column) = (${plane}, ${row}, ${col}) has no gradient: the box is flat there, and nothing can be said about its anisotropy.`
    : `So the region about voxel (plane, row, column) = (${plane}, ${row}, ${col}) is ${anisotropic}, and by shapeClass ${
      verdict[shapeAtMaximum]
    }.`;
  return {
    maximum,
    second,
    third,
    shape,
    gradient,
    conclusion,
    shapeAtMaximum,
  };
}

/** The median of `values`. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

/**
 * Where the brightest pixel of `plane` (rows x cols) is and how wide it is:
 * how many contiguous pixels, along its row and along its column, stay above
 * half-way between the plane's median and the brightest value.
 */
export function brightRegion(plane: NdArray): {
  row: number;
  col: number;
  value: number;
  background: number;
  acrossColumns: number;
  acrossRows: number;
} {
  const [rows, cols] = plane.shape;
  let [row, col, value] = [0, 0, -Infinity];
  const all: number[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = plane.get(r, c);
      all.push(v);
      if (v > value) [row, col, value] = [r, c, v];
    }
  }
  const background = median(all);
  const half = background + (value - background) / 2;
  const run = (get: (i: number) => number, start: number, size: number) => {
    let [a, b] = [start, start];
    while (a > 0 && get(a - 1) >= half) a--;
    while (b < size - 1 && get(b + 1) >= half) b++;
    return b - a + 1;
  };
  return {
    row,
    col,
    value,
    background,
    acrossColumns: run((c) => plane.get(row, c), col, cols),
    acrossRows: run((r) => plane.get(r, col), row, rows),
  };
}

/** {@linkcode brightRegion} as the tutorial's sentence about the bottom plane (a uniform plane has no bright region, and the sentence says so). */
export function brightRegionPhrase(plane: NdArray, name: string): string {
  const b = brightRegion(plane);
  const pixels = (n: number) => count(n, "pixel");
  const [rows, cols] = plane.shape;
  let uniform = true;
  for (let r = 0; r < rows && uniform; r++) {
    for (let c = 0; c < cols && uniform; c++) {
      uniform = plane.get(r, c) === b.value;
    }
  }
  if (uniform) {
    return `In the ${name}, every pixel has the value ${b.value}: there is no bright region to size the window from.`;
  }
  return `In the ${name}, the brightest pixel is at row ${b.row}, column ${b.col} (${b.value}, against a median of ${b.background}); above half-way between the two, it spans ${
    pixels(b.acrossColumns)
  } across columns and ${pixels(b.acrossRows)} across rows.`;
}

/**
 * Mean absolute difference between neighbouring voxels of `sample` (planes
 * x rows x cols) along each axis, from the voxels at or above half-way
 * between its median and its maximum (the structure, not the background's
 * noise) to their next neighbour inside the box; and how many voxels those are.
 */
export function meanSteps(
  sample: NdArray,
): { steps: [number, number, number]; voxels: number } {
  const [planes, rows, cols] = sample.shape;
  const all: number[] = [];
  let brightest = -Infinity;
  for (let z = 0; z < planes; z++) {
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        const v = sample.get(z, y, x);
        all.push(v);
        brightest = Math.max(brightest, v);
      }
    }
  }
  const background = median(all);
  const half = background + (brightest - background) / 2;
  const sums = [0, 0, 0];
  const counts = [0, 0, 0];
  let voxels = 0;
  for (let z = 0; z < planes; z++) {
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        const v = sample.get(z, y, x);
        if (v < half) continue;
        voxels++;
        const next = [
          z + 1 < planes ? sample.get(z + 1, y, x) : undefined,
          y + 1 < rows ? sample.get(z, y + 1, x) : undefined,
          x + 1 < cols ? sample.get(z, y, x + 1) : undefined,
        ];
        next.forEach((n, axis) => {
          if (n === undefined) return;
          sums[axis] += Math.abs(n - v);
          counts[axis]++;
        });
      }
    }
  }
  const steps = sums.map((s, axis) =>
    counts[axis] ? s / counts[axis] : NaN
  ) as [number, number, number];
  return { steps, voxels };
}

/**
 * How the intensity of the box's bright structure varies along Z compared
 * with rows and columns, as a sentence. An axis one voxel long has no next
 * voxel, so no step is stated or compared along it.
 */
export function depthPhrase(sample: NdArray): string {
  const { steps: [dz, dy, dx], voxels } = meanSteps(sample);
  const measured = [["plane", dz], ["row", dy], ["column", dx]].filter((
    [, step],
  ) => !Number.isNaN(step)) as [string, number][];
  const head = `From the ${
    count(voxels, "voxel")
  } at or above half-way between the box's median and its maximum, the intensity changes by ${
    measured.map(([name, step]) =>
      `${step.toFixed(1)}${
        measured[0][0] === name ? " on average" : ""
      } to the next ${name}`
    ).join(", ").replace(/, ([^,]*)$/, " and $1")
  }`;
  if (Number.isNaN(dz)) {
    return `${
      measured.length ? `${head}; but the` : "The"
    } box has a single plane: nothing shows how the intensity varies along Z.`;
  }
  const inPlaneSteps = [dy, dx].filter((step) => !Number.isNaN(step));
  const inPlane = Math.min(...inPlaneSteps);
  const weaker = inPlaneSteps.length === 1
    ? Number.isNaN(dy) ? "columns" : "rows"
    : dy <= dx
    ? "rows (the weaker in-plane direction)"
    : "columns (the weaker in-plane direction)";
  const comparison = inPlaneSteps.length === 0
    ? "the box is a single row and column, so there is nothing within the planes to compare with"
    : dz === 0 && inPlaneSteps.every((step) => step === 0)
    ? "it does not vary at all, along Z or within the planes"
    : !(dz < inPlane)
    ? `along Z it is not weaker than along ${weaker}`
    : dz === 0
    ? `along Z it does not change at all, against ${
      inPlane.toFixed(1)
    } along ${weaker}: weak`
    : dz * RATIO <= inPlane
    ? `along Z it is ${
      (inPlane / dz).toFixed(1)
    } times weaker than along ${weaker}: weak`
    : `along Z it is weaker than along ${weaker}, but by less than a factor ${RATIO}`;
  return `${head}: ${comparison}.`;
}

/**
 * Whether a slice (planes x positions) shows a structure running along Z:
 * the position of each plane's brightest pixel, and a sentence about them.
 * A plane with no single brightest pixel (all alike, or tied maxima far
 * apart) and a slice of one plane cannot show one, and the sentence says so.
 */
export function longitudinalPhrase(slice: NdArray, name: string): string {
  const [planes, size] = slice.shape;
  const brightest: number[] = [];
  const unclear: number[] = [];
  for (let z = 0; z < planes; z++) {
    let best = 0;
    for (let i = 1; i < size; i++) {
      if (slice.get(z, i) > slice.get(z, best)) best = i;
    }
    // Ties within 2 positions of the first maximum are one bright spot; a
    // uniform plane has none.
    let tiedFar = false;
    let uniform = size > 1;
    for (let i = 0; i < size; i++) {
      const value = slice.get(z, i);
      if (value === slice.get(z, best) && Math.abs(i - best) > 2) {
        tiedFar = true;
      }
      if (value !== slice.get(z, 0)) uniform = false;
    }
    if (tiedFar || uniform) unclear.push(z);
    brightest.push(best);
  }
  if (planes === 1) {
    return `The slice has a single plane (brightest ${name} ${
      brightest[0]
    }): one plane cannot show a structure running along Z.`;
  }
  if (unclear.length > 0) {
    return `Plane by plane, the brightest ${name} of this slice is not one ${name} in ${
      count(unclear.length, "plane")
    } of ${planes} (equal maxima more than 2 ${name}s apart, or all alike${
      unclear.length === planes
        ? ""
        : `: plane${unclear.length === 1 ? "" : "s"} ${unclear.join(", ")}`
    }): no single structure is seen running along Z here.`;
  }
  const [low, high] = [Math.min(...brightest), Math.max(...brightest)];
  const verdict = high - low <= 2
    ? `${
      low === high ? `at ${name} ${low}` : `within ${name}s ${low} to ${high}`
    } in all ${planes} planes: a structure running along Z`
    : `from ${name} ${low} to ${high} across the ${planes} planes: no single structure runs straight along Z here`;
  return `Plane by plane, the brightest ${name} of this slice is ${verdict}.`;
}
