// The worker threads must also start when mod.ts is imported by URL (the
// worker module is then fetched over http:, with the importer's permissions).
import { ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { startRepositoryServer } from "./_serve_repository.ts";

Deno.test("mod.ts imported by URL: structure tensor on 3 threads equals 1 thread", async () => {
  await using server = startRepositoryServer();
  const folder = await Deno.makeTempDir({ prefix: "stria_url_worker_" });
  try {
    const script = join(folder, "threads.ts");
    await Deno.writeTextFile(
      script,
      `import { ndarray, structureTensor, structureTensorEigenvalues, structureTensorEigenvaluesOfImage } from "${server.url}mod.ts";
const volume = ndarray(new Float64Array(9 * 10 * 11).map((_, i) => Math.sin(i * 0.37) ** 2), [9, 10, 11]);
const options = { sigma: [1, 1.5, 2.5], mode: "wrap" };
const single = structureTensorEigenvaluesOfImage(volume, { ...options, threads: 1 });
const fused = structureTensorEigenvaluesOfImage(volume, { ...options, threads: 3 });
const twoStep = structureTensorEigenvalues(structureTensor(volume, { ...options, threads: 3 }), { threads: 3 });
const same = (a, b) => a.data.length === b.data.length && a.data.every((v, i) => Object.is(v, b.data[i]));
console.log(JSON.stringify({ fused: same(fused, single), twoStep: same(twoStep, single) }));
`,
    );
    const host = `127.0.0.1:${server.url.port}`;
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-lock", `--allow-import=${host}`, script],
      cwd: folder,
      stdout: "piped",
      stderr: "piped",
    }).output();
    strictEqual(code, 0, new TextDecoder().decode(stderr));
    strictEqual(
      new TextDecoder().decode(stdout).trim(),
      JSON.stringify({ fused: true, twoStep: true }),
    );
    ok(
      server.requested.includes("/lib/feature/_tensor_worker.ts"),
      "the worker module was never fetched",
    );
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
