/**
 * Where the kidney phantom's structures are: the geometry that `kidneyPhantom`
 * renders and reports in `metadata.phantom`. Coordinates are voxel indices
 * `[z, y, x]`; directions and normals are unit vectors in that index space.
 *
 * @module
 */

import type {
  KidneyPhantomDescription,
  PhantomColumn,
  PhantomNucleus,
  PhantomSheet,
  PhantomTube,
  Vec3,
} from "./phantom_description.ts";

function norm(v: Vec3): number {
  return Math.hypot(v[0], v[1], v[2]);
}

function unit(v: Vec3): Vec3 {
  const length = norm(v);
  return [v[0] / length, v[1] / length, v[2] / length];
}

function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/** Distance from `p` to the segment `a`–`b`. */
export function distanceToSegment(p: Vec3, a: Vec3, b: Vec3): number {
  const ab: Vec3 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const ap: Vec3 = [p[0] - a[0], p[1] - a[1], p[2] - a[2]];
  const lengthSquared = dot(ab, ab);
  const t = lengthSquared === 0
    ? 0
    : Math.min(1, Math.max(0, dot(ap, ab) / lengthSquared));
  return Math.hypot(ap[0] - t * ab[0], ap[1] - t * ab[1], ap[2] - t * ab[2]);
}

/** Distance from `p` to the disc of centre `c`, unit normal `n` and radius `r`. */
export function distanceToDisc(p: Vec3, c: Vec3, n: Vec3, r: number): number {
  const cp: Vec3 = [p[0] - c[0], p[1] - c[1], p[2] - c[2]];
  const across = dot(cp, n);
  const inPlane = Math.hypot(
    cp[0] - across * n[0],
    cp[1] - across * n[1],
    cp[2] - across * n[2],
  );
  return inPlane <= r ? Math.abs(across) : Math.hypot(across, inPlane - r);
}

type Draft =
  | Omit<PhantomTube, "probe">
  | Omit<PhantomSheet, "probe">;

function distanceTo(structure: Draft, p: Vec3): number {
  return structure.kind === "tube"
    ? distanceToSegment(p, structure.start, structure.end)
    : distanceToDisc(p, structure.center, structure.normal, structure.radius);
}

/** Candidate probe points: along a tube's axis, or over a sheet's disc. */
function candidates(structure: Draft): Vec3[] {
  const points: Vec3[] = [];
  if (structure.kind === "tube") {
    const { start, end } = structure;
    for (let step = 0; step <= 20; step++) {
      const t = 0.1 + 0.8 * step / 20;
      points.push([
        start[0] + t * (end[0] - start[0]),
        start[1] + t * (end[1] - start[1]),
        start[2] + t * (end[2] - start[2]),
      ]);
    }
    return points;
  }
  const { center, normal, radius } = structure;
  // Two in-plane unit vectors spanning the disc.
  const helper: Vec3 = Math.abs(normal[0]) < 0.9 ? [1, 0, 0] : [0, 1, 0];
  const u = unit([
    helper[1] * normal[2] - helper[2] * normal[1],
    helper[2] * normal[0] - helper[0] * normal[2],
    helper[0] * normal[1] - helper[1] * normal[0],
  ]);
  const v: Vec3 = [
    normal[1] * u[2] - normal[2] * u[1],
    normal[2] * u[0] - normal[0] * u[2],
    normal[0] * u[1] - normal[1] * u[0],
  ];
  points.push([...center]);
  for (const fraction of [0.3, 0.6]) {
    for (let k = 0; k < 8; k++) {
      const angle = (k * Math.PI) / 4;
      const a = fraction * radius * Math.cos(angle);
      const b = fraction * radius * Math.sin(angle);
      points.push([
        center[0] + a * u[0] + b * v[0],
        center[1] + a * u[1] + b * v[1],
        center[2] + a * u[2] + b * v[2],
      ]);
    }
  }
  return points;
}

/**
 * The candidate voxel of `structure` farthest from the other structures (measured
 * from their surfaces at 3 sigma) and from the volume's faces.
 */
function probeFor(
  structure: Draft,
  others: readonly Draft[],
  shape: Vec3,
): Vec3 {
  let best: Vec3 = [0, 0, 0];
  let bestClearance = -Infinity;
  for (const point of candidates(structure)) {
    const voxel: Vec3 = [
      Math.round(point[0]),
      Math.round(point[1]),
      Math.round(point[2]),
    ];
    if (voxel.some((value, axis) => value < 0 || value >= shape[axis])) {
      continue;
    }
    // Faces in z are close by nature (16 planes); weigh them less than y and x.
    let clearance = Math.min(
      4 * Math.min(voxel[0], shape[0] - 1 - voxel[0]),
      voxel[1],
      shape[1] - 1 - voxel[1],
      voxel[2],
      shape[2] - 1 - voxel[2],
    );
    for (const other of others) {
      if (other !== structure) {
        clearance = Math.min(
          clearance,
          distanceTo(other, voxel) - 3 * other.sigma,
        );
      }
    }
    if (clearance > bestClearance) {
      bestClearance = clearance;
      best = voxel;
    }
  }
  return best;
}

function tubeThrough(
  center: Vec3,
  direction: Vec3,
  halfLength: number,
  sigma: number,
  peak: number,
) {
  const d = unit(direction);
  return {
    kind: "tube" as const,
    channel: 1 as const,
    start: [
      center[0] - halfLength * d[0],
      center[1] - halfLength * d[1],
      center[2] - halfLength * d[2],
    ] as Vec3,
    end: [
      center[0] + halfLength * d[0],
      center[1] + halfLength * d[1],
      center[2] + halfLength * d[2],
    ] as Vec3,
    direction: d,
    sigma,
    peak,
  };
}

/** The tutorial's sample box `[5:13, 380:410, 370:400]` of the 16 x 512 x 512 volume, as fractions of each axis. */
const SAMPLE_BOX_FRACTIONS: readonly [number, number][] = [
  [5 / 16, 13 / 16],
  [380 / 512, 410 / 512],
  [370 / 512, 400 / 512],
];

/** The sample box `[lo, hi)` per axis for `shape` (the tutorial's own box at the kidney's shape). */
export function sampleBox(shape: Vec3): [Vec3, Vec3] {
  const lo = SAMPLE_BOX_FRACTIONS.map(([low], axis) =>
    Math.round(low * shape[axis])
  ) as Vec3;
  const hi = SAMPLE_BOX_FRACTIONS.map(([, high], axis) =>
    Math.round(high * shape[axis])
  ) as Vec3;
  return [lo, hi];
}

/** Distance from `p` to the box `[lo, hi)` (0 inside). */
function distanceToBox(p: Vec3, [lo, hi]: [Vec3, Vec3]): number {
  const outside = p.map((value, axis) =>
    Math.max(lo[axis] - value, 0, value - (hi[axis] - 1))
  );
  return Math.hypot(outside[0], outside[1], outside[2]);
}

/** Whether any point of the segment `a`–`b` comes within `reach` of `box`. */
function segmentNearBox(
  a: Vec3,
  b: Vec3,
  box: [Vec3, Vec3],
  reach: number,
): boolean {
  const steps = Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1], b[2] - a[2]));
  for (let step = 0; step <= steps; step++) {
    const t = steps === 0 ? 0 : step / steps;
    const p: Vec3 = [
      a[0] + t * (b[0] - a[0]),
      a[1] + t * (b[1] - a[1]),
      a[2] + t * (b[2] - a[2]),
    ];
    if (distanceToBox(p, box) < reach) return true;
  }
  return false;
}

/**
 * The column's brightness in the sample box's planes, bottom first. At box
 * plane 1, where the tutorial finds its maximum, the Sobel derivative along Z
 * in plane 0 is plane 1's own intensity (the zero padding lies below), and the
 * window (sd 1 plane) weighs it by 0.61: plane 1 is a quarter dimmer than its
 * neighbours so that this step stays an order of magnitude below the gradients
 * across the column, while planes 0 to 2 outshine the fading planes above, so
 * that the maximum stays in plane 1. Chosen by searching profiles with the
 * tutorial's own computation; see `kidneyPhantom`.
 */
const BOX_DEPTH_PROFILE = [1, 0.76, 0.9, 0.64, 0.49, 0.39, 0.33, 0.3];

/**
 * The structure in the tutorial's sample box: a column along Z, one pixel
 * wide, through every plane, as bright as in the box's bottom plane below the
 * box and as in its top plane above it (see {@linkcode BOX_DEPTH_PROFILE}).
 */
function sampleColumn(
  shape: Vec3,
  box: [Vec3, Vec3],
): Omit<PhantomColumn, "probe"> {
  const [depth, height, width] = shape;
  const [lo, hi] = box;
  const boxDepth = hi[0] - lo[0];
  const last = BOX_DEPTH_PROFILE.length - 1;
  const depthProfile = Array.from({ length: depth }, (_, z) => {
    const plane = Math.floor(
      ((z - lo[0]) * BOX_DEPTH_PROFILE.length) / boxDepth,
    );
    return BOX_DEPTH_PROFILE[Math.min(last, Math.max(0, plane))];
  });
  return {
    kind: "column",
    channel: 1,
    // Row 22, column 17 of the box at the kidney's shape.
    axis: [height * (402 / 512), width * (387 / 512)],
    // Across rows, nothing reaches the next pixel; across columns, 6% of the peak.
    sigmas: [0.27, 0.42],
    peak: 4010,
    depthProfile,
  };
}

/** Lays out the phantom's structures for `shape` from the layout random stream. */
export function phantomLayout(
  seed: number,
  shape: Vec3,
  random: () => number,
): Omit<KidneyPhantomDescription, "background" | "noise"> {
  const [depth, height, width] = shape;
  const scale = Math.sqrt(height * width) / 512;
  const between = (low: number, high: number) => low + (high - low) * random();

  const box = sampleBox(shape);
  const tubes: Omit<PhantomTube, "probe">[] = [
    tubeThrough(
      [depth * 0.5625, height * 0.55, width * 0.45],
      [0.02, 0.5, 0.866],
      120 * scale,
      3,
      3800,
    ),
  ];
  const tubeCount = Math.max(1, Math.round(10 * scale * scale));
  // Tubes are redrawn until they keep clear of the sample box: there the
  // column alone must set the structure tensor's values.
  const MAX_DRAWS = 1000;
  for (let draw = 0; tubes.length <= tubeCount && draw < MAX_DRAWS; draw++) {
    const angle = between(0, Math.PI);
    const tube = tubeThrough(
      [
        between(0.4, 0.6) * depth,
        between(0.1, 0.9) * height,
        between(0.1, 0.9) * width,
      ],
      [between(-0.02, 0.02), Math.sin(angle), Math.cos(angle)],
      between(60, 160) * scale,
      between(2, 4),
      between(1500, 3800),
    );
    if (!segmentNearBox(tube.start, tube.end, box, 4 * tube.sigma + 2)) {
      tubes.push(tube);
    }
  }
  const sheets: Omit<PhantomSheet, "probe">[] = [
    {
      kind: "sheet",
      channel: 1,
      center: [depth * 0.3, height * 0.25, width * 0.25],
      normal: [1, 0, 0],
      radius: 60 * scale,
      sigma: 1.2,
      peak: 2200,
    },
    {
      kind: "sheet",
      channel: 1,
      center: [depth * 0.5, height * 0.25, width * 0.72],
      normal: unit([0, 0.8, -0.6]),
      radius: 70 * scale,
      sigma: 1.5,
      peak: 2600,
    },
  ];
  const structures: Draft[] = [...tubes, ...sheets];
  const column = sampleColumn(shape, box);

  const nucleusCount = Math.max(1, Math.round(350 * scale * scale));
  const items: PhantomNucleus[] = [];
  for (let i = 0; i < nucleusCount; i++) {
    items.push({
      center: [
        between(1, depth - 2),
        between(0, height - 1),
        between(0, width - 1),
      ],
      radii: [between(1.6, 2.4), between(3, 5), between(3, 5)],
      peak: between(900, 2500),
    });
  }

  return {
    seed,
    shape,
    coordinates:
      "voxel indices [z, y, x]; directions and normals are unit vectors in voxel-index space",
    tubes: tubes.map((tube) => ({
      ...tube,
      probe: probeFor(tube, structures, shape),
    })),
    sheets: sheets.map((sheet) => ({
      ...sheet,
      probe: probeFor(sheet, structures, shape),
    })),
    column: {
      ...column,
      probe: [
        column.depthProfile.indexOf(Math.max(...column.depthProfile)),
        Math.round(column.axis[0]),
        Math.round(column.axis[1]),
      ],
    },
    sampleBox: box,
    nuclei: { channel: 0, items },
    signatures: {
      tube:
        "two large eigenvalues and one small (lambda1 ~ lambda2 >> lambda3); " +
        "the eigenvector of the smallest runs along the tube's direction",
      sheet:
        "one large eigenvalue and two small (lambda1 >> lambda2 ~ lambda3); " +
        "the eigenvector of the largest is the sheet's normal",
    },
  };
}
