/**
 * The ground grid, built from one-cell-long segments instead of GridHelper's
 * full-length lines. Some renderers (SwiftShader, which headless Chromium and
 * many VMs use) drop a whole line segment that crosses the near plane; with
 * the camera standing over the grid, that erased the near half of it.
 */
import { BufferGeometry, Color, Float32BufferAttribute, LineBasicMaterial, LineSegments } from "three";

export function makeGrid(size: number, divisions: number, centerColor: Color, lineColor: Color): LineSegments {
  const step = size / divisions;
  const half = size / 2;
  const positions: number[] = [];
  const colors: number[] = [];
  for (let i = 0; i <= divisions; i++) {
    const at = -half + i * step;
    const c = Math.abs(at) < step / 2 ? centerColor : lineColor;
    for (let j = 0; j < divisions; j++) {
      const a = -half + j * step;
      const b = a + step;
      positions.push(a, 0, at, b, 0, at, at, 0, a, at, 0, b);
      for (let k = 0; k < 4; k++) colors.push(c.r, c.g, c.b);
    }
  }
  const geometry = new BufferGeometry();
  geometry.setAttribute("position", new Float32BufferAttribute(positions, 3));
  geometry.setAttribute("color", new Float32BufferAttribute(colors, 3));
  const grid = new LineSegments(geometry, new LineBasicMaterial({ vertexColors: true, toneMapped: false }));
  grid.name = "stage-grid";
  return grid;
}

export function disposeGrid(grid: LineSegments): void {
  grid.geometry.dispose();
  (grid.material as LineBasicMaterial).dispose();
}
