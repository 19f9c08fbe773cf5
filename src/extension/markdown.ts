/** Text for a MarkdownString (tooltips) that must show as typed, never as markup. */
export function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, "\\$&");
}
