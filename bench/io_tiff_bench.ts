/**
 * TIFF reading and writing at the kidney dataset's size: 48 pages of 512 x 512
 * uint16 (16 planes x 3 channels, 25 MB), uncompressed.
 *
 *     deno bench --allow-read --allow-env bench/io_tiff_bench.ts
 */

import { encodeTiff, ndarray, readTiff } from "../mod.ts";

const planes = ndarray(
  new Uint16Array(16 * 3 * 512 * 512).map((_, i) => (i * 2654435761) % 4096),
  [16, 3, 512, 512],
);
const bytes = encodeTiff(planes, { axes: "ZCYX" });
const channelsLast = ndarray(planes.data, [16, 512, 512, 3]);

Deno.bench(
  "readTiff 48 x 512 x 512 uint16 ImageJ hyperstack (25 MB, from memory)",
  async () => {
    await readTiff(bytes);
  },
);

Deno.bench("encodeTiff 48 x 512 x 512 uint16, C-contiguous", () => {
  encodeTiff(planes, { axes: "ZCYX" });
});

Deno.bench(
  "encodeTiff 48 x 512 x 512 uint16, ZYXC view transposed to ZCYX",
  () => {
    encodeTiff(channelsLast.transpose(0, 3, 1, 2), { axes: "ZCYX" });
  },
);
