/**
 * Text for SVG documents built from untrusted names (layer names, metric names): XML
 * escaping, removal of characters XML cannot hold, and width estimates for layout.
 *
 * @packageDocumentation
 */

/** Characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const XML_FORBIDDEN =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Escapes `text` for SVG/XML text content and attribute values: `& < > " '` become entities
 * and characters XML cannot hold become U+FFFD, so a name such as `<script>` is shown, never run.
 */
export function escapeXml(text: string): string {
  return text
    .replace(XML_FORBIDDEN, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Shortens `text` to at most `max` characters (code points), ending in `…` when cut. */
export function truncateText(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Font used for every label: monospace, so that widths can be estimated without a renderer. */
export const FONT_FAMILY = 'ui-monospace, Menlo, Consolas, monospace';

/** Approximate advance of one monospace character at `fontSize` pixels. */
export function textWidth(text: string, fontSize: number): number {
  return [...text].length * fontSize * 0.62;
}

/** Formats a coordinate with at most two decimals (keeps the SVG small and stable). */
export function coord(value: number): string {
  return String(Math.round(value * 100) / 100);
}
