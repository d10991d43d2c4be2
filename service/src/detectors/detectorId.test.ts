import { detectorIdentity } from './detectorId';
import { floatKeysFromJson, floatKeysFromYaml } from './spelling';
import { pyFloatRepr, pyStrRepr } from './pyRepr';
import { parseDocument } from 'yaml';
import type { DetectorType } from '../../../common/detectors';

const id = (type: DetectorType, params: Record<string, unknown>, floats: string[] = []) =>
  detectorIdentity(type, params, new Set(floats)).id;

describe('detector_id (reference §4.9)', () => {
  it.each<[DetectorType, Record<string, unknown>, string[], string]>([
    ['mad', {}, [], '9c2eba19b0eef356'],
    ['mad', { threshold: 2.5 }, [], '228749c203cce9a6'],
    ['mad', { threshold: 2 }, [], '720056f7e9013ccf'],
    ['mad', { threshold: 2 }, ['threshold'], 'dd366f5b55a8cf85'],
    ['mad', { min_samples: 1000, window_size: 8640 }, [], '507e73425a6e0c16'],
    ['mad', { min_samples: 5, window_size: 10 }, [], '53713e60c2978d05'],
    ['zscore', {}, [], '27d62509fe3b384b'],
    ['zscore', { threshold: 2.5 }, [], 'b3860553ebfd666b'],
    ['iqr', {}, [], 'bc56b0c786ae0f52'],
    ['iqr', { threshold: 3 }, ['threshold'], 'fbcae97dd6756775'],
    ['manual_bounds', { upper_bound: 100 }, ['upper_bound'], '984d776a8bbbc42f'],
    ['manual_bounds', { lower_bound: 10, upper_bound: 100 }, ['lower_bound', 'upper_bound'], 'abde1dd654aaca0d'],
    ['mad', { input_type: 'changes', smoothing: 'ema' }, [], 'c9d3e09a362f55f0'],
    // Appendix A.1 / A.3 ids.
    ['mad', { threshold: 3, window_size: 5, min_samples: 3 }, ['threshold'], 'af46a4805f2bb3c2'],
    ['zscore', { threshold: 3, window_size: 10, min_samples: 5 }, ['threshold'], '7e694fc8801690b2'],
    ['zscore', { threshold: 3, window_size: 5, min_samples: 3 }, ['threshold'], 'eb297539141dfc3a'],
    ['iqr', { threshold: 1.5, window_size: 10, min_samples: 5 }, [], 'a52d59c77dc8b1f6'],
    ['iqr', { threshold: 1.5, window_size: 20, min_samples: 10 }, [], 'bb4204905cd7bdc6'],
    ['manual_bounds', { upper_bound: 50 }, ['upper_bound'], '59d00f85f854b78e'],
    ['manual_bounds', { lower_bound: 20 }, ['lower_bound'], '8a6fefedcc48240a'],
    ['manual_bounds', { lower_bound: 20, upper_bound: 80 }, ['lower_bound', 'upper_bound'], 'fd7e9251bde73383'],
    [
      'mad',
      { window_size: 24, min_samples: 12, seasonality_components: ['parity'], min_samples_per_group: 6 },
      [],
      'b9c619be664a8312',
    ],
    ['zscore', { window_size: 24, min_samples: 12, seasonality_components: ['parity'] }, [], 'f381d7ec454f627c'],
    ['iqr', { window_size: 24, min_samples: 12, seasonality_components: ['parity'] }, [], '0a93b4a165dc6a44'],
  ])('%s %j (floats %j) → %s', (type, params, floats, expected) => {
    expect(id(type, params, floats)).toBe(expected);
  });

  it('manual is an alias of manual_bounds', () => {
    expect(id('manual', { upper_bound: 100 }, ['upper_bound'])).toBe('984d776a8bbbc42f');
  });

  it('defaults written explicitly hash like omitted ones (3 == 3.0)', () => {
    expect(id('mad', { threshold: 3, window_size: 100, min_samples: 30 }, ['threshold'])).toBe(id('mad', {}));
    expect(id('mad', { smoothing_alpha: 0.5, seasonality_components: ['hour'] })).toBe(id('mad', {}));
  });

  it('is 16 lowercase hex characters and differs between types', () => {
    expect(id('mad', { threshold: 5 })).toMatch(/^[0-9a-f]{16}$/);
    const t = { threshold: 3 };
    expect(
      new Set([id('mad', t, ['threshold']), id('zscore', t, ['threshold']), id('iqr', t, ['threshold'])]).size
    ).toBe(3);
  });

  it('detector_params is compact sorted JSON with floats spelt as floats', () => {
    expect(detectorIdentity('mad', { threshold: 2.5 }).paramsJson).toBe('{"threshold":2.5}');
    expect(detectorIdentity('mad', {}).paramsJson).toBe('{}');
    expect(detectorIdentity('mad', { window_size: 10, min_samples: 5 }).paramsJson).toBe(
      '{"min_samples":5,"window_size":10}'
    );
    expect(detectorIdentity('iqr', { threshold: 3 }, new Set(['threshold'])).paramsJson).toBe('{"threshold":3.0}');
    expect(
      detectorIdentity(
        'manual_bounds',
        { lower_bound: 10, upper_bound: 100, input_type: 'values' },
        new Set(['lower_bound', 'upper_bound'])
      ).paramsJson
    ).toBe('{"lower_bound":10.0,"upper_bound":100.0}');
    expect(detectorIdentity('manual_bounds', { lower_bound: null, upper_bound: 100 }).paramsJson).toBe(
      '{"upper_bound":100}'
    );
  });
});

describe('number spelling', () => {
  it('reads float spellings from YAML', () => {
    const doc = parseDocument('threshold: 2.0\nwindow_size: 10\nlower_bound: 1e3\nupper_bound: -.5\n');
    expect([...floatKeysFromYaml(doc.contents)].sort()).toEqual(['threshold', 'upper_bound']);
  });
  it('reads float spellings from JSON', () => {
    expect([...floatKeysFromJson('{"threshold": 2.0, "window_size": 10, "x": 1e3}')].sort()).toEqual([
      'threshold',
      'x',
    ]);
  });
});

describe('Python repr', () => {
  it.each([
    [3, '3.0'],
    [2.5, '2.5'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [1e16, '1e+16'],
    [123456789012345.6, '123456789012345.6'],
    [-0.1, '-0.1'],
    [Infinity, 'inf'],
    [1.5e-7, '1.5e-07'],
  ])('%p → %s', (x, s) => expect(pyFloatRepr(x)).toBe(s));
  it('quotes strings like Python', () => {
    expect(pyStrRepr('changes')).toBe("'changes'");
    expect(pyStrRepr("it's")).toBe('"it\'s"');
  });
});
