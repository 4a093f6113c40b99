/**
 * TIFF input and output: `readTiff` decodes multi-page TIFFs (ImageJ
 * hyperstacks, tifffile shaped files, BigTIFF, tiles, deflate, LZW, PackBits)
 * into ndarrays with named axes; `writeTiff` and `encodeTiff` write ImageJ
 * hyperstacks that round-trip exactly.
 *
 * @module
 */

export * from "./read_tiff.ts";
export * from "./write_tiff.ts";
export * from "./encode_tiff.ts";
export * from "./tiff_plane_reader.ts";
export * from "./tiff_page_writer.ts";
