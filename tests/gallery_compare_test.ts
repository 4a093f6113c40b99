import { assertEquals } from "./_gallery_assert.ts";
import {
  compareOutput,
  numbersClose,
  tokenizeLine,
} from "../gallery/_compare.ts";

Deno.test("tokenizeLine separates text from numbers, including exponents, signs, nan and inf", () => {
  assertEquals(tokenizeLine("array([[6.09935619e-05, -1.3E+04, .5]])"), {
    text: ["array([[", ", ", ", ", "]])"],
    numbers: [6.09935619e-05, -1.3e4, 0.5],
  });
  assertEquals(tokenizeLine("nan inf -Infinity"), {
    text: ["", " ", " ", ""],
    numbers: [NaN, Infinity, -Infinity],
  });
  // Words that contain "inf" or "nan" stay text.
  assertEquals(tokenizeLine("information finance"), {
    text: ["information finance"],
    numbers: [],
  });
});

Deno.test("numbersClose uses a relative tolerance and treats NaN as equal to NaN", () => {
  assertEquals(numbersClose(1, 1 + 1e-12, 1e-9), true);
  assertEquals(numbersClose(1, 1 + 1e-6, 1e-9), false);
  assertEquals(numbersClose(0, 1e-300, 1e-9), false);
  assertEquals(numbersClose(NaN, NaN, 1e-9), true);
  assertEquals(numbersClose(NaN, 0, 1e-9), false);
  assertEquals(numbersClose(Infinity, Infinity, 1e-9), true);
});

Deno.test("compareOutput accepts numbers within tolerance and reports other changes by line", () => {
  const old = "shape: (3, 8, 30, 30)\nmax: 0.16673175\nratio 11.4\n";
  assertEquals(
    compareOutput(
      old,
      "shape: (3, 8, 30, 30)\nmax: 0.1667317500000001\nratio 11.4\n",
    ),
    [],
  );
  assertEquals(
    compareOutput(old, "shape: (3, 8, 30, 31)\nmax: 0.16673175\nratio 11.4\n"),
    [
      { line: 1, old: "shape: (3, 8, 30, 30)", new: "shape: (3, 8, 30, 31)" },
    ],
  );
  assertEquals(
    compareOutput(old, "shape: (3, 8, 30, 30)\nmax: 0.16673175\nRatio 11.4\n"),
    [
      { line: 3, old: "ratio 11.4", new: "Ratio 11.4" },
    ],
  );
  assertEquals(compareOutput("a 1\n", "a 1\nb 2\n"), [{
    line: 2,
    old: "",
    new: "b 2",
  }, { line: 3, old: undefined, new: "" }]);
  assertEquals(compareOutput("x 1.5", "x 1.5000001", 1e-6), []);
  assertEquals(compareOutput("x 1.5", "x 1.5 2"), [{
    line: 1,
    old: "x 1.5",
    new: "x 1.5 2",
  }]);
});

Deno.test("compareOutput ignores the numbers of measured: lines, not their text or other lines", () => {
  const old = "measured: time 12.1 s for 96 planes\nslab: 0 differ\n";
  assertEquals(
    compareOutput(old, "measured: time 9.4 s for 96 planes\nslab: 0 differ\n"),
    [],
  );
  assertEquals(
    compareOutput(old, "measured: time 9.4 s for 97 blocks\nslab: 0 differ\n"),
    [{
      line: 1,
      old: "measured: time 12.1 s for 96 planes",
      new: "measured: time 9.4 s for 97 blocks",
    }],
  );
  assertEquals(
    compareOutput(old, "measured: time 9.4 s for 96 planes\nslab: 1 differ\n"),
    [{ line: 2, old: "slab: 0 differ", new: "slab: 1 differ" }],
  );
  // The prefix must start the line: elsewhere numbers are compared as always.
  assertEquals(compareOutput("x measured: 1\n", "x measured: 2\n").length, 1);
});
