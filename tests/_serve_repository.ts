/**
 * Serves this repository over loopback HTTP, as a user's web server would, so tests
 * can import `mod.ts` by URL. Permissions: `--allow-net=127.0.0.1`, `--allow-read`.
 *
 * @module
 */
import { join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type LoopbackServer,
  startLoopbackServer,
} from "./_loopback_server.ts";

const repoRoot = fileURLToPath(new URL("../", import.meta.url));

const contentTypes: Record<string, string> = {
  ".ts": "application/typescript",
  ".js": "application/javascript",
  ".json": "application/json",
};

/** A loopback server for the repository, remembering every path requested. */
export interface RepositoryServer extends LoopbackServer {
  /** URL paths requested so far, in order, e.g. `/mod.ts`. */
  readonly requested: readonly string[];
}

/** Starts serving the repository root (never `.git`) on 127.0.0.1. */
export function startRepositoryServer(): RepositoryServer {
  const requested: string[] = [];
  const server = startLoopbackServer((request) => {
    const urlPath = decodeURIComponent(new URL(request.url).pathname);
    requested.push(urlPath);
    const path = normalize(join(repoRoot, urlPath));
    if (!path.startsWith(repoRoot) || path.includes(`${sep}.git${sep}`)) {
      return new Response("forbidden", { status: 403 });
    }
    const type = contentTypes[path.slice(path.lastIndexOf("."))] ??
      "application/octet-stream";
    return Deno.readFile(path).then(
      (body) => new Response(body, { headers: { "content-type": type } }),
      () => new Response("not found", { status: 404 }),
    );
  });
  return Object.assign(server, { requested }) as RepositoryServer;
}
