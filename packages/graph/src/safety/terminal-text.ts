/**
 * Text from a file (layer and model names, zip member names, messages quoting them) is shown
 * on terminals. Control characters in it would be obeyed: `ESC [ 2 J` clears the screen, a
 * carriage return overwrites a line, a bidi override reorders it. Everything that prints such
 * text passes it through {@link escapeTerminalText} first, so the characters show as visible
 * `\u001b`-style escapes instead.
 */

// C0 controls, DEL, C1 controls, and the Unicode bidi marks, embeddings, overrides and isolates.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every terminal control character written as a visible `\uXXXX` escape. */
export function escapeTerminalText(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
