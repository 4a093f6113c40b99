// stria gallery client script: theme toggle and interactive volume views
// (`.view.json`, format "stria-view" version 1; see docs/example_format.md).
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

function decodeFloat32(base64, count) {
  const binary = atob(base64);
  if (binary.length !== count * 4) {
    throw new Error(
      `panel data holds ${binary.length / 4} values, shape needs ${count}`,
    );
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = view.getFloat32(i * 4, true);
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
  const panel = panels[0];
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
}

// "1.25 × 1.24 × 1.24 µm": the view's voxel size along Z, Y and X, with its unit when known.
function voxelSizeText(view) {
  const { Z, Y, X } = view.physicalSizes;
  const unit = view.physicalUnit ? ` ${view.physicalUnit}` : "";
  return `${[Z, Y, X].join(" × ")}${unit}`;
}

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
    panel.values = decodeFloat32(panel.data, count);
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
    yaw: 0.65,
    pitch: -0.45,
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
    const bar = element("canvas", { "aria-hidden": "true" });
    drawColorbar(bar, panel.lut);
    const colorbar = element("div", { class: "colorbar" }, [
      element("span", { text: formatValue(panel.vmin) }),
      bar,
      element("span", { text: formatValue(panel.vmax) }),
    ]);
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
      canvas3d,
      element("p", {
        text:
          `3D view of “${
            view.panels[0].title
          }”: maximum-intensity projection. Drag to rotate; ` +
          `the yellow outline is the current plane. Voxel size (Z × Y × X) ${
            voxelSizeText(view)
          }.`,
      }),
    ]));
  }
  section.append(...children);
  redraw();
  section.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", () => {
  setupThemeToggle();
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
