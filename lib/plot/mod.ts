/**
 * Figures: images, facets, plane rows, 3D volume views, bar and line charts as
 * standalone SVG (Observable Plot rendered server-side), PNG export, and
 * interactive view files for the gallery.
 *
 * @module
 */

export type { Figure, FigureKind } from "./figure.ts";
export {
  COLORMAP_NAMES,
  colormapColor,
  colormapIndex,
  colormapLut,
} from "./colormaps.ts";
export type { ColormapName } from "./colormaps.ts";
export { imshow } from "./imshow.ts";
export type {
  ImageLabels,
  ImshowOptions,
  PhysicalAxesOptions,
} from "./imshow.ts";
export { imshowFacets } from "./imshow_facets.ts";
export type { ImshowFacetsOptions } from "./imshow_facets.ts";
export { planeRow } from "./plane_row.ts";
export type { PlaneRowOptions } from "./plane_row.ts";
export { volumeView } from "./volume_view.ts";
export type { VolumeViewOptions } from "./volume_view.ts";
export { barChart } from "./bar_chart.ts";
export type { BarChartOptions, ChartLabels, Row } from "./bar_chart.ts";
export { lineChart } from "./line_chart.ts";
export type { LineChartOptions } from "./line_chart.ts";
export { renderPng, saveFigure } from "./save_figure.ts";
export type { SaveFigureOptions } from "./save_figure.ts";
export { encodeView, saveView } from "./view.ts";
export type {
  EncodedView,
  EncodedViewPanel,
  ViewPanel,
  ViewSpec,
  ViewWidget,
} from "./view.ts";
export { orientationMap } from "./orientation_map.ts";
export type { OrientationMapOptions } from "./orientation_map.ts";
export { directionColor } from "./direction_color.ts";
export type { DirectionColorOptions } from "./direction_color.ts";
export {
  orientationDistribution,
  orientationHistogram,
} from "./orientation_distribution.ts";
export type {
  OrientationDistributionOptions,
  OrientationHistogram,
  OrientationHistogramOptions,
} from "./orientation_distribution.ts";
export { glyphSegments, vectorGlyphs } from "./vector_glyphs.ts";
export type {
  GlyphSegments,
  GlyphSegmentsOptions,
  VectorGlyphsOptions,
} from "./vector_glyphs.ts";
