// Escaping for text placed inside XML/HTML/SVG (element text and quoted attribute values). One escaper
// for every renderer, so a service or SLO name with `<`, `&` or quotes reads the same everywhere.
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
