/**
 * readTiff's strip decoding on files built here, for what no fixture covers:
 * zstd, the floating-point predictor (in both byte orders), the horizontal
 * predictor on big-endian samples, PackBits runs, several strips per page;
 * and corrupt compressed data, which fails naming the page and the strip.
 */

import { deepStrictEqual as assertEquals, rejects } from "node:assert/strict";
import { deflateSync, zstdCompressSync } from "node:zlib";
import { readTiff } from "../lib/io/mod.ts";

type Samples = Uint16Array | Int32Array | Float32Array | Float64Array;

interface Build {
  littleEndian: boolean;
  width: number;
  height: number;
  rowsPerStrip: number;
  pages: Samples[];
  compression: number;
  compress: (bytes: Uint8Array) => Uint8Array;
  predictor: 1 | 2 | 3;
}

const FORMATS = {
  Uint16Array: 1,
  Int32Array: 2,
  Float32Array: 3,
  Float64Array: 3,
};

/** The bytes of one row of samples in the file's order, with the predictor applied. */
function encodeRow(row: Samples, build: Build): Uint8Array {
  const size = row.BYTES_PER_ELEMENT;
  const bytes = new Uint8Array(row.length * size);
  const view = new DataView(bytes.buffer);
  const set = (at: number, value: number, little: boolean) => {
    if (row instanceof Uint16Array) view.setUint16(at, value, little);
    else if (row instanceof Int32Array) view.setInt32(at, value, little);
    else if (row instanceof Float32Array) view.setFloat32(at, value, little);
    else view.setFloat64(at, value, little);
  };
  if (build.predictor === 3) {
    // Bytes most significant first, byte planes one after another, then byte differences.
    const bigEndian = new Uint8Array(bytes.length);
    const bigView = new DataView(bigEndian.buffer);
    row.forEach((value, i) =>
      row instanceof Float32Array
        ? bigView.setFloat32(i * size, value)
        : bigView.setFloat64(i * size, value)
    );
    for (let i = 0; i < row.length; i++) {
      for (let b = 0; b < size; b++) {
        bytes[b * row.length + i] = bigEndian[i * size + b];
      }
    }
    for (let at = bytes.length - 1; at > 0; at--) bytes[at] -= bytes[at - 1];
    return bytes;
  }
  const values = Array.from(row as ArrayLike<number>);
  const wrap = row instanceof Uint16Array ? 0x10000 : 2 ** 32;
  for (let i = row.length - 1; i > 0 && build.predictor === 2; i--) {
    values[i] = (values[i] - values[i - 1] + wrap) % wrap;
    if (row instanceof Int32Array && values[i] >= 2 ** 31) values[i] -= 2 ** 32;
  }
  values.forEach((value, i) => set(i * size, value, build.littleEndian));
  return bytes;
}

/** A TIFF of `build.pages`, one sample per pixel, in strips compressed by `build.compress`. */
function buildTiff(build: Build): Uint8Array {
  const { width, height, rowsPerStrip, littleEndian } = build;
  const parts: Uint8Array[] = [new Uint8Array(8)];
  let end = 8;
  const add = (bytes: Uint8Array) => {
    const at = end;
    parts.push(bytes);
    end += bytes.length;
    if (end % 2) add(new Uint8Array(1));
    return at;
  };
  const strips = build.pages.map((page) => {
    const offsets: number[] = [];
    const counts: number[] = [];
    for (let y = 0; y < height; y += rowsPerStrip) {
      const rows: Uint8Array[] = [];
      for (let row = y; row < Math.min(height, y + rowsPerStrip); row++) {
        rows.push(
          encodeRow(page.subarray(row * width, (row + 1) * width), build),
        );
      }
      const raw = new Uint8Array(rows.reduce((n, r) => n + r.length, 0));
      rows.reduce((at, r) => (raw.set(r, at), at + r.length), 0);
      const stored = build.compress(raw);
      counts.push(stored.length);
      offsets.push(add(stored));
    }
    return { offsets, counts };
  });
  const longs = (values: number[]) => {
    const bytes = new Uint8Array(4 * values.length);
    values.forEach((v, i) =>
      new DataView(bytes.buffer).setUint32(4 * i, v, littleEndian)
    );
    return bytes;
  };
  const ifds: number[] = [];
  const ifdBytes: DataView[] = [];
  build.pages.forEach((page, index) => {
    const { offsets, counts } = strips[index];
    const many = offsets.length > 1;
    const entries: [number, number, number, number][] = [
      [256, 4, 1, width],
      [257, 4, 1, height],
      [258, 3, 1, 8 * page.BYTES_PER_ELEMENT],
      [259, 3, 1, build.compression],
      [262, 3, 1, 1],
      [273, 4, offsets.length, many ? add(longs(offsets)) : offsets[0]],
      [278, 4, 1, rowsPerStrip],
      [279, 4, counts.length, many ? add(longs(counts)) : counts[0]],
      [317, 3, 1, build.predictor],
      [339, 3, 1, FORMATS[page.constructor.name as keyof typeof FORMATS]],
    ];
    const bytes = new Uint8Array(2 + 12 * entries.length + 4);
    const view = new DataView(bytes.buffer);
    view.setUint16(0, entries.length, littleEndian);
    entries.forEach(([tag, type, count, value], i) => {
      view.setUint16(2 + 12 * i, tag, littleEndian);
      view.setUint16(4 + 12 * i, type, littleEndian);
      view.setUint32(6 + 12 * i, count, littleEndian);
      if (type === 3) view.setUint16(10 + 12 * i, value, littleEndian);
      else view.setUint32(10 + 12 * i, value, littleEndian);
    });
    ifds.push(add(bytes));
    ifdBytes.push(view);
  });
  ifdBytes.forEach((view, i) =>
    view.setUint32(view.byteLength - 4, ifds[i + 1] ?? 0, littleEndian)
  );
  const file = new Uint8Array(end);
  parts.reduce((at, part) => (file.set(part, at), at + part.length), 0);
  const header = new DataView(file.buffer);
  file[0] = file[1] = littleEndian ? 0x49 : 0x4d;
  header.setUint16(2, 42, littleEndian);
  header.setUint32(4, ifds[0], littleEndian);
  return file;
}

/** PackBits with a repeat run wherever 2 or more equal bytes follow one another. */
function packBits(bytes: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let at = 0; at < bytes.length;) {
    let run = 1;
    while (
      at + run < bytes.length && run < 128 && bytes[at + run] === bytes[at]
    ) run++;
    if (run >= 2) {
      out.push(257 - run, bytes[at]);
      at += run;
    } else {
      const literal = bytes.subarray(at, Math.min(bytes.length, at + 2));
      out.push(literal.length - 1, ...literal);
      at += literal.length;
    }
  }
  return new Uint8Array(out);
}

/**
 * TIFF LZW, written independently of the decoder: 9 to 12-bit codes, most
 * significant bit first, one bit wider once the next code reaches 512, 1024,
 * 2048, and a clear code when the table is full; `extraCodes` are written
 * before the end code.
 */
function lzw(bytes: Uint8Array, extraCodes: number[] = []): Uint8Array {
  const out: number[] = [];
  let buffer = 0;
  let bits = 0;
  let width = 9;
  const write = (code: number) => {
    buffer = (buffer << width) | code;
    bits += width;
    while (bits >= 8) {
      bits -= 8;
      out.push((buffer >>> bits) & 0xff);
    }
    buffer &= (1 << bits) - 1;
  };
  let table = new Map<number, number>();
  let next = 258;
  const added = () => {
    next++;
    if (next === 4094) {
      write(256);
      table = new Map();
      next = 258;
      width = 9;
    } else if (next === 1 << width) width++;
  };
  write(256);
  let prefix = bytes[0];
  for (const byte of bytes.subarray(1)) {
    const key = prefix * 256 + byte;
    const code = table.get(key);
    if (code !== undefined) {
      prefix = code;
      continue;
    }
    write(prefix);
    table.set(key, next);
    added();
    prefix = byte;
  }
  write(prefix);
  added();
  extraCodes.forEach(write);
  write(257);
  if (bits > 0) out.push((buffer << (8 - bits)) & 0xff);
  return new Uint8Array(out);
}

function pages<T extends Samples>(
  make: (n: number) => T,
  count: number,
  value: (i: number) => number,
  size = 7 * 6,
): T[] {
  return Array.from({ length: count }, (_, page) => {
    const values = make(size);
    for (let i = 0; i < values.length; i++) values[i] = value(page * 100 + i);
    return values;
  });
}

const base = {
  width: 7,
  height: 6,
  rowsPerStrip: 4,
  compression: 1,
  predictor: 1 as const,
};
const deflate = (bytes: Uint8Array) => new Uint8Array(deflateSync(bytes));
const zstd = (bytes: Uint8Array) => new Uint8Array(zstdCompressSync(bytes));
const cases: [string, Build][] = [
  ["zstd int32", {
    ...base,
    littleEndian: true,
    pages: pages((n) => new Int32Array(n), 3, (i) => (i * 7919) % 5000 - 2500),
    compression: 50000,
    compress: zstd,
  }],
  ["deflate float32, floating-point predictor, little-endian", {
    ...base,
    littleEndian: true,
    pages: pages(
      (n) => new Float32Array(n),
      2,
      (i) => Math.fround(Math.sin(i) * 1e3),
    ),
    compression: 8,
    compress: deflate,
    predictor: 3,
  }],
  ["deflate float64, floating-point predictor, big-endian", {
    ...base,
    littleEndian: false,
    pages: pages((n) => new Float64Array(n), 2, (i) => Math.cos(i) / 7),
    compression: 32946,
    compress: deflate,
    predictor: 3,
  }],
  ["deflate uint16, horizontal predictor, big-endian", {
    ...base,
    littleEndian: false,
    pages: pages((n) => new Uint16Array(n), 2, (i) => (i * 4099) % 65536),
    compression: 8,
    compress: deflate,
    predictor: 2,
  }],
  ["zstd int32, horizontal predictor, big-endian", {
    ...base,
    littleEndian: false,
    pages: pages(
      (n) => new Int32Array(n),
      2,
      (i) => i % 2 ? -i * 1e6 : i * 3e6,
    ),
    compression: 50000,
    compress: zstd,
    predictor: 2,
  }],
  ["LZW uint16 through every code width and table reset", {
    ...base,
    width: 200,
    height: 60,
    rowsPerStrip: 60,
    littleEndian: true,
    pages: pages(
      (n) => new Uint16Array(n),
      2,
      (i) => (i * 2654435761) % 65521 % (i % 3000 < 1500 ? 65536 : 16),
      200 * 60,
    ),
    compression: 5,
    compress: lzw,
  }],
  ["PackBits uint16 with runs", {
    ...base,
    littleEndian: true,
    // Zero runs, a two-byte run (0x0505), literals.
    pages: pages(
      (n) => new Uint16Array(n),
      2,
      (i) => [0, 0, 0, 0, 0, 0x0203, 0x0505][i % 10] ?? i,
    ),
    compression: 32773,
    compress: packBits,
  }],
];

for (const [name, build] of cases) {
  Deno.test(`readTiff decodes ${name}`, async () => {
    const image = await readTiff(buildTiff(build));
    assertEquals(image.axes, build.pages.length > 1 ? "ZYX" : "YX");
    assertEquals(image.data.shape, [
      build.pages.length,
      build.height,
      build.width,
    ]);
    assertEquals(image.metadata.predictor, build.predictor);
    assertEquals(
      Array.from(image.data.data),
      build.pages.flatMap((page) => Array.from(page as ArrayLike<number>)),
    );
  });
}

const corruptBuild: Build = {
  ...base,
  littleEndian: true,
  pages: pages((n) => new Uint16Array(n), 2, (i) => i),
  compression: 8,
  compress: deflate,
};

/** A TIFF of `corruptBuild` in `compression` whose `strip`-th strip (0-based over all pages) is `corrupt`'s. */
function withCorruptStrip(
  compression: number,
  compress: (bytes: Uint8Array) => Uint8Array,
  strip: number,
  corrupt: (bytes: Uint8Array) => Uint8Array,
): Uint8Array {
  let calls = 0;
  return buildTiff({
    ...corruptBuild,
    compression,
    compress: (bytes) => calls++ === strip ? corrupt(bytes) : compress(bytes),
  });
}

const codecs: [string, number, (bytes: Uint8Array) => Uint8Array][] = [
  ["deflate", 8, deflate],
  ["zstd", 50000, zstd],
  ["lzw", 5, lzw],
  ["packbits", 32773, packBits],
];

Deno.test("readTiff names the page, strip and codec of compressed data that does not decode, and why", async () => {
  const cases: [number, Uint8Array, RegExp][] = [
    // The second page's first strip is not zlib data.
    [
      8,
      withCorruptStrip(8, deflate, 2, (bytes) => bytes.map((b) => b ^ 0x5a)),
      /^Error: readTiff: corrupt\.tif: cannot decode page 1 strip 0 \(deflate\): incorrect header check$/,
    ],
    [
      50000,
      withCorruptStrip(50000, zstd, 1, (bytes) => bytes.map((b) => b ^ 0x5a)),
      /^Error: readTiff: corrupt\.tif: cannot decode page 0 strip 1 \(zstd\): .*Unknown frame descriptor$/,
    ],
    // Code 300 (9 bits) before any code was defined.
    [
      5,
      withCorruptStrip(5, lzw, 0, () => new Uint8Array([0x96, 0x00, 0x00])),
      /^Error: readTiff: corrupt\.tif: cannot decode page 0 strip 0 \(lzw\): code 300 at byte 2 is not defined yet$/,
    ],
    // A literal run of 101 bytes with 2 left.
    [
      32773,
      withCorruptStrip(32773, packBits, 3, () => new Uint8Array([100, 1, 2])),
      /^Error: readTiff: corrupt\.tif: cannot decode page 1 strip 1 \(packbits\): the literal run of 101 bytes at byte 0 passes the end of the data \(3 bytes\)$/,
    ],
    // Two literal bytes, then a repeat header with nothing after it.
    [
      32773,
      withCorruptStrip(
        32773,
        packBits,
        0,
        () => new Uint8Array([1, 7, 7, 0xf0]),
      ),
      /^Error: readTiff: corrupt\.tif: cannot decode page 0 strip 0 \(packbits\): the repeat run at byte 3 lacks the byte to repeat$/,
    ],
  ];
  for (const [compression, file, expected] of cases) {
    const message = await readTiff(file, { name: "corrupt.tif" }).then(
      () => `compression ${compression} decoded`,
      (error) => String(error),
    );
    assertEquals(expected.test(message), true, message);
  }
});

for (const [name, code, compress] of codecs) {
  Deno.test(`readTiff refuses a ${name} strip with a byte count of 0 or that decompresses short, naming page and strip`, async () => {
    await rejects(
      () =>
        readTiff(withCorruptStrip(code, compress, 1, () => new Uint8Array(0))),
      new RegExp(
        `^Error: readTiff: the given bytes: cannot decode page 0 strip 1 \\(${name}\\): its byte count is 0$`,
      ),
    );
    // The first 4 rows of 7 uint16 need 56 bytes; half of them are stored.
    await rejects(
      () =>
        readTiff(
          withCorruptStrip(code, compress, 2, (bytes) =>
            compress(bytes.subarray(0, 28))),
        ),
      new RegExp(
        `^Error: readTiff: the given bytes: cannot decode page 1 strip 0 \\(${name}\\): the data ends after 28 bytes, expected 56$`,
      ),
    );
  });

  Deno.test(`readTiff ignores ${name} data past a strip's rows, as libtiff does`, async () => {
    const long = buildTiff({
      ...corruptBuild,
      compression: code,
      compress: (bytes) => {
        const longer = new Uint8Array(bytes.length + 300).fill(0xee);
        longer.set(bytes);
        return compress(longer);
      },
    });
    const image = await readTiff(long);
    assertEquals(
      Array.from(image.data.data),
      corruptBuild.pages.flatMap((page) =>
        Array.from(page as ArrayLike<number>)
      ),
    );
  });
}

Deno.test("readTiff stops LZW and PackBits decoding once a strip's rows are out, as libtiff does, not reading what follows", async () => {
  const values = corruptBuild.pages.flatMap((page) =>
    Array.from(page as ArrayLike<number>)
  );
  // Code 510 is not defined yet after a strip of 56 bytes.
  const lzwImage = await readTiff(buildTiff({
    ...corruptBuild,
    compression: 5,
    compress: (bytes) => lzw(bytes, [510]),
  }));
  assertEquals(Array.from(lzwImage.data.data), values);
  // Literal runs of 10 bytes, one across the end of each strip's rows, then
  // a repeat run without the byte to repeat.
  const literals = (bytes: Uint8Array) => {
    const runs: number[] = [];
    const padded = [...bytes, 9, 9, 9, 9];
    for (let at = 0; at < padded.length; at += 10) {
      const run = padded.slice(at, at + 10);
      runs.push(run.length - 1, ...run);
    }
    return new Uint8Array([...runs, 0xf0]);
  };
  const packBitsImage = await readTiff(buildTiff({
    ...corruptBuild,
    compression: 32773,
    compress: literals,
  }));
  assertEquals(Array.from(packBitsImage.data.data), values);
});

Deno.test("readTiff names an unsupported compression", async () => {
  await rejects(
    () => readTiff(buildTiff({ ...corruptBuild, compression: 7 })),
    /page 0: unsupported compression jpeg \(7\); expected none, deflate, zstd, lzw, packbits/,
  );
});
