/**
 * Serves the built gallery: `deno task serve [--port 8000] [--root gallery/site]
 * [--hostname 127.0.0.1]`. Static files only, with content types, on loopback
 * unless `--hostname` names another address (which `--allow-net` must then
 * grant, e.g. `deno run --allow-read=gallery/site --allow-net=0.0.0.0
 * gallery/serve.ts --hostname 0.0.0.0`).
 *
 * What is served is a regular file whose real path (every symbolic link
 * resolved) lies inside the real path of the root; a folder is served as its
 * `index.html` under the same rule. A URL path that is not valid
 * percent-encoding or leaves the root by its spelling (`..`, encoded `\`, NUL)
 * answers 400; anything else that is not such a file (missing, a link out of
 * the root, a FIFO, socket or device, a link loop) answers 404, without being
 * read. Other faults answer 500 and are logged as one line on stderr: one is a
 * root given through a link with `--allow-read` on the link, since Deno
 * grants reads by path and the files are read at their real paths. The check
 * is made on every request, just before the file is read: the site is trusted
 * not to be rewritten while it is served.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { extname, join, resolve, sep } from "node:path";

/**
 * Content types by file extension.
 *
 * @example
 * ```ts
 * import { CONTENT_TYPES } from "./serve.ts";
 *
 * console.log(CONTENT_TYPES[".svg"]); // image/svg+xml
 * ```
 */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ts": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".tif": "image/tiff",
  ".tiff": "image/tiff",
};

/**
 * Resolves a URL path to a path under `root` by its spelling alone, or null
 * when it would leave the root (`..`, encoded separators, NUL) or is not valid
 * percent-encoding. Links are not looked at: see {@linkcode servableFile}.
 *
 * @example
 * ```ts
 * import { resolveSitePath } from "./serve.ts";
 *
 * console.log(resolveSitePath("/site", "/outputs/a.svg")); // /site/outputs/a.svg
 * console.log(resolveSitePath("/site", "/../etc/passwd")); // null
 * ```
 */
export function resolveSitePath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return null;
  const segments = decoded.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.some((s) => s === "..")) return null;
  return join(resolve(root), ...segments);
}

/**
 * The real path of the file to serve for `path` (a path under `root`, as
 * {@linkcode resolveSitePath} gives), or null when that is not a regular file
 * inside the root's real path: links are resolved with `Deno.realPath`, a
 * folder stands for its `index.html`, and only `Deno.stat`'s `isFile` passes
 * (a FIFO would block the read, a device could be endless). A missing path
 * throws `Deno.errors.NotFound`.
 *
 * @example
 * ```ts
 * import { servableFile } from "./serve.ts";
 *
 * const site = await Deno.makeTempDir();
 * const outside = await Deno.makeTempFile();
 * await Deno.writeTextFile(`${site}/index.html`, "<!DOCTYPE html>");
 * await Deno.symlink(outside, `${site}/secret.txt`);
 * console.log(await servableFile(site, site) === await Deno.realPath(`${site}/index.html`)); // true
 * console.log(await servableFile(site, `${site}/secret.txt`)); // null
 * await Deno.remove(site, { recursive: true });
 * await Deno.remove(outside);
 * ```
 */
export async function servableFile(
  root: string,
  path: string,
): Promise<string | null> {
  const realRoot = await Deno.realPath(root);
  const prefix = realRoot.endsWith(sep) ? realRoot : realRoot + sep;
  const inside = (real: string) => real === realRoot || real.startsWith(prefix);
  let real = await Deno.realPath(path);
  if (!inside(real)) return null;
  if ((await Deno.stat(real)).isDirectory) {
    real = await Deno.realPath(join(real, "index.html"));
    if (!inside(real)) return null;
  }
  return (await Deno.stat(real)).isFile ? real : null;
}

/** Errors that mean "nothing to serve here" rather than a fault of the server. */
const NOT_SERVABLE = [
  Deno.errors.NotFound,
  Deno.errors.NotADirectory,
  Deno.errors.FilesystemLoop,
];

const notFound = () => new Response("not found\n", { status: 404 });

/**
 * A request handler serving the files under `root` (see the module
 * documentation for what is served and the statuses).
 *
 * @example
 * ```ts
 * import { siteHandler } from "./serve.ts";
 *
 * const handler = siteHandler("/nonexistent/site");
 * console.log((await handler(new Request("http://127.0.0.1/missing.html"))).status); // 404
 * ```
 */
export function siteHandler(
  root: string,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("method not allowed\n", {
        status: 405,
        headers: { allow: "GET, HEAD" },
      });
    }
    const path = resolveSitePath(root, new URL(request.url).pathname);
    if (path === null) return new Response("bad path\n", { status: 400 });
    try {
      const file = await servableFile(root, path);
      if (file === null) return notFound();
      const body = await Deno.readFile(file);
      const headers = {
        "content-type": CONTENT_TYPES[extname(file).toLowerCase()] ??
          "application/octet-stream",
        "x-content-type-options": "nosniff",
        "cache-control": "no-cache",
      };
      return new Response(request.method === "HEAD" ? null : body, { headers });
    } catch (error) {
      if (NOT_SERVABLE.some((kind) => error instanceof kind)) return notFound();
      console.error(`serve: ${path}: ${(error as Error).message}`);
      return new Response("internal error\n", { status: 500 });
    }
  };
}

/** Options of {@linkcode serveSite}. */
export interface ServeSiteOptions {
  /** Address to bind (default "127.0.0.1", loopback only). */
  hostname?: string;
  /** Called once the server listens, with its address. */
  onListen?: (address: Deno.NetAddr) => void;
}

/**
 * Starts serving `root` at `port` (0 picks a free port), on 127.0.0.1 unless
 * `options.hostname` says otherwise.
 *
 * @example
 * ```ts
 * import { serveSite } from "./serve.ts";
 *
 * const site = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${site}/index.html`, "<!DOCTYPE html>");
 * const server = serveSite(site, 0);
 * const response = await fetch(`http://127.0.0.1:${server.addr.port}/`);
 * console.log(response.headers.get("content-type")); // text/html; charset=utf-8
 * await response.body?.cancel();
 * await server.shutdown();
 * await Deno.remove(site, { recursive: true });
 * ```
 */
export function serveSite(
  root: string,
  port: number,
  options: ServeSiteOptions = {},
): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({
    hostname: options.hostname ?? "127.0.0.1",
    port,
    onListen: options.onListen ?? (() => {}),
  }, siteHandler(root));
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      port: { type: "string", default: "8000" },
      root: { type: "string", default: "gallery/site" },
      hostname: { type: "string", default: "127.0.0.1" },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(
      `serve: --port must be an integer from 0 to 65535, got ${
        JSON.stringify(values.port)
      }`,
    );
    Deno.exit(2);
  }
  serveSite(values.root, port, {
    hostname: values.hostname,
    onListen: ({ hostname, port }) =>
      console.log(
        `serving ${values.root} at http://${
          hostname.includes(":") ? `[${hostname}]` : hostname
        }:${port}/`,
      ),
  });
}
