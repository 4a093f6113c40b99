/**
 * OME-XML descriptions (OME Data Model, schema 2016-06) of OME-TIFF files,
 * read and written in one place: a small tolerant XML parser (entities,
 * namespace prefixes, either quote, self-closing tags, comments, CDATA) that
 * reads only what `readTiff` needs from the first Image's Pixels, and the
 * description `encodeTiff` writes.
 *
 * @module
 */

import type { DType } from "../array/types.ts";
import type { Fail } from "./_byte_source.ts";

/** The OME namespace written, and the prefix of every OME namespace accepted. */
export const OME_NAMESPACE =
  "http://www.openmicroscopy.org/Schemas/OME/2016-06";
const OME_NAMESPACE_PREFIX = "http://www.openmicroscopy.org/Schemas/OME/";

/** An OME plane order: X and Y first (fastest), then Z, C and T in some order. */
export type DimensionOrder =
  | "XYZCT"
  | "XYZTC"
  | "XYCTZ"
  | "XYCZT"
  | "XYTCZ"
  | "XYTZC";
/** The six plane orders of OME. */
export const DIMENSION_ORDERS: readonly DimensionOrder[] = [
  "XYZCT",
  "XYZTC",
  "XYCTZ",
  "XYCZT",
  "XYTCZ",
  "XYTZC",
];

/** Lengths of OME's UnitsLength that stria converts, as µm per unit [multiplier, divisor]. */
export const LENGTH_UNITS: Readonly<Record<string, [number, number]>> = {
  "µm": [1, 1], // U+00B5, as OME writes it
  "\u03bcm": [1, 1], // μm, with the Greek letter mu
  "nm": [1, 1e3],
  "pm": [1, 1e6],
  "\u00c5": [1, 1e4], // Å, as OME writes it
  "\u212b": [1, 1e4], // the angstrom sign
  "mm": [1e3, 1],
  "cm": [1e4, 1],
  "m": [1e6, 1],
};
/** Times of OME's UnitsTime that stria converts, as seconds per unit [multiplier, divisor]. */
const TIME_UNITS: Readonly<Record<string, [number, number]>> = {
  "s": [1, 1],
  "ms": [1, 1e3],
  "µs": [1, 1e6],
  "\u03bcs": [1, 1e6],
  "ns": [1, 1e9],
  "min": [60, 1],
  "h": [3600, 1],
};

/** OME pixel Types and the sample types they are. */
export const OME_TYPES = {
  int8: "int8",
  int16: "int16",
  int32: "int32",
  uint8: "uint8",
  uint16: "uint16",
  uint32: "uint32",
  float: "float32",
  double: "float64",
} as const;

/** The OME pixel Type of each sample type, reversed. */
const OME_TYPE_OF_DTYPE = Object.fromEntries(
  Object.entries(OME_TYPES).map(([type, dtype]) => [dtype, type]),
) as Record<DType, string>;

/** True when `dtype` has an OME pixel Type. */
export function isOmeDtype(dtype: string): boolean {
  return Object.hasOwn(OME_TYPE_OF_DTYPE, dtype);
}

/** A physical quantity as the file states it. */
export interface OmeQuantity {
  /** The number as written. */
  value: number;
  /** Its unit as written, e.g. "nm" or "ms". */
  unit: string;
}

/** One TiffData element: `planeCount` pages from page `ifd` hold planes from (firstZ, firstC, firstT) on, in DimensionOrder. */
export interface OmeTiffData {
  /** The first page (IFD index) holding these planes. */
  ifd: number;
  /** How many consecutive pages and planes. */
  planeCount: number;
  /** The first plane's Z, C and T indices. */
  firstZ: number;
  /** See `firstZ`. */
  firstC: number;
  /** See `firstZ`. */
  firstT: number;
  /** The UUID of the file holding these pages, when the element names one. */
  uuid?: string;
  /** The FileName of that UUID element. */
  fileName?: string;
}

/** What the OME-XML description of an OME-TIFF says about its first Image. */
export interface OmeDescription {
  /** The OME element's UUID, naming this file in a multi-file set. */
  uuid?: string;
  /** Number of Image elements (series) described; only the first is read. */
  images: number;
  /** Order of the planes in the file, fastest first. */
  dimensionOrder: DimensionOrder;
  /** OME pixel type, e.g. "uint16" or "float". */
  type: string;
  /** SizeX, SizeY, SizeZ, SizeC (samples included) and SizeT of the Pixels. */
  sizes: Record<"X" | "Y" | "Z" | "C" | "T", number>;
  /** Samples per pixel of every channel (3 for RGB). */
  samplesPerPixel: number;
  /** One per channel (SizeC / samplesPerPixel): the Channel's Name, "" when it has none. */
  channelNames: string[];
  /** PhysicalSizeX/Y/Z with their units, as written (default unit µm). */
  physicalSizes: Partial<Record<"X" | "Y" | "Z", OmeQuantity>>;
  /** TimeIncrement with its unit, as written (default unit s). */
  timeIncrement?: OmeQuantity;
  /** Where the planes are: one entry per TiffData element. */
  tiffData: OmeTiffData[];
}

/** A physical size converted to µm (lengths) or seconds (times). */
export function convertedQuantity(
  quantity: OmeQuantity,
  kind: "length" | "time",
): number {
  const [multiplier, divisor] =
    (kind === "length" ? LENGTH_UNITS : TIME_UNITS)[quantity.unit];
  return quantity.value * multiplier / divisor;
}

/** True when `description` is an XML document whose root element is OME (with or without a prefix). */
export function isOmeXml(description: string | undefined): boolean {
  return description !== undefined &&
    /^\s*(<\?[\s\S]*?\?>\s*|<!--[\s\S]*?-->\s*)*<([A-Za-z_][-\w.]*:)?OME[\s/>]/
      .test(description);
}

/**
 * Parses the OME-XML `description`; `fail` builds the error for anything
 * malformed, missing or inconsistent within the XML itself.
 */
export function parseOmeXml(description: string, fail: Fail): OmeDescription {
  let root: XmlElement;
  try {
    root = parseXml(description);
  } catch (error) {
    throw fail(`malformed OME-XML: ${(error as Error).message}`);
  }
  const namespace = [...root.attributes].find(([name]) =>
    name === "xmlns" || name.startsWith("xmlns:")
  )?.[1];
  if (!namespace?.startsWith(OME_NAMESPACE_PREFIX)) {
    throw fail(
      `OME-XML: expected the OME element in the namespace ${OME_NAMESPACE_PREFIX}…, found ${
        JSON.stringify(namespace ?? null)
      }`,
    );
  }
  const images = root.children.filter((child) => child.name === "Image");
  const pixels = images[0]?.children.find((child) => child.name === "Pixels");
  if (!pixels) {
    throw fail(
      images.length === 0
        ? "OME-XML: expected an Image element, found none"
        : "OME-XML: the first Image has no Pixels element",
    );
  }
  const attribute = (
    element: XmlElement,
    name: string,
  ): string | undefined => element.attributes.get(name);
  const field = (element: XmlElement, name: string) =>
    `${element.name} ${name}`;
  const integer = (
    element: XmlElement,
    name: string,
    least: number,
    fallback?: number,
  ): number => {
    const text = attribute(element, name);
    if (text === undefined && fallback !== undefined) return fallback;
    const value = text === undefined ? NaN : Number(text.trim());
    if (text?.trim() === "" || !Number.isInteger(value) || value < least) {
      throw fail(
        `OME-XML: expected ${
          field(element, name)
        } to be an integer >= ${least}, found ${JSON.stringify(text ?? null)}`,
      );
    }
    return value;
  };
  const quantity = (
    name: string,
    units: Readonly<Record<string, [number, number]>>,
    defaultUnit: string,
  ): OmeQuantity | undefined => {
    const text = attribute(pixels, name);
    if (text === undefined) return undefined;
    const value = Number(text.trim());
    if (text.trim() === "" || !Number.isFinite(value) || value <= 0) {
      throw fail(
        `OME-XML: expected ${
          field(pixels, name)
        } to be a finite number > 0, found ${JSON.stringify(text)}`,
      );
    }
    const unit = attribute(pixels, `${name}Unit`) ?? defaultUnit;
    if (!Object.hasOwn(units, unit)) {
      throw fail(
        `OME-XML: expected ${field(pixels, `${name}Unit`)} to be one of ${
          Object.keys(units).join(", ")
        }, found ${JSON.stringify(unit)}`,
      );
    }
    return { value, unit };
  };

  const dimensionOrder = attribute(pixels, "DimensionOrder");
  if (!DIMENSION_ORDERS.includes(dimensionOrder as DimensionOrder)) {
    throw fail(
      `OME-XML: expected Pixels DimensionOrder to be one of ${
        DIMENSION_ORDERS.join(", ")
      }, found ${JSON.stringify(dimensionOrder ?? null)}`,
    );
  }
  const type = attribute(pixels, "Type");
  if (type === undefined || !Object.hasOwn(OME_TYPES, type)) {
    throw fail(
      `OME-XML: expected Pixels Type to be one of ${
        Object.keys(OME_TYPES).join(", ")
      }, found ${JSON.stringify(type ?? null)}`,
    );
  }
  const sizes = {
    X: integer(pixels, "SizeX", 1),
    Y: integer(pixels, "SizeY", 1),
    Z: integer(pixels, "SizeZ", 1),
    C: integer(pixels, "SizeC", 1),
    T: integer(pixels, "SizeT", 1),
  };
  const channels = pixels.children.filter((child) => child.name === "Channel");
  const samples = new Set(
    channels.map((channel) => integer(channel, "SamplesPerPixel", 1, 1)),
  );
  if (samples.size > 1) {
    throw fail(
      `OME-XML: expected every Channel to have the same SamplesPerPixel, found ${
        [...samples].join(" and ")
      }`,
    );
  }
  const samplesPerPixel = [...samples][0] ?? 1;
  const channelCount = channels.length || sizes.C / samplesPerPixel;
  if (channelCount * samplesPerPixel !== sizes.C) {
    throw fail(
      `OME-XML: Pixels SizeC is ${sizes.C} but its ${channels.length} Channel elements of ` +
        `SamplesPerPixel ${samplesPerPixel} hold ${
          channels.length * samplesPerPixel
        } samples`,
    );
  }
  const planes = sizes.Z * channelCount * sizes.T;
  const tiffData = pixels.children
    .filter((child) => child.name === "TiffData")
    .map((element): OmeTiffData => {
      const named = ["IFD", "PlaneCount"].some((name) =>
        element.attributes.has(name)
      );
      const uuid = element.children.find((child) => child.name === "UUID");
      const entry: OmeTiffData = {
        ifd: integer(element, "IFD", 0, 0),
        // A bare TiffData holds every plane; one with an IFD but no PlaneCount, one plane.
        planeCount: integer(element, "PlaneCount", 0, named ? 1 : planes),
        firstZ: integer(element, "FirstZ", 0, 0),
        firstC: integer(element, "FirstC", 0, 0),
        firstT: integer(element, "FirstT", 0, 0),
      };
      if (uuid) {
        entry.uuid = uuid.text.trim();
        const fileName = uuid.attributes.get("FileName");
        if (fileName !== undefined) entry.fileName = fileName;
      }
      return entry;
    });
  if (tiffData.length === 0) {
    throw fail(
      "OME-XML: the first Image's Pixels has no TiffData element, so which pages hold its planes is unknown",
    );
  }
  const physicalSizes: OmeDescription["physicalSizes"] = {};
  for (const axis of ["X", "Y", "Z"] as const) {
    const size = quantity(`PhysicalSize${axis}`, LENGTH_UNITS, "µm");
    if (size) physicalSizes[axis] = size;
  }
  const parsed: OmeDescription = {
    images: images.length,
    dimensionOrder: dimensionOrder as DimensionOrder,
    type,
    sizes,
    samplesPerPixel,
    channelNames: channels.length
      ? channels.map((channel) => channel.attributes.get("Name") ?? "")
      : Array(channelCount).fill(""),
    physicalSizes,
    tiffData,
  };
  const uuid = root.attributes.get("UUID");
  if (uuid !== undefined) parsed.uuid = uuid;
  const timeIncrement = quantity("TimeIncrement", TIME_UNITS, "s");
  if (timeIncrement) parsed.timeIncrement = timeIncrement;
  return parsed;
}

/** What `omeXmlDescription` writes: one Image whose planes are the file's pages, in order. */
export interface OmeImage {
  dimensionOrder: DimensionOrder;
  /** OME pixel type (a key of {@linkcode OME_TYPES}). */
  type: string;
  sizes: Record<"X" | "Y" | "Z" | "C" | "T", number>;
  /** PhysicalSizeX/Y/Z in `unit`. */
  physicalSizes: Partial<Record<"X" | "Y" | "Z", number>>;
  /** A key of {@linkcode LENGTH_UNITS}. */
  unit: string;
  /** TimeIncrement in seconds. */
  timeIncrement?: number;
  /** One per channel, or none. */
  channelNames?: readonly string[];
  /** The file's UUID, e.g. from `crypto.randomUUID()`. */
  uuid: string;
}

/**
 * The OME-XML 2016-06 description of one Image stored as consecutive pages
 * from page 0 (one TiffData with PlaneCount), e.g.
 * `<?xml version="1.0" encoding="UTF-8"?><OME xmlns="…/OME/2016-06" …><Image ID="Image:0"><Pixels …>`.
 */
export function omeXmlDescription(image: OmeImage): string {
  const { sizes } = image;
  const pixels: [string, string | number][] = [
    ["ID", "Pixels:0"],
    ["DimensionOrder", image.dimensionOrder],
    ["Type", image.type],
    ["SizeX", sizes.X],
    ["SizeY", sizes.Y],
    ["SizeZ", sizes.Z],
    ["SizeC", sizes.C],
    ["SizeT", sizes.T],
  ];
  for (const axis of ["X", "Y", "Z"] as const) {
    const size = image.physicalSizes[axis];
    if (size !== undefined) {
      pixels.push([`PhysicalSize${axis}`, size], [
        `PhysicalSize${axis}Unit`,
        image.unit,
      ]);
    }
  }
  if (image.timeIncrement !== undefined) {
    pixels.push(["TimeIncrement", image.timeIncrement], [
      "TimeIncrementUnit",
      "s",
    ]);
  }
  pixels.push(["BigEndian", "false"], ["Interleaved", "false"]);
  const channels = Array.from({ length: sizes.C }, (_, c) => {
    const name = image.channelNames?.[c];
    return `<Channel ID="Channel:0:${c}" SamplesPerPixel="1"${
      name === undefined ? "" : ` Name="${escapeXml(name)}"`
    }/>`;
  });
  const planes = sizes.Z * sizes.C * sizes.T;
  const attributes = (list: [string, string | number][]) =>
    list.map(([name, value]) => ` ${name}="${escapeXml(String(value))}"`)
      .join("");
  return '<?xml version="1.0" encoding="UTF-8"?>' +
    `<OME xmlns="${OME_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
    `xsi:schemaLocation="${OME_NAMESPACE} ${OME_NAMESPACE}/ome.xsd" ` +
    `UUID="urn:uuid:${image.uuid}" Creator="stria">` +
    `<Image ID="Image:0" Name="Image0"><Pixels${attributes(pixels)}>` +
    channels.join("") +
    `<TiffData IFD="0" PlaneCount="${planes}"/></Pixels></Image></OME>`;
}

/** Pages that are the planes of `axes` in C order, as `omePagesDescription` describes them. */
export interface OmePages {
  /** T, Z and C at most once each, in any order, then "YX". */
  axes: string;
  /** One size per axis. */
  shape: readonly number[];
  /** A sample type {@linkcode isOmeDtype} accepts. */
  dtype: DType;
  /** X, Y and Z in `unit`, T in seconds. */
  physicalSizes: Partial<Record<"X" | "Y" | "Z" | "T", number>>;
  /** A key of {@linkcode LENGTH_UNITS}. */
  unit: string;
  /** One per index of C, or none. */
  channelNames?: readonly string[];
}

/**
 * The OME-XML of `pages` with a new UUID: what `encodeTiff` and
 * `createTiffPageWriter` write with `ome: true`.
 */
export function omePagesDescription(pages: OmePages): string {
  const { axes, shape, physicalSizes } = pages;
  const sizeOfAxis = (axis: string) =>
    axes.includes(axis) ? shape[axes.indexOf(axis)] : 1;
  return omeXmlDescription({
    // The pages are the planes in C order of the axes, so DimensionOrder
    // (fastest first) is the axes reversed; absent axes have size 1.
    dimensionOrder: [...axes].reverse().join("") +
      [..."ZCT"].filter((axis) => !axes.includes(axis)).join(
        "",
      ) as DimensionOrder,
    type: OME_TYPE_OF_DTYPE[pages.dtype],
    sizes: {
      X: sizeOfAxis("X"),
      Y: sizeOfAxis("Y"),
      Z: sizeOfAxis("Z"),
      C: sizeOfAxis("C"),
      T: sizeOfAxis("T"),
    },
    physicalSizes,
    unit: pages.unit,
    timeIncrement: physicalSizes.T,
    channelNames: pages.channelNames,
    uuid: crypto.randomUUID(),
  });
}

/** An XML element: its local name (prefix removed), attributes by local name, children and text. */
interface XmlElement {
  name: string;
  qualifiedName: string;
  attributes: Map<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /[A-Za-z_:][-\w.:]*/y;
const SPACE = /\s*/y;
const ENTITIES: Readonly<Record<string, string>> = {
  lt: "<",
  gt: ">",
  amp: "&",
  quot: '"',
  apos: "'",
};

/** Parses an XML document into its root element; throws an Error saying what is malformed and where. */
function parseXml(text: string): XmlElement {
  let at = 0;
  let root: XmlElement | undefined;
  const open: XmlElement[] = [];
  const expectEnd = (marker: string, what: string): number => {
    const end = text.indexOf(marker, at);
    if (end < 0) throw new Error(`${what} at character ${at} never ends`);
    return end + marker.length;
  };
  const readName = (): string => {
    NAME.lastIndex = at;
    const match = NAME.exec(text);
    if (!match) {
      throw new Error(
        `expected a name at character ${at}, found ${
          JSON.stringify(text.slice(at, at + 10))
        }`,
      );
    }
    at = NAME.lastIndex;
    return match[0];
  };
  const skipSpace = () => {
    SPACE.lastIndex = at;
    SPACE.exec(text);
    at = SPACE.lastIndex;
  };
  const addText = (content: string) => {
    if (open.length > 0) open[open.length - 1].text += content;
    else if (content.trim() !== "") {
      throw new Error(
        `text ${
          JSON.stringify(content.trim().slice(0, 20))
        } outside the root element`,
      );
    }
  };
  while (at < text.length) {
    const tag = text.indexOf("<", at);
    addText(decodeEntities(text.slice(at, tag < 0 ? text.length : tag), at));
    if (tag < 0) break;
    at = tag;
    if (text.startsWith("<?", at)) {
      at = expectEnd("?>", "a processing instruction");
    } else if (text.startsWith("<!--", at)) at = expectEnd("-->", "a comment");
    else if (text.startsWith("<![CDATA[", at)) {
      const from = at + 9;
      at = expectEnd("]]>", "a CDATA section");
      addText(text.slice(from, at - 3));
    } else if (text.startsWith("<!", at)) at = expectEnd(">", "a declaration");
    else if (text.startsWith("</", at)) {
      at += 2;
      const name = readName();
      skipSpace();
      if (text[at] !== ">") {
        throw new Error(`expected ">" to close </${name} at character ${at}`);
      }
      at++;
      const element = open.pop();
      if (element?.qualifiedName !== name) {
        throw new Error(
          element
            ? `</${name}> closes <${element.qualifiedName}>`
            : `</${name}> closes no element`,
        );
      }
    } else {
      at++;
      const qualifiedName = readName();
      const element: XmlElement = {
        name: localName(qualifiedName),
        qualifiedName,
        attributes: new Map(),
        children: [],
        text: "",
      };
      for (;;) {
        const before = at;
        skipSpace();
        if (text.startsWith("/>", at) || text[at] === ">") break;
        if (at === before || at >= text.length) {
          throw new Error(
            at >= text.length
              ? `the document ends inside <${qualifiedName}>`
              : `expected whitespace before an attribute of <${qualifiedName}> at character ${at}`,
          );
        }
        const name = readName();
        skipSpace();
        const equals = text[at] === "=";
        if (equals) at++;
        skipSpace();
        const quote = text[at];
        if (!equals || (quote !== '"' && quote !== "'")) {
          throw new Error(
            `expected ="…" or ='…' after attribute ${name} of <${qualifiedName}> at character ${at}`,
          );
        }
        const from = at + 1;
        const end = text.indexOf(quote, from);
        if (end < 0) {
          throw new Error(
            `attribute ${name} of <${qualifiedName}> never ends`,
          );
        }
        const value = text.slice(from, end);
        if (value.includes("<")) {
          throw new Error(
            `attribute ${name} of <${qualifiedName}> contains "<"`,
          );
        }
        const key = name.startsWith("xmlns") ? name : localName(name);
        if (element.attributes.has(key)) {
          throw new Error(`<${qualifiedName}> repeats attribute ${name}`);
        }
        element.attributes.set(key, decodeEntities(value, from));
        at = end + 1;
      }
      const selfClosing = text[at] === "/";
      at += selfClosing ? 2 : 1;
      if (open.length > 0) open[open.length - 1].children.push(element);
      else if (root) {
        throw new Error(
          `a second root element <${qualifiedName}> after <${root.qualifiedName}>`,
        );
      } else root = element;
      if (!selfClosing) open.push(element);
    }
  }
  if (open.length > 0) {
    throw new Error(
      `the document is truncated: <${
        open[open.length - 1].qualifiedName
      }> is never closed`,
    );
  }
  if (!root) throw new Error("the document has no element");
  return root;
}

function localName(name: string): string {
  return name.slice(name.indexOf(":") + 1);
}

/** Replaces the five named entities and character references; a bare "&" is an error. */
function decodeEntities(text: string, at: number): string {
  return text.replace(/&([^;&\s]*);?/g, (match, body: string, offset) => {
    const code = /^#x[0-9a-fA-F]+$/.test(body)
      ? parseInt(body.slice(2), 16)
      : /^#[0-9]+$/.test(body)
      ? parseInt(body.slice(1), 10)
      : undefined;
    const decoded = code !== undefined && code <= 0x10ffff
      ? String.fromCodePoint(code)
      : ENTITIES[body];
    if (!match.endsWith(";") || decoded === undefined) {
      throw new Error(
        `unknown entity ${JSON.stringify(match)} at character ${at + offset}`,
      );
    }
    return decoded;
  });
}

function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) =>
      ({
        "<": "&lt;",
        ">": "&gt;",
        "&": "&amp;",
        '"': "&quot;",
        "'": "&apos;",
      })[c]!,
  );
}
