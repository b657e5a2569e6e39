import { describe, expect, it } from 'vitest';
import {
  DropoutConfig,
  DropoutConfigError,
  dropoutConfigToJSON,
  parseDropoutConfig,
  type DropoutConfig as Config,
} from './dropout-config.js';

const examples: Config[] = [
  { kind: 'standard', rate: 0.5, noiseShape: [null, 1, null], seed: 3 },
  { kind: 'standard', rate: 0 },
  { kind: 'spatial', rate: 0.1, rank: 2, dataFormat: 'channels_first', seed: 1 },
  { kind: 'spatial', rate: 0.2 },
  { kind: 'gaussian', rate: 0.3 },
  { kind: 'alpha', rate: 0.1, seed: 7 },
  { kind: 'recurrent', inputRate: 0.2, recurrentRate: 0.25 },
  { kind: 'dropblock', rate: 0.1, blockSize: 7, dataFormat: 'channels_last' },
  { kind: 'droppath', rate: 0.2, seed: 0 },
  { kind: 'dropconnect', rate: 0.5 },
];

describe('DropoutConfig', () => {
  it('round-trips every kind through JSON text unchanged', () => {
    for (const config of examples) {
      const text = JSON.stringify(dropoutConfigToJSON(config));
      expect(parseDropoutConfig(text)).toEqual(config);
      expect(DropoutConfig.parse(JSON.parse(text))).toEqual(config);
      expect(DropoutConfig.toJSON(config)).toEqual(config);
    }
  });

  it('drops null optional fields and keeps kind first', () => {
    const parsed = parseDropoutConfig({ kind: 'standard', rate: 0.5, seed: null, noiseShape: null });
    expect(parsed).toEqual({ kind: 'standard', rate: 0.5 });
    expect(Object.keys(dropoutConfigToJSON({ rate: 0.3, kind: 'gaussian' } as Config))[0]).toBe('kind');
  });

  it('names the field, the value and the valid choices in errors', () => {
    const cases: [unknown, RegExp][] = [
      [
        { kind: 'dropit', rate: 0.5 },
        /config\.kind: invalid value "dropit"; valid choices: standard, spatial, gaussian, alpha, recurrent, dropblock, droppath, dropconnect/,
      ],
      [{ rate: 0.5 }, /config\.kind: invalid value undefined; valid choices/],
      [{ kind: 'standard', rate: 1.5 }, /config\.rate: invalid value 1\.5; expected a number between 0 and 1/],
      [{ kind: 'standard', rate: '0.5' }, /config\.rate: invalid value "0\.5"; expected a number between 0 and 1/],
      [{ kind: 'standard' }, /config\.rate: missing; kind "standard" requires rate/],
      [{ kind: 'gaussian', rate: 1 }, /config\.rate: invalid value 1; expected a number in \[0, 1\)/],
      [{ kind: 'spatial', rate: 0.1, rank: 4 }, /config\.rank: invalid value 4; expected one of 1, 2, 3/],
      [
        { kind: 'spatial', rate: 0.1, dataFormat: 'NHWC' },
        /config\.dataFormat: invalid value "NHWC"; expected one of "channels_last", "channels_first"/,
      ],
      [
        { kind: 'dropblock', rate: 0.1, blockSize: 0 },
        /config\.blockSize: invalid value 0; expected a positive integer/,
      ],
      [{ kind: 'dropblock', rate: 0.1 }, /config\.blockSize: missing; kind "dropblock" requires rate, blockSize/],
      [{ kind: 'recurrent', inputRate: 0.1, recurrentRate: -1 }, /config\.recurrentRate: invalid value -1/],
      [{ kind: 'standard', rate: 0.1, seed: 1.5 }, /config\.seed: invalid value 1\.5; expected an integer/],
      [
        { kind: 'standard', rate: 0.1, noiseShape: [null, 0] },
        /config\.noiseShape: invalid value \[null,0\]; expected a list of positive integers or null/,
      ],
      [
        { kind: 'droppath', rate: 0.1, blockSize: 3 },
        /config\.blockSize: unknown field for kind "droppath"; valid fields: kind, rate, seed/,
      ],
      [[1, 2], /config: expected an object like/],
      ['{"kind": ', /config: not valid JSON/],
    ];
    for (const [json, message] of cases) {
      expect(() => parseDropoutConfig(json)).toThrow(message);
      expect(() => parseDropoutConfig(json)).toThrow(DropoutConfigError);
    }
    expect(() => parseDropoutConfig({ kind: 'standard', rate: 2 }, 'policy.afterDense')).toThrow(
      /DropoutConfig policy\.afterDense\.rate: invalid value 2/,
    );
  });
});
