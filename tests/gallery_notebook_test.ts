/**
 * Every example's notebook, as the gallery writes it, runs top to bottom on
 * Deno's Jupyter kernel: `jupyter nbconvert --to notebook --execute
 * --ExecutePreprocessor.kernel_name=deno`, on the synthetic stand-ins, with no
 * error output.
 *
 * Needs /usr/bin/python3 with Jupyter's nbconvert and kernel machinery
 * (Debian's `jupyter-nbconvert` and `python3-ipykernel`) and Deno's
 * kernelspec, which it registers with `deno jupyter --install` when it is
 * missing. The test fails, never skips, when they cannot be had.
 */

import { assert, assertEquals } from "./_gallery_assert.ts";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { listExamples } from "../gallery/build.ts";
import { parseExample } from "../gallery/_parse.ts";
import { exampleNotebook } from "../gallery/_notebook.ts";
import { mapConcurrently } from "../gallery/_pool.ts";

const ROOT = resolve(import.meta.dirname!, "..");
const EXAMPLES = join(ROOT, "examples");
const PYTHON = "/usr/bin/python3";

async function run(
  command: string,
  args: string[],
  cwd = ROOT,
): Promise<{ success: boolean; output: string }> {
  try {
    const result = await new Deno.Command(command, {
      args,
      cwd,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decoder = new TextDecoder();
    return {
      success: result.success,
      output: decoder.decode(result.stdout) + decoder.decode(result.stderr),
    };
  } catch (error) {
    return { success: false, output: `${command}: ${error}` };
  }
}

const KERNELS =
  "from jupyter_client.kernelspec import find_kernel_specs; print(' '.join(find_kernel_specs()))";

/** Deno's kernelspec is registered (after `deno jupyter --install` if it was not); fails saying what is missing. */
async function requireDenoKernel(): Promise<void> {
  const nbconvert = await run("jupyter", ["nbconvert", "--version"]);
  assert(
    nbconvert.success,
    `the notebook test needs \`jupyter nbconvert\` (Debian: apt-get install jupyter-nbconvert python3-ipykernel):\n${nbconvert.output}`,
  );
  let kernels = await run(PYTHON, ["-c", KERNELS]);
  if (!kernels.output.split(/\s+/).includes("deno")) {
    const install = await run(Deno.execPath(), ["jupyter", "--install"]);
    assert(
      install.success,
      `deno jupyter --install failed:\n${install.output}`,
    );
    kernels = await run(PYTHON, ["-c", KERNELS]);
  }
  assert(
    kernels.output.split(/\s+/).includes("deno"),
    `Deno's Jupyter kernel is not registered (kernels: ${kernels.output})`,
  );
}

interface ExecutedCell {
  cell_type: string;
  execution_count?: number | null;
  outputs?: { output_type: string; name?: string; text?: string[] }[];
}

Deno.test("gallery notebooks: each example's notebook runs on Deno's Jupyter kernel with no error output", async () => {
  await requireDenoKernel();
  const names = await listExamples(EXAMPLES);
  assert(names.length > 0, `no examples in ${EXAMPLES}`);
  const dir = await Deno.makeTempDir({ prefix: "stria-gallery-notebooks-" });
  try {
    const failures = await mapConcurrently(names, 2, async (name) => {
      const script = join(EXAMPLES, `${name}.ts`);
      const notebook = exampleNotebook(
        parseExample(await Deno.readTextFile(script)),
        pathToFileURL(script).href,
        true,
      );
      await Deno.writeTextFile(join(dir, `${name}.ipynb`), notebook);
      // The kernel runs in the notebook's folder: the examples' default output folders land there.
      const result = await run("jupyter", [
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
        "--ExecutePreprocessor.kernel_name=deno",
        "--ExecutePreprocessor.timeout=600",
        `--output=${name}.executed.ipynb`,
        `${name}.ipynb`,
      ], dir);
      if (!result.success) return `${name}: nbconvert failed\n${result.output}`;
      const executed = JSON.parse(
        await Deno.readTextFile(join(dir, `${name}.executed.ipynb`)),
      ) as { cells: ExecutedCell[] };
      const code = executed.cells.filter((c) => c.cell_type === "code");
      const problems = code.flatMap((cell, i) => [
        ...(typeof cell.execution_count === "number"
          ? []
          : [`code cell ${i} was not executed`]),
        ...(cell.outputs ?? []).filter((o) =>
          o.output_type === "error" ||
          (o.output_type === "stream" && o.name === "stderr")
        ).map((o) =>
          `code cell ${i}: ${o.output_type} ${o.name ?? ""} ${
            JSON.stringify(o).slice(0, 2000)
          }`
        ),
      ]);
      const printed = code.flatMap((c) => c.outputs ?? []).some((o) =>
        o.name === "stdout"
      );
      if (!printed) problems.push("no code cell printed anything");
      return problems.length ? `${name}:\n  ${problems.join("\n  ")}` : "";
    });
    assertEquals(failures.filter(Boolean), [], "notebooks that failed");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
