/**
 * Private: how a TIFF's pages form one image, by the file's own description
 * (OME-XML, an ImageJ hyperstack, a tifffile JSON shape, else pages as Z),
 * and its voxel size: the one rule of `readTiff` and `openTiffPlanes`. A
 * description that disagrees with the pages is refused, never guessed around.
 *
 * @module
 */

import type { Fail } from "./_byte_source.ts";
import {
  convertedQuantity,
  isOmeXml,
  OME_TYPES,
  type OmeDescription,
  parseOmeXml,
} from "./_ome_xml.ts";
import { resolutionUnitOf } from "./_tiff_codes.ts";
import {
  type ImageJDescription,
  isImageJDescription,
  parseImageJDescription,
  parseShapedDescription,
  type ShapedDescription,
} from "./_tiff_descriptions.ts";
import {
  numberOf,
  numbersOf,
  textOf,
  type TiffDirectory,
} from "./_tiff_directory.ts";
import type { PageLayout } from "./_tiff_page_layout.ts";
import { TAG } from "./_tiff_tags.ts";

/** The image the pages form. */
export interface FileLayout {
  /** Axis letters, outermost first, ending in the page's axes (YX, YXS or SYX). */
  axes: string;
  shape: number[];
  /** The page of each plane, planes in C order of the axes before the page's. */
  pageIndices: number[];
  /** The ImageDescription of page 0, and what it was parsed as. */
  description?: string;
  ome?: OmeDescription;
  imagej?: ImageJDescription;
  shaped?: ShapedDescription;
}

/** The layout of a file's pages (`layouts[k]` of `pages[k]`), from page 0's description. */
export function fileLayout(
  pages: readonly TiffDirectory[],
  layouts: readonly PageLayout[],
  fail: Fail,
): FileLayout {
  const pageCount = pages.length;
  const first = layouts[0];
  const description = textOf(pages[0], TAG.ImageDescription);
  const pageAxes = first.samplesPerPixel === 1
    ? "YX"
    : first.planar
    ? "SYX"
    : "YXS";
  const pageShape = first.samplesPerPixel === 1
    ? [first.height, first.width]
    : first.planar
    ? [first.samplesPerPixel, first.height, first.width]
    : [first.height, first.width, first.samplesPerPixel];
  const pageValues = first.width * first.height * first.samplesPerPixel;
  const ome = isOmeXml(description)
    ? parseOmeXml(description!, fail)
    : undefined;
  const imagej = !ome && isImageJDescription(description)
    ? parseImageJDescription(description)
    : undefined;
  const shaped = ome || imagej
    ? undefined
    : parseShapedDescription(description);
  const { axes, shape, pageIndices }: {
    axes: string;
    shape: number[];
    pageIndices?: number[];
  } = ome
    ? omeLayout(ome, pageCount, first, pageAxes, pageShape, fail)
    : imagej
    ? imageJLayout(imagej, pageCount, pageAxes, pageShape, fail)
    : shaped
    ? shapedLayout(shaped, pageCount, pageValues, pageAxes, pageShape, fail)
    : pageCount > 1
    ? { axes: `Z${pageAxes}`, shape: [pageCount, ...pageShape] }
    : { axes: pageAxes, shape: pageShape };
  const layout: FileLayout = {
    axes,
    shape,
    pageIndices: pageIndices ?? pages.map((_, index) => index),
  };
  if (description !== undefined) layout.description = description;
  if (ome) layout.ome = ome;
  if (imagej) layout.imagej = imagej;
  if (shaped) layout.shaped = shaped;
  return layout;
}

/**
 * The axes and shape of an OME-TIFF's first Image, and the page holding each
 * of its planes in DimensionOrder (= C order of the returned axes), after
 * checking the OME-XML against the pages.
 */
function omeLayout(
  ome: OmeDescription,
  pageCount: number,
  first: PageLayout,
  pageAxes: string,
  pageShape: number[],
  fail: Fail,
): { axes: string; shape: number[]; pageIndices: number[] } {
  const { sizes, samplesPerPixel, dimensionOrder } = ome;
  const mismatch = (what: string, stated: unknown, found: unknown) =>
    fail(
      `OME-XML gives Pixels ${what} ${stated} but the pages have ${found}`,
    );
  if (sizes.X !== first.width) throw mismatch("SizeX", sizes.X, first.width);
  if (sizes.Y !== first.height) {
    throw mismatch("SizeY", sizes.Y, first.height);
  }
  if (OME_TYPES[ome.type as keyof typeof OME_TYPES] !== first.dtype) {
    throw mismatch("Type", ome.type, `samples of ${first.dtype}`);
  }
  if (samplesPerPixel !== first.samplesPerPixel) {
    throw mismatch(
      "Channel SamplesPerPixel",
      samplesPerPixel,
      `${first.samplesPerPixel} samples per pixel`,
    );
  }
  const counts = {
    Z: sizes.Z,
    C: sizes.C / samplesPerPixel,
    T: sizes.T,
  };
  const order = [...dimensionOrder.slice(2)] as ("Z" | "C" | "T")[];
  const planes = counts.Z * counts.C * counts.T;
  const planesText =
    `SizeZ x SizeC x SizeT = ${counts.Z} x ${counts.C} x ${counts.T} = ${planes} planes` +
    (samplesPerPixel > 1 ? ` of ${samplesPerPixel} samples` : "");
  const foreign = ome.tiffData.find((data) =>
    data.uuid !== undefined && data.uuid !== ome.uuid
  );
  if (foreign) {
    throw fail(
      `OME-XML TiffData IFD=${foreign.ifd} puts planes in another file, ${
        JSON.stringify(foreign.fileName ?? foreign.uuid)
      } (a multi-file OME set, not read); expected every plane in this file (UUID ${
        JSON.stringify(ome.uuid ?? null)
      })`,
    );
  }
  if (ome.images === 1 && planes !== pageCount) {
    throw fail(
      `OME-XML gives ${planesText} but the file has ${pageCount} pages`,
    );
  }
  const pageIndices: number[] = Array(planes).fill(-1);
  for (const data of ome.tiffData) {
    const tiffData =
      `TiffData IFD=${data.ifd} PlaneCount=${data.planeCount} FirstZ=${data.firstZ} FirstC=${data.firstC} FirstT=${data.firstT}`;
    const firsts = { Z: data.firstZ, C: data.firstC, T: data.firstT };
    if (order.some((axis) => firsts[axis] >= counts[axis])) {
      throw fail(`OME-XML ${tiffData} starts outside ${planesText}`);
    }
    const start = order.reduceRight(
      (index, axis) => index * counts[axis] + firsts[axis],
      0,
    );
    if (start + data.planeCount > planes) {
      throw fail(`OME-XML ${tiffData} runs past the last of ${planesText}`);
    }
    if (data.ifd + data.planeCount > pageCount) {
      throw fail(
        `OME-XML ${tiffData} points past the file's ${pageCount} pages`,
      );
    }
    for (let k = 0; k < data.planeCount; k++) {
      if (pageIndices[start + k] !== -1) {
        throw fail(`OME-XML ${tiffData} names plane ${start + k} again`);
      }
      pageIndices[start + k] = data.ifd + k;
    }
  }
  const missing = pageIndices.indexOf(-1);
  if (missing >= 0) {
    throw fail(
      `OME-XML TiffData elements leave plane ${missing} of ${planesText} in no page`,
    );
  }
  let axes = "";
  const shape: number[] = [];
  for (const axis of order.reverse()) {
    if (counts[axis] > 1) {
      axes += axis;
      shape.push(counts[axis]);
    }
  }
  return {
    axes: axes + pageAxes,
    shape: [...shape, ...pageShape],
    pageIndices,
  };
}

function imageJLayout(
  imagej: ImageJDescription,
  pageCount: number,
  pageAxes: string,
  pageShape: number[],
  fail: (m: string) => Error,
): { axes: string; shape: number[] } {
  const count = (key: string): number => {
    const value = imagej[key] ?? 1;
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      throw fail(
        `ImageJ description: expected ${key} to be a positive integer, found ${
          JSON.stringify(value)
        }`,
      );
    }
    return value;
  };
  const images = count("images");
  const channels = count("channels");
  let slices = count("slices");
  const frames = count("frames");
  // A plain ImageJ stack names only `images`: its pages are planes.
  if (channels * slices * frames === 1) slices = images;
  if (channels * slices * frames !== images) {
    throw fail(
      `ImageJ description says images=${images} but channels x slices x frames = ` +
        `${channels} x ${slices} x ${frames} = ${channels * slices * frames}`,
    );
  }
  if (images !== pageCount) {
    throw fail(
      `ImageJ description says images=${images} (${channels} channels x ${slices} slices x ${frames} frames) ` +
        `but the file has ${pageCount} pages`,
    );
  }
  let axes = "";
  const shape: number[] = [];
  for (
    const [axis, size] of [["T", frames], ["Z", slices], [
      "C",
      channels,
    ]] as const
  ) {
    if (size > 1) {
      axes += axis;
      shape.push(size);
    }
  }
  return { axes: axes + pageAxes, shape: [...shape, ...pageShape] };
}

function shapedLayout(
  shaped: ShapedDescription,
  pageCount: number,
  pageValues: number,
  pageAxes: string,
  pageShape: number[],
  fail: (m: string) => Error,
): { axes: string; shape: number[] } {
  const shape = shaped.shape;
  const described = shape.reduce((a, b) => a * b, 1);
  if (described !== pageCount * pageValues) {
    throw fail(
      `description gives shape [${
        shape.join(", ")
      }] (${described} values) but the file holds ` +
        `${pageCount} pages of ${pageShape.join("x")} (${
          pageCount * pageValues
        } values)`,
    );
  }
  if (shaped.axes !== undefined) {
    if (
      typeof shaped.axes !== "string" || shaped.axes.length !== shape.length
    ) {
      throw fail(
        `description gives axes ${JSON.stringify(shaped.axes)} for shape [${
          shape.join(", ")
        }]; ` +
          `expected one letter per axis`,
      );
    }
    return { axes: shaped.axes.toUpperCase(), shape: [...shape] };
  }
  const leading = shape.length - pageShape.length;
  const trailingMatches = leading >= 0 &&
    pageShape.every((size, i) => shape[leading + i] === size);
  const axes = trailingMatches
    ? "Q".repeat(leading) + pageAxes
    : "Q".repeat(shape.length);
  return { axes, shape: [...shape] };
}

/** A file's voxel size, its unit and its resolution tags. */
export interface PhysicalSizes {
  /** Size of one step along X, Y, Z (in `physicalUnit`) and T, where the file gives it. */
  physicalSizes: Partial<Record<"X" | "Y" | "Z" | "T", number>>;
  physicalUnit?: string;
  /** XResolution and YResolution of page 0, in pixels per `unit`. */
  resolution?: { x: number; y: number; unit: "none" | "inch" | "centimeter" };
}

/**
 * The voxel size of a file whose page 0 is `directory`: an OME-TIFF's from
 * its OME-XML alone (in µm and seconds); otherwise X and Y from the
 * resolution tags (a unitless resolution only in ImageJ files), Z from ImageJ
 * `spacing`, T from `finterval`, the unit from ImageJ `unit`, else the
 * resolution unit.
 */
export function physicalSizesOf(
  directory: TiffDirectory,
  { ome, imagej }: Pick<FileLayout, "ome" | "imagej">,
): PhysicalSizes {
  const metadata: PhysicalSizes = { physicalSizes: {} };
  const x = numbersOf(directory, TAG.XResolution);
  const y = numbersOf(directory, TAG.YResolution);
  const unit = resolutionUnitOf(numberOf(directory, TAG.ResolutionUnit) ?? 2);
  if (x && y) {
    metadata.resolution = { x: x[0] / x[1], y: y[0] / y[1], unit };
  }
  if (ome) {
    // OME-XML alone gives an OME-TIFF's sizes, so units never mix.
    for (const [axis, size] of Object.entries(ome.physicalSizes)) {
      metadata.physicalSizes[axis as "X" | "Y" | "Z"] = convertedQuantity(
        size,
        "length",
      );
      metadata.physicalUnit = "µm";
    }
    if (ome.timeIncrement) {
      metadata.physicalSizes.T = convertedQuantity(ome.timeIncrement, "time");
    }
    return metadata;
  }
  // Without a unit (ResolutionUnit none) the resolution is a pixel size only in
  // ImageJ files (whose description may name the unit); tifffile writes 1/1
  // "none" as a placeholder elsewhere.
  if (x && y && x[0] > 0 && y[0] > 0 && (unit !== "none" || imagej)) {
    // Size per pixel as denominator / numerator, one rounding: 25/31 pixels per unit reads back as 1.24.
    metadata.physicalSizes.X = x[1] / x[0];
    metadata.physicalSizes.Y = y[1] / y[0];
  }
  if (imagej && typeof imagej.spacing === "number") {
    metadata.physicalSizes.Z = imagej.spacing;
  }
  if (imagej && typeof imagej.finterval === "number") {
    metadata.physicalSizes.T = imagej.finterval;
  }
  if (imagej && typeof imagej.unit === "string") {
    metadata.physicalUnit = imagej.unit;
  } else if (metadata.resolution && unit !== "none") {
    metadata.physicalUnit = unit;
  }
  return metadata;
}
