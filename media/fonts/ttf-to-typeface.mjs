// How media/fonts/dejavu_sans.typeface.json was made (kept for regenerating it; not part of the build):
//   npm install --prefix /tmp/fontconv opentype.js@1 && cp this file /tmp/fontconv/ &&
//   node /tmp/fontconv/ttf-to-typeface.mjs /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf dejavu_sans.typeface.json
// three's typeface format (as its TTFLoader writes it), with ASCII, Latin-1, Latin Extended-A and
// a few punctuation marks/arrows; metrics scaled like the glyphs. DejaVu's licence: LICENSE-DejaVu.txt.
import opentype from "opentype.js";
import { readFileSync, writeFileSync } from "node:fs";
const [src, out] = process.argv.slice(2);
const buf = readFileSync(src);
const font = opentype.parse(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
const scale = 100000 / ((font.unitsPerEm || 2048) * 72);
const r = (v) => Math.round(v * scale);
const wanted = [];
for (let c = 32; c < 127; c++) wanted.push(c);
for (let c = 160; c < 384; c++) wanted.push(c);
wanted.push(0x2013, 0x2014, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2026, 0x20ac, 0x2122, 0x2190, 0x2191, 0x2192, 0x2193, 0x00b0);
const glyphs = {};
for (const u of wanted) {
  const g = font.charToGlyph(String.fromCodePoint(u));
  if (!g || g.index === 0) continue;
  let o = "";
  for (const c of g.path.commands) {
    const t = c.type === "C" ? "b" : c.type.toLowerCase();
    o += t + " ";
    if (c.x !== undefined) o += r(c.x) + " " + r(c.y) + " ";
    if (c.x1 !== undefined) o += r(c.x1) + " " + r(c.y1) + " ";
    if (c.x2 !== undefined) o += r(c.x2) + " " + r(c.y2) + " ";
  }
  glyphs[String.fromCodePoint(u)] = { ha: r(g.advanceWidth), x_min: r(g.xMin ?? 0), x_max: r(g.xMax ?? 0), o: o.trim() };
}
const json = {
  glyphs, familyName: font.getEnglishName("fullName"),
  ascender: r(font.ascender), descender: r(font.descender),
  underlinePosition: r(font.tables.post.underlinePosition), underlineThickness: r(font.tables.post.underlineThickness),
  boundingBox: { xMin: r(font.tables.head.xMin), xMax: r(font.tables.head.xMax), yMin: r(font.tables.head.yMin), yMax: r(font.tables.head.yMax) },
  resolution: 1000,
  original_font_information: { copyright: font.getEnglishName("copyright"), license: font.getEnglishName("license"), licenseURL: font.getEnglishName("licenseURL") },
};
writeFileSync(out, JSON.stringify(json));
console.log(Object.keys(glyphs).length, "glyphs", json.familyName);
