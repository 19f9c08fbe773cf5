/**
 * The 3D view's background follows the editor's, but not all the way to white or black:
 * white point clouds vanish on a light theme's white, black meshes on a dark theme's near-black.
 * The background's luminance is kept inside a band where both white and black content keep a
 * visible contrast (WCAG contrast ratios). Pure; unit-tested in test/unit/webview-contrast.
 */
import { Color } from "three";

/** WCAG relative luminance of an sRGB colour (three's Color holds linear components). */
export function luminance(c: Color): number {
  return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
}

/** WCAG contrast ratio of two colours (1 = none, 21 = black on white). */
export function contrastRatio(a: Color, b: Color): number {
  const la = luminance(a), lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** White content keeps at least this contrast with a light background ... */
export const MIN_WHITE_CONTRAST = 1.7;
/** ... and black content at least this with a dark one (milder: dark themes are darker than black content is dark). */
export const MIN_BLACK_CONTRAST = 1.4;

/** The luminance band a background may have. */
export function luminanceBand(): [number, number] {
  return [0.05 * MIN_BLACK_CONTRAST - 0.05, 1.05 / MIN_WHITE_CONTRAST - 0.05];
}

/**
 * `theme` moved just far enough toward grey (keeping its hue) for white and black content to
 * stay visible on it: a white editor becomes a light grey, a near-black one a dark grey, and
 * everything in between is left as it is.
 */
export function viewportBackground(theme: Color): Color {
  const [low, high] = luminanceBand();
  const l = luminance(theme);
  if (l >= low && l <= high) return theme.clone();
  const toward = l > high ? new Color(0, 0, 0) : new Color(1, 1, 1);
  const goal = l > high ? high : low;
  // Luminance is linear in the (linear) components: mixing by t moves it linearly too.
  const t = (l - goal) / (l - luminance(toward));
  return theme.clone().lerp(toward, Math.min(1, Math.max(0, t)));
}
