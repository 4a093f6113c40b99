// mod.ts must work when imported by URL: no bare specifiers, no reliance on our
// deno.json import map. The repository is served from a loopback server and a script
// in an empty temporary folder (no deno.json) imports it.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { startRepositoryServer } from "./_serve_repository.ts";

Deno.test("mod.ts imported by URL computes the 5x5x5 unit-impulse structure tensor", async () => {
  await using server = startRepositoryServer();
  const folder = await Deno.makeTempDir({ prefix: "stria_url_import_" });
  try {
    const script = join(folder, "unit_case.ts");
    await Deno.writeTextFile(
      script,
      `import { ndarray, structureTensor } from "${server.url}mod.ts";
const volume = ndarray(new Float64Array(125), [5, 5, 5]);
volume.set(2, 2, 2, 1);
const elements = structureTensor(volume, { sigma: 0.1 });
const plane = (index, z) => {
  const rows = [];
  for (let y = 0; y < 5; y++) {
    const row = [];
    for (let x = 0; x < 5; x++) row.push(elements[index].get(z, y, x));
    rows.push(row);
  }
  return rows;
};
console.log(JSON.stringify({ a01: plane(0, 1), a32: plane(3, 2) }));
`,
    );
    const host = `127.0.0.1:${server.url.port}`;
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-lock", `--allow-import=${host}`, script],
      cwd: folder,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const errors = new TextDecoder().decode(stderr);
    strictEqual(code, 0, errors);
    ok(
      server.requests > 0,
      "the script fetched nothing from the loopback server",
    );
    const result = JSON.parse(new TextDecoder().decode(stdout));
    deepStrictEqual(result.a01, [
      [0, 0, 0, 0, 0],
      [0, 1, 4, 1, 0],
      [0, 4, 16, 4, 0],
      [0, 1, 4, 1, 0],
      [0, 0, 0, 0, 0],
    ]);
    deepStrictEqual(result.a32, [
      [0, 0, 0, 0, 0],
      [0, 4, 16, 4, 0],
      [0, 0, 0, 0, 0],
      [0, 4, 16, 4, 0],
      [0, 0, 0, 0, 0],
    ]);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
