/**
 * TIFF input and output: `readTiff` decodes multi-page TIFFs (ImageJ
 * hyperstacks, tifffile shaped files, BigTIFF, tiles, deflate, zstd, LZW,
 * PackBits, OME-TIFF) into ndarrays with named axes; `writeTiff` and
 * `encodeTiff` write ImageJ hyperstacks or OME-TIFFs that round-trip exactly.
 * For volumes larger than memory, `openTiffPlanes` reads chosen planes through
 * a file handle and `createTiffPageWriter` writes either kind page by page.
 *
 * @module
 */

export * from "./read_tiff.ts";
export * from "./write_tiff.ts";
export * from "./encode_tiff.ts";
export * from "./tiff_plane_reader.ts";
export * from "./tiff_page_writer.ts";
