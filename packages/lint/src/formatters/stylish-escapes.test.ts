/** A model file must not be able to drive the terminal through the stylish report. */
import { describe, expect, it } from 'vitest';
import { lintModel } from '../engine.js';
import { dense, dropout, input, sequential } from '../testing/models.js';
import { formatStylish } from './stylish.js';

const CLEAR_AND_LIE = '\u001b[2J\u001b[H0 problems\r';

describe('formatStylish escapes control characters from files', () => {
  it('shows escape sequences in layer names, messages, sources and fatal errors as visible text', () => {
    const model = sequential('m', [
      input('in', [null, 4]),
      dense(`probs${CLEAR_AND_LIE}`, { activation: 'softmax' }),
      dropout(`late${CLEAR_AND_LIE}`, 0.5),
    ]);
    const linted = lintModel(model, { source: `evil${CLEAR_AND_LIE}.json` });
    expect(linted.findings.length).toBeGreaterThan(0);
    const fatal = {
      source: 'x\u001b]0;title\u0007.keras',
      findings: [],
      unusedSuppressions: [],
      fatal: `zip member \u001b[31mred\u009b`,
    };
    for (const color of [false, true]) {
      const out = formatStylish([linted, fatal], { color });
      // The only ESC bytes left are the formatter's own colour codes (ESC [ <digits> m).
      expect(out.replace(/\u001b\[\d+m/g, '')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
      expect(out).toContain('probs\\u001b[2J\\u001b[H0 problems\\u000d');
      expect(out).toContain('evil\\u001b[2J');
      expect(out).toContain('x\\u001b]0;title\\u0007.keras');
      expect(out).toContain('zip member \\u001b[31mred\\u009b');
    }
  });
});
