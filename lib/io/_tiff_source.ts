/**
 * Loads the bytes of a TIFF from a path, a URL or memory, naming the source for
 * error messages.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";

import type { TiffSource } from "./read_tiff.ts";

/** The bytes of a source, in an ArrayBuffer of their own, and how to name it. */
export interface LoadedTiff {
  buffer: ArrayBuffer;
  name: string;
}

/** Reads `source` fully into memory; `fn` names the calling function in errors. */
export async function loadTiffBytes(
  fn: string,
  source: TiffSource,
  name: string | undefined,
): Promise<LoadedTiff> {
  if (typeof source === "string") {
    if (source.length === 0) {
      throw argumentError(fn, "source", source, "a non-empty file path");
    }
    return {
      buffer: ownBuffer(await readLocalFile(fn, source, source)),
      name: name ?? source,
    };
  }
  if (source instanceof URL) {
    const label = name ?? source.href;
    if (source.protocol === "file:") {
      return {
        buffer: ownBuffer(await readLocalFile(fn, source, label)),
        name: label,
      };
    }
    if (source.protocol === "http:" || source.protocol === "https:") {
      return { buffer: await fetchBytes(fn, source, label), name: label };
    }
    throw argumentError(
      fn,
      "source",
      source.href,
      "a file:, http: or https: URL",
    );
  }
  if (source instanceof Uint8Array) {
    return { buffer: ownBuffer(source), name: name ?? "the given bytes" };
  }
  if (source instanceof ArrayBuffer) {
    return { buffer: source, name: name ?? "the given bytes" };
  }
  throw argumentError(
    fn,
    "source",
    source,
    "a file path, a file: or http(s): URL, a Uint8Array or an ArrayBuffer",
  );
}

async function readLocalFile(
  fn: string,
  path: string | URL,
  label: string,
): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(`${fn}: ${label}: no such file`, { cause: error });
    }
    throw new Error(
      `${fn}: ${label}: cannot be read (${(error as Error).message})`,
      { cause: error },
    );
  }
}

async function fetchBytes(
  fn: string,
  url: URL,
  label: string,
): Promise<ArrayBuffer> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(
      `${fn}: ${label}: download failed (${(error as Error).message})`,
      { cause: error },
    );
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(
      `${fn}: ${label}: download failed: expected HTTP 200, got ${response.status} ${response.statusText}`,
    );
  }
  return await response.arrayBuffer();
}

/** The bytes of `view` as a whole ArrayBuffer, copying only when `view` is part of a larger one. */
function ownBuffer(view: Uint8Array): ArrayBuffer {
  if (
    view.buffer instanceof ArrayBuffer && view.byteOffset === 0 &&
    view.byteLength === view.buffer.byteLength
  ) {
    return view.buffer;
  }
  return view.slice().buffer as ArrayBuffer;
}
