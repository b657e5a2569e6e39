/** Helpers that keep names and text from a file from reaching more than data. */
export { ownValue, hasOwnKey } from './own.js';
export { escapeTerminalText } from './terminal-text.js';
