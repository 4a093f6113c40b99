import { assert, assertEquals } from "./_gallery_assert.ts";
import { join } from "node:path";
import { writeFolderAtomic } from "../gallery/_atomic_folder.ts";
import { temporaryFilesIn } from "./_write_faults.ts";

async function listing(folder: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(folder)) names.push(entry.name);
  return names.sort();
}

Deno.test("writeFolderAtomic creates a missing folder (and its parent) and replaces an existing one whole", async () => {
  const parent = await Deno.makeTempDir({ prefix: "stria-atomic-folder-" });
  const target = join(parent, "deep", "site");
  try {
    const result = await writeFolderAtomic("test", target, async (folder) => {
      await Deno.writeTextFile(join(folder, "old.html"), "old");
      await Deno.writeTextFile(join(folder, "index.html"), "first");
      return 7;
    });
    assertEquals(result, 7);
    assertEquals(await listing(target), ["index.html", "old.html"]);
    await writeFolderAtomic("test", target, async (folder) => {
      assertEquals(await listing(folder), [], "the new folder starts empty");
      await Deno.writeTextFile(join(folder, "index.html"), "second");
    });
    assertEquals(await listing(target), ["index.html"]);
    assertEquals(await Deno.readTextFile(join(target, "index.html")), "second");
    assertEquals(await temporaryFilesIn(join(parent, "deep")), []);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("writeFolderAtomic keeps the previous folder when writing fails, removes the temporary one and names the path", async () => {
  const parent = await Deno.makeTempDir({ prefix: "stria-atomic-folder-" });
  const target = join(parent, "site");
  try {
    await writeFolderAtomic(
      "test",
      target,
      (folder) => Deno.writeTextFile(join(folder, "index.html"), "first"),
    );
    const error = await writeFolderAtomic("buildGallery", target, async (f) => {
      await Deno.writeTextFile(join(f, "index.html"), "second");
      throw new Error(`${join(f, "page.html")}: disk full`);
    }).catch((e) => e);
    assert(error instanceof Error);
    assertEquals(
      error.message,
      `buildGallery: ${target}: cannot be written, its previous contents are kept (${
        join(target, "page.html")
      }: disk full)`,
    );
    assertEquals(await listing(target), ["index.html"]);
    assertEquals(await Deno.readTextFile(join(target, "index.html")), "first");
    assertEquals(await listing(parent), ["site"], "no temporary folder left");
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});
