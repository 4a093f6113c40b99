/**
 * The `stria` command line (lib/cli) beyond the analysis:
 *
 * - `info` on an ImageJ TIFF, an OME-TIFF and an OME-Zarr image: axes,
 *   shape, dtype, voxel size with its unit, channels, as text and `--json`;
 * - every bad command line (unknown command or option, missing or extra
 *   operand, --task without --tasks, task >= tasks, bad numbers and lists,
 *   an unreadable input): the error, the command's usage line and a hint
 *   on stderr, exit 2, no stack trace, nothing written; `help` and `--help` print the usage;
 * - the progress bar's renderer, drawn on a terminal only;
 * - the dispatch table and the contract's command line in a subprocess;
 * - `deno install` into a temporary root, and the installed `stria --help`.
 */

import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import { ndarray } from "../lib/deps.ts";
import { writeTiff } from "../lib/io/write_tiff.ts";
import { writeOmeZarr } from "../lib/zarr/mod.ts";
import { COMMANDS } from "../lib/cli/stria.ts";
import { USAGE } from "../lib/cli/_command.ts";
import { progressBar, renderProgressBar } from "../lib/cli/_progress_bar.ts";
import {
  PERMISSIONS,
  ROOT,
  runStria,
  STRIA,
  striaInProcess,
  testVolume,
  withTempDir,
} from "./_cli_run.ts";

Deno.test("info: an ImageJ TIFF, an OME-TIFF and an OME-Zarr image, as text and JSON", async () => {
  await withTempDir(async (dir) => {
    await writeTiff(`${dir}/imagej.tif`, testVolume([5, 6, 7]), {
      axes: "ZYX",
      metadata: {
        physicalSizes: { Z: 2, Y: 0.5, X: 0.25 },
        physicalUnit: "µm",
      },
    });
    await writeTiff(`${dir}/ome.tif`, testVolume([2, 5, 6, 7]), {
      axes: "CZYX",
      ome: true,
      metadata: {
        physicalSizes: { Z: 1, Y: 0.3, X: 0.3 },
        channelNames: ["DAPI", "GFP"],
      },
    });
    await writeOmeZarr(
      `${dir}/image.zarr`,
      ndarray(new Float32Array(3 * 5 * 6 * 7), [3, 5, 6, 7]),
      {
        axes: "CZYX",
        physicalSizes: { Z: 4, Y: 1, X: 1 },
        physicalUnit: "nm",
        chunkShape: [1, 2, 6, 7],
      },
    );
    const text = await striaInProcess(["info", `${dir}/imagej.tif`]);
    assertEquals([text.code, text.stderr], [0, ""]);
    assertEquals(
      text.stdout,
      [
        `file      ${dir}/imagej.tif`,
        "format    ImageJ TIFF",
        "axes      ZYX",
        "shape     5 x 6 x 7",
        "dtype     uint16",
        "voxel     Z 2 µm, Y 0.5 µm, X 0.25 µm",
        "channels  1",
      ].join("\n"),
    );
    const ome = await striaInProcess(["info", `${dir}/ome.tif`]);
    assert(ome.stdout.includes("format    OME-TIFF"), ome.stdout);
    assert(ome.stdout.includes("axes      CZYX"), ome.stdout);
    assert(ome.stdout.includes("channels  2 (DAPI, GFP)"), ome.stdout);
    assert(ome.stdout.includes("voxel     Z 1 µm, Y 0.3 µm, X 0.3 µm"));

    const json = async (file: string) => {
      const run = await striaInProcess(["info", "--json", `${dir}/${file}`]);
      assertEquals(run.code, 0, run.stderr);
      return JSON.parse(run.stdout);
    };
    assertEquals(await json("ome.tif"), {
      path: `${dir}/ome.tif`,
      format: "OME-TIFF",
      axes: "CZYX",
      shape: [2, 5, 6, 7],
      dtype: "uint16",
      physicalSizes: { X: 0.3, Y: 0.3, Z: 1 },
      physicalUnit: "µm",
      channels: 2,
      channelNames: ["DAPI", "GFP"],
    });
    assertEquals(await json("image.zarr"), {
      path: `${dir}/image.zarr`,
      format: "OME-Zarr 0.5",
      axes: "CZYX",
      shape: [3, 5, 6, 7],
      dtype: "float32",
      physicalSizes: { Z: 4, Y: 1, X: 1 },
      physicalUnit: "nm",
      channels: 3,
      chunkShape: [1, 2, 6, 7],
    });
    const zarrText = await striaInProcess(["info", `${dir}/image.zarr`]);
    assert(zarrText.stdout.includes("voxel     Z 4 nm, Y 1 nm, X 1 nm"));
  });
});

/** The usage line each bad command line prints, by its first word. */
const USAGE_LINES: Record<string, string> = {
  frobnicate: "Usage: stria COMMAND [options]",
  analyze: "Usage: stria analyze INPUT OUTPUT [options]",
  info: "Usage: stria info FILE [--json]",
  finalize: "Usage: stria finalize OUTPUT",
};

Deno.test("bad command lines: the error, the command's usage line and a hint on stderr, exit 2, no stack trace, nothing written", async () => {
  await withTempDir(async (dir) => {
    await writeTiff(`${dir}/in.tif`, testVolume([20, 8, 8]), { axes: "ZYX" });
    await Deno.writeTextFile(`${dir}/notes.txt`, "not an image");
    const inTif = `${dir}/in.tif`;
    const out = `${dir}/out.zarr`;
    const cases: [string[], RegExp][] = [
      [["frobnicate"], /unknown command "frobnicate"/],
      [["analyze", inTif, out, "--bogus"], /Unknown option '--bogus'/],
      [["analyze", inTif], /missing operand OUTPUT/],
      [["analyze"], /missing operand INPUT/],
      [["info"], /missing operand FILE/],
      [["info", inTif, "extra"], /unexpected operand "extra"/],
      [["finalize"], /missing operand OUTPUT/],
      [["analyze", inTif, out, "--task", "0"], /--task needs --tasks/],
      [
        ["analyze", inTif, out, "--tasks", "3", "--task", "3"],
        /--task 3 is not a block of --tasks 3 \(0 … 2\)/,
      ],
      [
        ["analyze", inTif, out, "--tasks", "0"],
        /--tasks must be an integer >= 1, got "0"/,
      ],
      [["analyze", inTif, out, "--tasks", "2.5"], /--tasks must be an integer/],
      [
        ["analyze", inTif, out, "--tasks", "21"],
        /--tasks 21 is more than the 20 planes/,
      ],
      [
        ["analyze", inTif, out, "--tasks", "8", "--block-planes", "4"],
        /--tasks 8 is more than the 5 chunks of 4 planes/,
      ],
      [
        ["analyze", inTif, out, "--sigma", "abc"],
        /--sigma must be a number > 0, or three/,
      ],
      [["analyze", inTif, out, "--sigma", "1,2"], /--sigma must be/],
      [["analyze", inTif, out, "--sigma=-1"], /--sigma must be/],
      [
        ["analyze", inTif, out, "--sigma", "-1"],
        /'--sigma' argument is ambiguous/,
      ],
      [["analyze", inTif, out, "--sigma"], /analyze: --sigma needs a value$/],
      [
        ["analyze", inTif, out, "--sigma", "1", "--sigma", "2"],
        /--sigma given twice/,
      ],
      [
        ["analyze", inTif, out, "--outputs", "eigenvalues,foo"],
        /--outputs must be a comma-separated list/,
      ],
      [
        ["analyze", inTif, out, "--precision", "float16"],
        /--precision must be one of float64, float32/,
      ],
      [
        ["analyze", inTif, out, "--energy=-1"],
        /--energy must be a number >= 0/,
      ],
      [
        ["analyze", inTif, out, "--threads", "0"],
        /--threads must be an integer >= 1/,
      ],
      [["analyze", inTif, out, "--channel", "1"], /channel/],
      [
        ["analyze", inTif, out, "--sigma", "1e7"],
        /^stria: analyze: sigma 10000000 along axis 0 .* more than/,
      ],
      [["analyze", `${dir}/missing.tif`, out], /missing\.tif: no such file/],
      [["analyze", `${dir}/notes.txt`, out], /notes\.txt/],
      [["info", `${dir}/missing.tif`], /missing\.tif: no such file/],
      [["info", `${dir}/notes.txt`], /notes\.txt/],
    ];
    for (const [args, message] of cases) {
      const run = await striaInProcess(args);
      const label = args.join(" ");
      assertEquals(run.code, 2, `${label}: ${run.stderr}`);
      assertEquals(run.stdout, "", label);
      const lines = run.stderr.split("\n");
      assertEquals(lines.length, 3, `${label}: ${run.stderr}`);
      assert(lines[0].startsWith("stria: "), label);
      assert(message.test(lines[0]), `${label}: ${lines[0]}`);
      assertEquals(lines[1], USAGE_LINES[args[0]], label);
      assertEquals(lines[2], 'Run "stria help" for usage.', label);
    }
    let exists = true;
    await Deno.stat(out).catch(() => exists = false);
    assert(!exists, "a bad command line writes nothing");

    // As a process: the exit code and no stack trace.
    for (
      const args of [["analyze", inTif, out, "--bogus"], [
        "info",
        `${dir}/missing.tif`,
      ]]
    ) {
      const run = await runStria(args);
      assertEquals(run.code, 2, run.stderr);
      assert(!/\n\s+at /.test(run.stderr), run.stderr);
      assert(run.stderr.endsWith('Run "stria help" for usage.\n'), run.stderr);
    }
  });
});

Deno.test("help, --help and no command print the usage, exit 0", async () => {
  for (
    const args of [["help"], ["--help"], ["-h"], [], ["analyze", "--help"], [
      "info",
      "--help",
    ], ["finalize", "-h"]]
  ) {
    const run = await striaInProcess(args);
    assertEquals([run.code, run.stdout, run.stderr], [0, USAGE, ""]);
  }
  assert(USAGE.includes("In the file's physical units (e.g. µm)"));
  for (const command of ["info", "analyze", "finalize", "help"]) {
    assert(USAGE.includes(`  ${command} `) || USAGE.includes(`  ${command}\n`));
  }
});

Deno.test("the progress bar: its line, drawn on a terminal only", () => {
  assertEquals(
    renderProgressBar("analyze", 3, 8, 10),
    "analyze [####------] 3/8  37%",
  );
  assertEquals(renderProgressBar("b", 0, 4, 4), "b [----] 0/4   0%");
  assertEquals(renderProgressBar("b", 4, 4, 4), "b [####] 4/4 100%");
  assertEquals(renderProgressBar("b", 0, 0, 4), "b [####] 0/0 100%");
  const output = (terminal: boolean) => {
    const written: string[] = [];
    return {
      written,
      isTerminal: () => terminal,
      writeSync(bytes: Uint8Array) {
        written.push(new TextDecoder().decode(bytes));
        return bytes.length;
      },
    };
  };
  const terminal = output(true);
  const bar = progressBar("block 1/3", 2, terminal);
  bar.advance();
  bar.advance();
  bar.finish();
  assertEquals(terminal.written, [
    `\r${renderProgressBar("block 1/3", 0, 2)}`,
    `\r${renderProgressBar("block 1/3", 1, 2)}`,
    `\r${renderProgressBar("block 1/3", 2, 2)}`,
    "\n",
  ]);
  const pipe = output(false);
  const silent = progressBar("analyze", 2, pipe);
  silent.advance();
  silent.finish();
  assertEquals(pipe.written, []);
});

Deno.test("the dispatch table, and the contract's command line as a process", async () => {
  for (const name of ["info", "analyze", "finalize", "help"]) {
    assertEquals(typeof COMMANDS[name], "function", name);
  }
  await withTempDir(async (dir) => {
    await writeTiff(`${dir}/in.tif`, testVolume([6, 8, 8]), { axes: "ZYX" });
    const out = `${dir}/out.zarr`;
    for (const task of ["1", "0"]) {
      const run = await runStria([
        "analyze",
        `${dir}/in.tif`,
        out,
        "--tasks",
        "2",
        "--task",
        task,
      ]);
      // stderr is no terminal here: no progress bar.
      assertEquals([run.code, run.stderr], [0, ""]);
    }
    const finalize = await runStria(["finalize", out]);
    assertEquals([finalize.code, finalize.stdout], [
      0,
      `${out}: complete (2 blocks)\n`,
    ]);
    const info = await runStria(["info", "--json", out]);
    assertEquals(info.code, 0, info.stderr);
    const parsed = JSON.parse(info.stdout);
    assertEquals(parsed.blocks, 2);
    assertEquals(Object.keys(parsed.arrays), [
      "eigenvalues",
      "vectors",
      "fractionalAnisotropy",
    ]);
  });
});

Deno.test("deno install puts a working stria into a root folder", async () => {
  await withTempDir(async (root) => {
    const install = await new Deno.Command(Deno.execPath(), {
      args: [
        "install",
        "-g",
        "-n",
        "stria",
        "--root",
        root,
        ...PERMISSIONS,
        STRIA,
      ],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(
      install.code,
      0,
      new TextDecoder().decode(install.stderr),
    );
    const run = await new Deno.Command(`${root}/bin/stria`, {
      args: ["--help"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assertEquals(run.code, 0);
    assertEquals(new TextDecoder().decode(run.stdout), `${USAGE}\n`);
  });
});
