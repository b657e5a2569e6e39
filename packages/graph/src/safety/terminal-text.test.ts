import { describe, expect, it } from 'vitest';
import { escapeTerminalText } from './terminal-text.js';

describe('escapeTerminalText', () => {
  it('writes control characters as visible escapes, leaving other text alone', () => {
    expect(escapeTerminalText('dense\u001b[2J\u001b[H0 problems')).toBe('dense\\u001b[2J\\u001b[H0 problems');
    expect(escapeTerminalText('a\rb\nc\td\u0000e\u007f\u009b')).toBe('a\\u000db\\u000ac\\u0009d\\u0000e\\u007f\\u009b');
    expect(escapeTerminalText('abc\u202edcba\u2066x\u2069')).toBe('abc\\u202edcba\\u2066x\\u2069');
    expect(escapeTerminalText('conv2d_1 (Conv2D) → ünïcödé ✓ 模型')).toBe('conv2d_1 (Conv2D) → ünïcödé ✓ 模型');
  });
});
