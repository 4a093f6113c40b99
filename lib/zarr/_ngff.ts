/**
 * The OME-NGFF (OME-Zarr) rules stria reads and writes by: the versions
 * (0.4 on Zarr v2, 0.5 on Zarr v3), axis letters and types, the spec's unit
 * names, and the validation of a `multiscales` entry, shared by the readers
 * and the writers so that both follow one table.
 *
 * @module
 */

/** The OME-NGFF versions stria reads and writes. */
export type OmeZarrVersion = "0.4" | "0.5";

/** The versions, in the order a message lists them. */
export const OME_ZARR_VERSIONS: readonly OmeZarrVersion[] = ["0.4", "0.5"];

/** One entry of a multiscale image's `axes`, as the spec writes it. */
export interface OmeZarrAxis {
  /** The axis's name, unique in the image (stria writes t, c, z, y, x). */
  name: string;
  /** "time", "channel", "space", or a custom type. */
  type?: string;
  /** An NGFF unit name for its type, e.g. "micrometer" or "second". */
  unit?: string;
}

/** The voxel size by axis letter, as `readTiff`'s `metadata.physicalSizes`. */
export type PhysicalSizes = Partial<Record<"X" | "Y" | "Z" | "T", number>>;

/** Axis letters stria writes, with their NGFF name and type. */
export const AXIS_OF_LETTER: Readonly<
  Record<string, { name: string; type: "time" | "channel" | "space" }>
> = {
  T: { name: "t", type: "time" },
  C: { name: "c", type: "channel" },
  Z: { name: "z", type: "space" },
  Y: { name: "y", type: "space" },
  X: { name: "x", type: "space" },
};

/** Meters per unit, for every space unit the spec lists (UDUNITS-2 names). */
export const SPACE_UNITS: Readonly<Record<string, number>> = {
  angstrom: 1e-10,
  attometer: 1e-18,
  centimeter: 1e-2,
  decimeter: 1e-1,
  exameter: 1e18,
  femtometer: 1e-15,
  foot: 0.3048,
  gigameter: 1e9,
  hectometer: 1e2,
  inch: 0.0254,
  kilometer: 1e3,
  megameter: 1e6,
  meter: 1,
  micrometer: 1e-6,
  mile: 1609.344,
  millimeter: 1e-3,
  nanometer: 1e-9,
  parsec: 3.0856775814913673e16,
  petameter: 1e15,
  picometer: 1e-12,
  terameter: 1e12,
  yard: 0.9144,
  yoctometer: 1e-24,
  yottameter: 1e24,
  zeptometer: 1e-21,
  zettameter: 1e21,
};

/** Seconds per unit, for every time unit the spec lists. */
export const TIME_UNITS: Readonly<Record<string, number>> = {
  attosecond: 1e-18,
  centisecond: 1e-2,
  day: 86400,
  decisecond: 1e-1,
  exasecond: 1e18,
  femtosecond: 1e-15,
  gigasecond: 1e9,
  hectosecond: 1e2,
  hour: 3600,
  kilosecond: 1e3,
  megasecond: 1e6,
  microsecond: 1e-6,
  millisecond: 1e-3,
  minute: 60,
  nanosecond: 1e-9,
  petasecond: 1e15,
  picosecond: 1e-12,
  second: 1,
  terasecond: 1e12,
  yoctosecond: 1e-24,
  yottasecond: 1e24,
  zeptosecond: 1e-21,
  zettasecond: 1e21,
};

/** Unit symbols as readTiff gives them (`µm`), with the NGFF name of each. */
const SYMBOLS: Readonly<Record<string, string>> = {
  "\u00b5m": "micrometer",
  "\u03bcm": "micrometer",
  um: "micrometer",
  micron: "micrometer",
  nm: "nanometer",
  mm: "millimeter",
  cm: "centimeter",
  m: "meter",
  pm: "picometer",
  "\u00c5": "angstrom",
};

/** The symbol a reader reports for an NGFF space unit (`micrometer` → `µm`). */
const SYMBOL_OF: Readonly<Record<string, string>> = {
  micrometer: "\u00b5m",
  nanometer: "nm",
  millimeter: "mm",
  centimeter: "cm",
  meter: "m",
  picometer: "pm",
  angstrom: "\u00c5",
};

/** The NGFF name of a space unit given as a symbol or a name, or undefined. */
export function ngffSpaceUnit(unit: string): string | undefined {
  if (unit in SPACE_UNITS) return unit;
  return SYMBOLS[unit];
}

/** The symbol stria reports for an NGFF space unit (the name itself if none). */
export function unitSymbol(unit: string): string {
  return SYMBOL_OF[unit] ?? unit;
}

/** The axis letter of an NGFF axis: its name (t, c, z, y, x) or its type, else "Q". */
export function axisLetter(axis: OmeZarrAxis): string {
  const name = axis.name.toUpperCase();
  if (name in AXIS_OF_LETTER) return name;
  if (axis.type === "time") return "T";
  if (axis.type === "channel") return "C";
  return "Q";
}

/** The type an axis has, or takes from its name when it has none. */
export function axisType(axis: OmeZarrAxis): string | undefined {
  return axis.type ?? AXIS_OF_LETTER[axis.name.toUpperCase()]?.type;
}

/**
 * The problems of a multiscale's axes by the spec's rules, first one first:
 * 2 to 5 axes with unique names, 2 or 3 of type space and last, at most one
 * time axis and it first, at most one channel or custom axis before the space
 * axes, units valid for their type. Empty when the axes are valid.
 */
export function axesProblems(axes: readonly OmeZarrAxis[]): string[] {
  const problems: string[] = [];
  if (axes.length < 2 || axes.length > 5) {
    problems.push(`has ${axes.length} axes; the spec allows 2 to 5`);
  }
  const names = axes.map((axis) => axis.name);
  if (new Set(names).size !== names.length) {
    problems.push(`names [${names.join(", ")}] are not unique`);
  }
  const types = axes.map(axisType);
  const space = types.filter((type) => type === "space").length;
  if (space < 2 || space > 3) {
    problems.push(`has ${space} axes of type space; the spec needs 2 or 3`);
  }
  const firstSpace = types.indexOf("space");
  if (firstSpace >= 0 && types.slice(firstSpace).some((t) => t !== "space")) {
    problems.push(`types [${types.join(", ")}] do not end with the space axes`);
  }
  const time = types.filter((type) => type === "time").length;
  if (time > 1 || (time === 1 && types[0] !== "time")) {
    problems.push(
      `types [${types.join(", ")}] need at most one time axis, first`,
    );
  }
  const other = types.filter((type) => type !== "time" && type !== "space");
  if (other.length > 1) {
    problems.push(
      `types [${types.join(", ")}] have more than one channel or custom axis`,
    );
  }
  for (const [i, axis] of axes.entries()) {
    if (axis.unit === undefined) continue;
    const type = types[i];
    const table = type === "space"
      ? SPACE_UNITS
      : type === "time"
      ? TIME_UNITS
      : undefined;
    if (table === undefined || !(axis.unit in table)) {
      problems.push(
        `axis ${JSON.stringify(axis.name)} has unit ${
          JSON.stringify(axis.unit)
        }, not a unit of the spec for type ${type ?? "none"}`,
      );
    }
  }
  return problems;
}
