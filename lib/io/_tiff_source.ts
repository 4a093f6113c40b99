/**
 * Loads the bytes of a TIFF from a path, a URL or memory, naming the source for
 * error messages.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import { readError } from "./_io_checks.ts";

/** Where `readTiff` reads from: a file path, a `file:` or `http(s):` URL, or the file's bytes. */
export type TiffSource = string | URL | Uint8Array | ArrayBuffer;

/** The bytes of a source and how to name it. */
export interface LoadedTiff {
  bytes: Uint8Array;
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
      bytes: await readLocalFile(fn, source, source),
      name: name ?? source,
    };
  }
  if (source instanceof URL) {
    const label = name ?? source.href;
    if (source.protocol === "file:") {
      return {
        bytes: await readLocalFile(fn, source, label),
        name: label,
      };
    }
    if (source.protocol === "http:" || source.protocol === "https:") {
      return { bytes: await fetchBytes(fn, source, label), name: label };
    }
    throw argumentError(
      fn,
      "source",
      source.href,
      "a file:, http: or https: URL",
    );
  }
  if (source instanceof Uint8Array) {
    return { bytes: source, name: name ?? "the given bytes" };
  }
  if (source instanceof ArrayBuffer) {
    return { bytes: new Uint8Array(source), name: name ?? "the given bytes" };
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
    throw readError(fn, label, error);
  }
}

async function fetchBytes(
  fn: string,
  url: URL,
  label: string,
): Promise<Uint8Array> {
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
  return new Uint8Array(await response.arrayBuffer());
}
