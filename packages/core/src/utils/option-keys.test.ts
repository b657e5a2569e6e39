/** `checkOptionKeys`: unknown keys get the camelCase hint; a non-object in place of the options is named. */
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from './errors.js';
import { checkOptionKeys } from './option-keys.js';

describe('checkOptionKeys', () => {
  it('accepts known keys and names an unknown one with its camelCase spelling', () => {
    expect(() => checkOptionKeys('fit', { batchSize: 2 }, ['batchSize', 'epochs'])).not.toThrow();
    expect(() => checkOptionKeys('fit', { batch_size: 2 }, ['batchSize', 'epochs'])).toThrow(
      /fit: unknown option "batch_size"; did you mean "batchSize"\? Valid options: batchSize, epochs/,
    );
  });

  it('refuses a string, number or list where the options object belongs, instead of listing its characters', () => {
    for (const value of ['int32', 3, [1, 2]]) {
      expect(() => checkOptionKeys('Input', value as never, ['dtype', 'name'])).toThrow(ConfigurationError);
      expect(() => checkOptionKeys('Input', value as never, ['dtype', 'name'])).toThrow(
        /Input: expected an options object \(\{ dtype, name, … \}\), got /,
      );
    }
  });
});
