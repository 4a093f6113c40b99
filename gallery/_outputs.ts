/**
 * Describes the files an example writes: kind, content hash, the hashes of
 * PNG images embedded in SVGs, and a title for alt text.
 *
 * @module
 */

import { join } from "node:path";
import { decodeEntities } from "./_markdown.ts";

/** One file an example wrote under its output folder. */
export interface OutputFile {
  /** Path relative to the output folder, with `/` separators. */
  readonly name: string;
  /** `figure` (.svg, .png), `view` (.view.json) or any other `file`. */
  readonly kind: "figure" | "view" | "file";
  /** Lowercase hex sha256 of the bytes. */
  readonly sha256: string;
  readonly bytes: number;
  /** The figure's own title (SVG `<title>` or `aria-label`, view `title`), else the file name. */
  readonly title: string;
  /** sha256 of each `data:image/png;base64,` payload inside an SVG, in order. */
  readonly embeddedPngSha256: readonly string[];
}

/**
 * Lowercase hex sha256 of bytes or text.
 *
 * @example
 * ```ts
 * import { sha256Hex } from "./_outputs.ts";
 *
 * console.log(await sha256Hex("abc")); // ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
 * ```
 */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string"
    ? new TextEncoder().encode(data)
    : data;
  const digest = await crypto.subtle.digest(
    "SHA-256",
    bytes as Uint8Array<ArrayBuffer>,
  );
  return Array.from(
    new Uint8Array(digest),
    (b) => b.toString(16).padStart(2, "0"),
  ).join("");
}

/**
 * The classification of an output file by name.
 *
 * @example
 * ```ts
 * import { outputKind } from "./_outputs.ts";
 *
 * console.log(outputKind("a.svg"), outputKind("b.view.json"), outputKind("c.csv")); // figure view file
 * ```
 */
export function outputKind(name: string): OutputFile["kind"] {
  if (name.endsWith(".view.json")) return "view";
  if (/\.(svg|png)$/i.test(name)) return "figure";
  return "file";
}

/**
 * Reads and describes one output file.
 *
 * @example
 * ```ts
 * import { describeOutputFile } from "./_outputs.ts";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/f.svg`, "<svg><title>Plane 5</title></svg>");
 * const file = await describeOutputFile(dir, "f.svg");
 * console.log(file.kind, file.title, file.bytes); // figure Plane 5 33
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function describeOutputFile(
  outDir: string,
  name: string,
): Promise<OutputFile> {
  const bytes = await Deno.readFile(join(outDir, name));
  const kind = outputKind(name);
  const fileName = name.replaceAll("\\", "/");
  let title = fileName;
  const embeddedPngSha256: string[] = [];
  if (/\.svg$/i.test(name)) {
    const text = new TextDecoder().decode(bytes);
    const found = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text) ??
      /<svg[^>]*\baria-label="([^"]*)"/i.exec(text);
    if (found && found[1].trim()) title = decodeEntities(found[1].trim());
    for (
      const match of text.matchAll(
        /data:image\/png;base64,([A-Za-z0-9+/=\s]+)/g,
      )
    ) {
      const payload = Uint8Array.from(
        atob(match[1].replace(/\s+/g, "")),
        (c) => c.charCodeAt(0),
      );
      embeddedPngSha256.push(await sha256Hex(payload));
    }
  } else if (kind === "view") {
    try {
      const view = JSON.parse(new TextDecoder().decode(bytes));
      if (typeof view.title === "string" && view.title.trim()) {
        title = view.title.trim();
      }
    } catch {
      // An unreadable view keeps its file name as title; the page reports it.
    }
  }
  return {
    name: fileName,
    kind,
    sha256: await sha256Hex(bytes),
    bytes: bytes.length,
    title,
    embeddedPngSha256,
  };
}
