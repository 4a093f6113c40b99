// stria gallery client script: theme toggle, interactive figures (inline
// SVG with "stria-values" panels: zoom, pan, value readout) and interactive
// volume views (`.view.json`, format "stria-view" version 1; see
// docs/example_format.md).
// Plain JavaScript with no dependencies, so pages work offline and from file://.

"use strict";

// Runs in <head>, before first paint, so a stored theme never flashes.
(function applyStoredTheme() {
  try {
    const stored = localStorage.getItem("stria-theme");
    if (stored === "dark" || stored === "light") {
      document.documentElement.dataset.theme = stored;
    }
  } catch (_) {
    // Storage can be unavailable (privacy modes, some file:// setups); the system theme applies.
  }
})();

function effectiveTheme() {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === "dark" || chosen === "light") return chosen;
  return globalThis.matchMedia &&
      matchMedia("(prefers-color-scheme: dark)").matches
    ? "dark"
    : "light";
}

function setupThemeToggle() {
  for (const button of document.querySelectorAll(".theme-toggle")) {
    const label = () =>
      button.setAttribute("aria-pressed", String(effectiveTheme() === "dark"));
    label();
    button.addEventListener("click", () => {
      const next = effectiveTheme() === "dark" ? "light" : "dark";
      document.documentElement.dataset.theme = next;
      try {
        localStorage.setItem("stria-theme", next);
      } catch (_) {
        // Not persisted when storage is unavailable; the toggle still applies to this page.
      }
      label();
    });
  }
}

// Colormaps as 256-entry RGB lookup tables, interpolated linearly between
// anchor colors sampled at equal steps along each map.
const COLORMAP_ANCHORS = {
  gray: ["#000000", "#ffffff"],
  viridis: [
    "#440154",
    "#482878",
    "#3e4989",
    "#31688e",
    "#26828e",
    "#1f9e89",
    "#35b779",
    "#6ece58",
    "#fde725",
  ],
  magma: [
    "#000004",
    "#1c1044",
    "#4f127b",
    "#812581",
    "#b5367a",
    "#e55064",
    "#fb8761",
    "#fec287",
    "#fcfdbf",
  ],
};

function buildLut(name) {
  const anchors = (COLORMAP_ANCHORS[name] || COLORMAP_ANCHORS.gray).map((
    hex,
  ) => [
    parseInt(hex.slice(1, 3), 16),
    parseInt(hex.slice(3, 5), 16),
    parseInt(hex.slice(5, 7), 16),
  ]);
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * (anchors.length - 1);
    const k = Math.min(anchors.length - 2, Math.floor(t));
    const f = t - k;
    for (let c = 0; c < 3; c++) {
      lut[i * 3 + c] = Math.round(
        anchors[k][c] * (1 - f) + anchors[k + 1][c] * f,
      );
    }
  }
  return lut;
}

// Little-endian values from base64: float32 (views and most figures) or
// uint16 (figures of integer images).
function decodeValues(base64, count, dtype = "float32") {
  const width = dtype === "uint16" ? 2 : 4;
  const binary = atob(base64);
  if (binary.length !== count * width) {
    throw new Error(
      `panel data holds ${binary.length / width} values, shape needs ${count}`,
    );
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    values[i] = width === 2
      ? view.getUint16(i * 2, true)
      : view.getFloat32(i * 4, true);
  }
  return values;
}

function formatValue(value) {
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5)) {
    return value.toExponential(3);
  }
  return String(Number(value.toPrecision(4)));
}

function element(tag, attributes, children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children || []) node.append(child);
  return node;
}

function colorIndex(value, panel) {
  const span = panel.vmax - panel.vmin;
  const t = span > 0 ? (value - panel.vmin) / span : 0;
  return Math.max(
    0,
    Math.min(255, Math.round((Number.isNaN(t) ? 0 : t) * 255)),
  );
}

// Draws plane z of a panel: values mapped through the LUT at voxel resolution,
// then scaled up with nearest-neighbour sampling to a high-DPI bitmap.
function drawPlane(canvas, scratch, panel, shape, z) {
  const [, ny, nx] = shape;
  const image = scratch.getContext("2d").createImageData(nx, ny);
  const offset = z * ny * nx;
  for (let i = 0; i < ny * nx; i++) {
    const c = colorIndex(panel.values[offset + i], panel) * 3;
    image.data[i * 4] = panel.lut[c];
    image.data[i * 4 + 1] = panel.lut[c + 1];
    image.data[i * 4 + 2] = panel.lut[c + 2];
    image.data[i * 4 + 3] = 255;
  }
  scratch.getContext("2d").putImageData(image, 0, 0);
  const context = canvas.getContext("2d");
  context.imageSmoothingEnabled = false;
  context.drawImage(scratch, 0, 0, canvas.width, canvas.height);
}

// A colour bar: the gradient, a tick at each end (and the middle) with its
// value, and the label of the values under it.
function colorbarElement(panel) {
  const bar = element("canvas", { "aria-hidden": "true" });
  drawColorbar(bar, panel.lut);
  const ticks = [0, 0.5, 1].map((t) =>
    element("span", {
      class: "colorbar-tick",
      style: `left: ${t * 100}%`,
      text: formatValue(panel.vmin + t * (panel.vmax - panel.vmin)),
    })
  );
  return element("div", { class: "colorbar" }, [
    bar,
    element("div", { class: "colorbar-ticks" }, ticks),
    element("div", {
      class: "colorbar-label",
      text: `${panel.label || "value"} (${panel.cmap})`,
    }),
  ]);
}

function drawColorbar(canvas, lut) {
  canvas.width = 256;
  canvas.height = 1;
  const context = canvas.getContext("2d");
  const image = context.createImageData(256, 1);
  for (let i = 0; i < 256; i++) {
    image.data.set([lut[i * 3], lut[i * 3 + 1], lut[i * 3 + 2], 255], i * 4);
  }
  context.putImageData(image, 0, 0);
}

// Rotation matrix (row-major 3x3) for a yaw about the vertical axis then a pitch about the horizontal one.
function rotation(yaw, pitch) {
  const [cy, sy, cp, sp] = [
    Math.cos(yaw),
    Math.sin(yaw),
    Math.cos(pitch),
    Math.sin(pitch),
  ];
  return [cy, 0, sy, sp * sy, cp, -sp * cy, -cp * sy, sp, cp * cy];
}

// Maximum-intensity projection of the first panel by ray marching through the
// rotated volume (orthographic), plus the bounding box and the current plane.
function render3d(canvas, state, size) {
  const { shape, physicalSizes, panels } = state.view;
  const panel = panels[state.volume];
  const [nz, ny, nx] = shape;
  const { Z: vz, Y: vy, X: vx } = physicalSizes;
  const extent = [nx * vx, ny * vy, nz * vz];
  const diagonal = Math.hypot(...extent);
  const r = rotation(state.yaw, state.pitch);
  const step = Math.max(Math.min(vx, vy, vz), diagonal / 256);
  const steps = Math.ceil(diagonal / step);
  canvas.width = size;
  canvas.height = size;
  const context = canvas.getContext("2d");
  const image = context.createImageData(size, size);
  const values = panel.values;
  // Screen (u, v, w) -> volume: p = R^T (u, v, w) + centre.
  const toVolume = (u, v, w) => [
    r[0] * u + r[3] * v + r[6] * w + extent[0] / 2,
    r[1] * u + r[4] * v + r[7] * w + extent[1] / 2,
    r[2] * u + r[5] * v + r[8] * w + extent[2] / 2,
  ];
  const dp = [r[6] * step, r[7] * step, r[8] * step];
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const u = ((i + 0.5) / size - 0.5) * diagonal;
      const v = ((j + 0.5) / size - 0.5) * diagonal;
      let [px, py, pz] = toVolume(u, v, -diagonal / 2);
      let best = -Infinity;
      for (let s = 0; s < steps; s++, px += dp[0], py += dp[1], pz += dp[2]) {
        const x = Math.floor(px / vx);
        const y = Math.floor(py / vy);
        const z = Math.floor(pz / vz);
        if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) continue;
        const value = values[(z * ny + y) * nx + x];
        if (value > best) best = value;
      }
      const o = (j * size + i) * 4;
      if (best === -Infinity) {
        image.data[o + 3] = 0;
        continue;
      }
      const c = colorIndex(best, panel) * 3;
      image.data[o] = panel.lut[c];
      image.data[o + 1] = panel.lut[c + 1];
      image.data[o + 2] = panel.lut[c + 2];
      image.data[o + 3] = 255;
    }
  }
  context.putImageData(image, 0, 0);
  // Volume -> screen: q = R (p - centre), mapped to pixels.
  const project = (x, y, z) => {
    const p = [x - extent[0] / 2, y - extent[1] / 2, z - extent[2] / 2];
    const u = r[0] * p[0] + r[1] * p[1] + r[2] * p[2];
    const v = r[3] * p[0] + r[4] * p[1] + r[5] * p[2];
    return [(u / diagonal + 0.5) * size, (v / diagonal + 0.5) * size];
  };
  const outline = (corners, color, width) => {
    context.strokeStyle = color;
    context.lineWidth = width;
    context.beginPath();
    corners.forEach((corner, k) => {
      const [sx, sy] = project(...corner);
      if (k === 0) context.moveTo(sx, sy);
      else context.lineTo(sx, sy);
    });
    context.closePath();
    context.stroke();
  };
  const [ex, ey, ez] = extent;
  const lineWidth = Math.max(1, size / 300);
  for (const z of [0, ez]) {
    outline(
      [[0, 0, z], [ex, 0, z], [ex, ey, z], [0, ey, z]],
      "rgba(255,255,255,0.35)",
      lineWidth,
    );
  }
  for (const [x, y] of [[0, 0], [ex, 0], [ex, ey], [0, ey]]) {
    outline([[x, y, 0], [x, y, ez]], "rgba(255,255,255,0.35)", lineWidth);
  }
  const zc = (state.plane + 0.5) * vz;
  outline(
    [[0, 0, zc], [ex, 0, zc], [ex, ey, zc], [0, ey, zc]],
    "rgba(255, 196, 0, 0.95)",
    lineWidth * 1.5,
  );
  if (state.axes) {
    drawAxes3d(state.axes, state.view, (x, y, z) => {
      const [sx, sy] = project(x, y, z);
      return [sx / size, sy / size];
    });
  }
}

// Round 1-2-5 tick values from 0 to at most `extent`: about `count` of them,
// and never fewer than two.
function niceTicks(extent, count) {
  if (!(extent > 0)) return [0];
  const rough = Math.min(extent, extent / Math.max(1, count - 1));
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [5, 2, 1].map((m) => m * power).find((v) =>
    v <= rough * (1 + 1e-9)
  );
  const ticks = [];
  for (let k = 0; k * step <= extent * (1 + 1e-9); k++) {
    ticks.push(Number((k * step).toPrecision(12)));
  }
  return ticks;
}

const SVG_NS = "http://www.w3.org/2000/svg";

function svgElement(tag, attributes, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attributes)) {
    node.setAttribute(key, String(value));
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

// Axes of the 3-D view along three box edges from the corner at voxel
// (0, 0, 0), drawn as SVG over the canvas so text keeps its CSS size: ticks at
// voxel centres, labelled in physical units when the view has a voxel size
// (voxel i at i × size, as in the 2-D figures).
function drawAxes3d(overlay, view, toUnit) {
  const [nz, ny, nx] = view.shape;
  const { Z: vz, Y: vy, X: vx } = view.physicalSizes;
  const unit = view.physicalUnit ? ` (${view.physicalUnit})` : "";
  const side = overlay.clientWidth || 320;
  overlay.setAttribute("viewBox", `0 0 ${side} ${side}`);
  overlay.replaceChildren();
  const centre = toUnit(nx * vx / 2, ny * vy / 2, nz * vz / 2);
  const axes = [
    { name: "x", n: nx, size: vx, at: (t) => [t, 0, 0] },
    { name: "y", n: ny, size: vy, at: (t) => [0, t, 0] },
    { name: "z", n: nz, size: vz, at: (t) => [0, 0, t] },
  ];
  for (const axis of axes) {
    const start = toUnit(...axis.at(0));
    const end = toUnit(...axis.at(axis.n * axis.size));
    const length = Math.hypot(end[0] - start[0], end[1] - start[1]) * side;
    const ticks = niceTicks(
      (axis.n - 1) * axis.size,
      Math.max(2, Math.floor(length / 45)),
    );
    overlay.append(svgElement("line", {
      x1: start[0] * side,
      y1: start[1] * side,
      x2: end[0] * side,
      y2: end[1] * side,
      class: "axis-line",
    }));
    for (const t of ticks) {
      // The three axes meet at 0: label it once.
      if (t === 0 && axis.name !== "x") continue;
      const [u, v] = toUnit(...axis.at(t + axis.size / 2));
      const away = [u - centre[0], v - centre[1]];
      const norm = Math.hypot(...away) || 1;
      const [dx, dy] = [away[0] / norm, away[1] / norm];
      const [px, py] = [u * side, v * side];
      overlay.append(
        svgElement("line", {
          x1: px,
          y1: py,
          x2: px + dx * 5,
          y2: py + dy * 5,
          class: "axis-tick",
        }),
        svgElement("text", {
          x: px + dx * 14,
          y: py + dy * 14 + 4,
          "text-anchor": dx > 0.3 ? "start" : dx < -0.3 ? "end" : "middle",
          "font-size": 11,
          class: "axis-tick-label",
          "data-axis": axis.name,
        }, String(t)),
      );
    }
    const away = [end[0] - centre[0], end[1] - centre[1]];
    const norm = Math.hypot(...away) || 1;
    overlay.append(svgElement("text", {
      x: end[0] * side + (away[0] / norm) * 16,
      y: end[1] * side + (away[1] / norm) * 16 + 4,
      "text-anchor": "middle",
      "font-size": 12,
      "font-weight": 600,
      class: "axis-name",
    }, `${axis.name}${unit}`));
  }
}

// "1.25 × 1.24 × 1.24 µm": the view's voxel size along Z, Y and X, with its unit when known.
function voxelSizeText(view) {
  const { Z, Y, X } = view.physicalSizes;
  const unit = view.physicalUnit ? ` ${view.physicalUnit}` : "";
  return `${[Z, Y, X].join(" × ")}${unit}`;
}

const INITIAL_YAW = 0.65;
const INITIAL_PITCH = -0.45;

function setupView(section) {
  const source = section.querySelector('script[type="application/json"]');
  const view = JSON.parse(source.textContent);
  if (view.format !== "stria-view" || view.version !== 1) {
    throw new Error(`unsupported view format ${view.format} ${view.version}`);
  }
  const shape = view.shape;
  const [nz, ny, nx] = shape;
  const count = nz * ny * nx;
  view.physicalSizes = { Z: 1, Y: 1, X: 1, ...view.physicalSizes };
  for (const panel of view.panels) {
    panel.values = decodeValues(panel.data, count);
    panel.lut = buildLut(panel.cmap);
  }
  const widgets = view.widgets || ["slices"];
  const axes = (view.axes || "ZYX").toLowerCase();
  const state = {
    view,
    plane: Math.min(
      nz - 1,
      Math.max(0, view.initialPlane ?? Math.floor(nz / 2)),
    ),
    yaw: INITIAL_YAW,
    pitch: INITIAL_PITCH,
    volume: 0,
    axes: null,
  };
  const dpr = globalThis.devicePixelRatio || 1;
  const scale = Math.max(1, Math.ceil((320 * dpr) / Math.max(nx, ny)));
  const scratch = element("canvas");
  scratch.width = nx;
  scratch.height = ny;

  const slider = element("input", {
    type: "range",
    min: "0",
    max: String(nz - 1),
    step: "1",
    value: String(state.plane),
    "aria-label": `Plane along ${axes[0]}`,
  });
  const planeLabel = element("span", { class: "view-plane" });
  const readout = element("div", {
    class: "view-readout",
    "aria-live": "polite",
    text: "Hover over a panel to read values.",
  });
  const canvases = [];
  const figures = view.panels.map((panel) => {
    const canvas = element("canvas", {
      role: "img",
      "aria-label": `${panel.title}, one plane of the volume`,
    });
    canvas.width = nx * scale;
    canvas.height = ny * scale;
    canvases.push(canvas);
    const colorbar = colorbarElement(panel);
    const caption = element("figcaption", {}, [
      element("strong", { text: panel.title }),
      element("span", {
        class: "muted",
        text: `${panel.label || ""} · ${panel.cmap}`,
      }),
    ]);
    return element("figure", { class: "view-panel" }, [
      canvas,
      colorbar,
      caption,
    ]);
  });

  let canvas3d = null;
  const redraw = () => {
    planeLabel.textContent = `${axes[0]} = ${state.plane} / ${nz - 1}`;
    view.panels.forEach((panel, k) =>
      drawPlane(canvases[k], scratch, panel, shape, state.plane)
    );
    if (canvas3d) {
      render3d(canvas3d, state, Math.round(Math.min(512, 320 * dpr)));
    }
  };
  slider.addEventListener("input", () => {
    state.plane = Number(slider.value);
    redraw();
  });

  const showValue = (event, canvas) => {
    const box = canvas.getBoundingClientRect();
    const x = Math.min(
      nx - 1,
      Math.max(0, Math.floor(((event.clientX - box.left) / box.width) * nx)),
    );
    const y = Math.min(
      ny - 1,
      Math.max(0, Math.floor(((event.clientY - box.top) / box.height) * ny)),
    );
    const index = (state.plane * ny + y) * nx + x;
    const values = view.panels.map((panel) =>
      `${panel.title}: ${formatValue(panel.values[index])}`
    ).join(" · ");
    readout.textContent = `${axes[2]} ${x}, ${axes[1]} ${y}, ${
      axes[0]
    } ${state.plane} — ${values}`;
  };
  for (const canvas of canvases) {
    canvas.addEventListener("pointermove", (event) => showValue(event, canvas));
  }

  const children = [];
  if (widgets.includes("slices")) {
    children.push(
      element("div", { class: "view-controls" }, [
        element("label", { text: "Plane" }),
        slider,
        planeLabel,
      ]),
      element("div", { class: "view-panels" }, figures),
      readout,
    );
  }
  if (widgets.includes("3d")) {
    canvas3d = element("canvas", {
      role: "img",
      "aria-label": `Rotatable maximum-intensity projection of ${
        view.panels[0].title
      }`,
    });
    state.axes = document.createElementNS(SVG_NS, "svg");
    state.axes.setAttribute("class", "view-3d-axes");
    state.axes.setAttribute("aria-hidden", "true");
    const volumeChoice = element(
      "select",
      {
        class: "view-volume",
        "aria-label": "Volume shown in 3D",
      },
      view.panels.map((panel, k) =>
        element("option", { value: String(k), text: panel.title })
      ),
    );
    const colorbar3d = element("div", { class: "view-3d-colorbar" }, [
      colorbarElement(view.panels[0]),
    ]);
    const caption3d = element("p", {});
    const describe = () => {
      const panel = view.panels[state.volume];
      canvas3d.setAttribute(
        "aria-label",
        `Rotatable maximum-intensity projection of ${panel.title}`,
      );
      caption3d.textContent =
        `3D view of “${panel.title}”: maximum-intensity ` +
        `projection of ${panel.label || "the values"}. Drag to rotate; ` +
        `the yellow outline is the current plane. Axes from the box's first ` +
        `voxel, voxel size (Z × Y × X) ${voxelSizeText(view)}.`;
      colorbar3d.replaceChildren(colorbarElement(panel));
    };
    describe();
    volumeChoice.addEventListener("change", () => {
      state.volume = Number(volumeChoice.value);
      describe();
      render3d(canvas3d, state, Math.round(Math.min(512, 320 * dpr)));
    });
    const reset3d = element("button", {
      type: "button",
      class: "view-reset",
      text: "Reset 3D view",
    });
    reset3d.addEventListener("click", () => {
      state.yaw = INITIAL_YAW;
      state.pitch = INITIAL_PITCH;
      render3d(canvas3d, state, Math.round(Math.min(512, 320 * dpr)));
    });
    let drag = null;
    canvas3d.addEventListener("pointerdown", (event) => {
      drag = {
        x: event.clientX,
        y: event.clientY,
        yaw: state.yaw,
        pitch: state.pitch,
      };
      canvas3d.setPointerCapture(event.pointerId);
    });
    let pending = false;
    canvas3d.addEventListener("pointermove", (event) => {
      if (!drag) return;
      state.yaw = drag.yaw + (event.clientX - drag.x) * 0.01;
      state.pitch = Math.max(
        -1.5,
        Math.min(1.5, drag.pitch + (event.clientY - drag.y) * 0.01),
      );
      if (pending) return;
      pending = true;
      // A coarse frame while dragging keeps rotation smooth; the full one follows on release.
      requestAnimationFrame(() => {
        pending = false;
        render3d(canvas3d, state, Math.round(Math.min(192, 160 * dpr)));
      });
    });
    const release = () => {
      if (!drag) return;
      drag = null;
      render3d(canvas3d, state, Math.round(Math.min(512, 320 * dpr)));
    };
    canvas3d.addEventListener("pointerup", release);
    canvas3d.addEventListener("pointercancel", release);
    children.push(element("div", { class: "view-3d" }, [
      element("div", { class: "view-3d-stage" }, [canvas3d, state.axes]),
      element("div", { class: "view-3d-side" }, [
        element("div", { class: "view-controls" }, [
          element("label", { text: "Volume" }),
          volumeChoice,
          reset3d,
        ]),
        colorbar3d,
        caption3d,
      ]),
    ]));
  }
  section.append(...children);
  redraw();
  section.dataset.ready = "true";
}

// "x 2.48 µm" or "col 2": a pixel index on a value-grid axis, in the figure's frame.
function axisReading(axis, index) {
  const value = Number((index * axis.size).toPrecision(6));
  return axis.unit
    ? `${axis.name} ${value} ${axis.unit}`
    : `${axis.name} ${value}`;
}

// The value-grid panels of an inline figure (attribute data-stria-values,
// format "stria-values" version 1), each with its image element, whose box
// on screen is the panel's pixel frame.
function figurePanels(svg) {
  return Array.from(svg.querySelectorAll("svg[data-stria-values]")).map(
    (node) => {
      const grid = JSON.parse(node.getAttribute("data-stria-values"));
      if (grid.format !== "stria-values" || grid.version !== 1) {
        throw new Error(`unsupported values ${grid.format} ${grid.version}`);
      }
      grid.values = decodeValues(grid.data, grid.rows * grid.cols, grid.dtype);
      grid.image = node.querySelector("image");
      return grid;
    },
  );
}

// The reading under a client point: panel, pixel and value, or null.
function readFigure(panels, clientX, clientY) {
  for (const panel of panels) {
    const box = panel.image.getBoundingClientRect();
    const u = (clientX - box.left) / box.width;
    const v = (clientY - box.top) / box.height;
    if (!(u >= 0 && u < 1 && v >= 0 && v < 1)) continue;
    const col = Math.floor(u * panel.cols);
    const row = Math.floor(v * panel.rows);
    const value = panel.values[row * panel.cols + col];
    const where = `${axisReading(panel.x, col)}, ${axisReading(panel.y, row)}`;
    const pixel = panel.x.unit ? ` (col ${col}, row ${row})` : "";
    const title = panel.title ? `${panel.title}: ` : "";
    return `${title}${where}${pixel} → ${panel.value || "value"} ${
      formatValue(value)
    }`;
  }
  return null;
}

const MAX_ZOOM = 40;

// Zoom (wheel, pinch), pan (drag, one finger), reset (double-click or double
// tap, button) and value readout (hover, touch) of an inline SVG figure, by
// pointer events on its viewBox.
function setupFigure(figure) {
  const svg = figure.querySelector("svg.figure-svg");
  const [, , width, height] = svg.getAttribute("viewBox").split(/\s+/).map(
    Number,
  );
  const panels = figurePanels(svg);
  let box = { x: 0, y: 0, w: width, h: height };
  const apply = () => {
    svg.setAttribute("viewBox", `${box.x} ${box.y} ${box.w} ${box.h}`);
    // Unzoomed, vertical swipes scroll the page; zoomed, one finger pans.
    svg.style.touchAction = box.w < width ? "none" : "pan-y";
    figure.dataset.zoom = String(Number((width / box.w).toFixed(3)));
  };
  const reset = () => {
    box = { x: 0, y: 0, w: width, h: height };
    apply();
  };
  // Zooms by `factor` keeping the figure point under (clientX, clientY) still.
  const zoomAt = (factor, clientX, clientY) => {
    const rect = svg.getBoundingClientRect();
    const w = Math.min(width, Math.max(width / MAX_ZOOM, box.w / factor));
    const scale = w / box.w;
    const px = box.x + ((clientX - rect.left) / rect.width) * box.w;
    const py = box.y + ((clientY - rect.top) / rect.height) * box.h;
    box = {
      x: px - (px - box.x) * scale,
      y: py - (py - box.y) * scale,
      w,
      h: box.h * scale,
    };
    apply();
  };
  const panBy = (dxClient, dyClient) => {
    const rect = svg.getBoundingClientRect();
    box.x -= (dxClient / rect.width) * box.w;
    box.y -= (dyClient / rect.height) * box.h;
    apply();
  };

  const readout = element("output", {
    class: "figure-readout",
    "aria-live": "polite",
    text: panels.length
      ? "Point at or touch the image to read its value."
      : "Scroll or pinch to zoom, drag to pan.",
  });
  const show = (event) => {
    const text = readFigure(panels, event.clientX, event.clientY);
    if (text) readout.textContent = text;
  };
  const resetButton = element("button", {
    type: "button",
    class: "figure-reset",
    text: "Reset zoom",
  });
  resetButton.addEventListener("click", reset);

  svg.addEventListener("wheel", (event) => {
    event.preventDefault();
    zoomAt(Math.exp(-event.deltaY * 0.002), event.clientX, event.clientY);
  }, { passive: false });
  // Browsers turn a double tap into dblclick too (touch-action leaves them no
  // double-tap zoom to do instead).
  svg.addEventListener("dblclick", reset);

  const pointers = new Map();
  let pinch = null;
  svg.addEventListener("pointerdown", (event) => {
    pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
    svg.setPointerCapture?.(event.pointerId);
    show(event);
    if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      pinch = { distance: Math.hypot(a.x - b.x, a.y - b.y) };
    }
  });
  svg.addEventListener("pointermove", (event) => {
    const last = pointers.get(event.pointerId);
    if (!last) {
      show(event);
      return;
    }
    const moved = { x: event.clientX, y: event.clientY };
    pointers.set(event.pointerId, moved);
    if (pointers.size === 2 && pinch) {
      const [a, b] = [...pointers.values()];
      const distance = Math.hypot(a.x - b.x, a.y - b.y);
      if (pinch.distance > 0) {
        zoomAt(distance / pinch.distance, (a.x + b.x) / 2, (a.y + b.y) / 2);
      }
      pinch.distance = distance;
    } else if (pointers.size === 1) {
      panBy(moved.x - last.x, moved.y - last.y);
    }
    show(event);
  });
  const release = (event) => {
    pointers.delete(event.pointerId);
    if (pointers.size < 2) pinch = null;
  };
  svg.addEventListener("pointerup", release);
  svg.addEventListener("pointercancel", release);

  figure.insertBefore(
    element("div", { class: "figure-tools" }, [resetButton, readout]),
    figure.querySelector("figcaption"),
  );
  apply();
  figure.dataset.interactive = "true";
}

document.addEventListener("DOMContentLoaded", () => {
  setupThemeToggle();
  for (const figure of document.querySelectorAll(".stria-figure")) {
    try {
      setupFigure(figure);
    } catch (error) {
      figure.append(
        element("p", {
          class: "output stderr",
          text: `This figure is not interactive: ${error.message}`,
        }),
      );
      console.error(error);
    }
  }
  for (const section of document.querySelectorAll(".stria-view")) {
    try {
      setupView(section);
    } catch (error) {
      section.append(
        element("p", {
          class: "output stderr",
          text: `This view could not be shown: ${error.message}`,
        }),
      );
      console.error(error);
    }
  }
});
