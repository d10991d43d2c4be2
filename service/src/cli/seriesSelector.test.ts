import { keepSelectedSeries, parseLabelSet, splitSeriesSelectors } from './seriesSelector';

describe('series selectors', () => {
  test('label sets parse in any order and spacing, with escapes', () => {
    expect(parseLabelSet('{cpu="0"}')).toEqual({ cpu: '0' });
    expect(parseLabelSet('{ mode = "idle" , cpu="1" }')).toEqual({ mode: 'idle', cpu: '1' });
    expect(parseLabelSet('{path="a\\"b"}')).toEqual({ path: 'a"b' });
    expect(parseLabelSet('{}')).toEqual({});
    expect(parseLabelSet('{cpu=0}')).toBeNull();
  });

  test('a series selector selects its definition and keeps only that series', () => {
    const sel = splitSeriesSelectors(['cpu_idle{mode="idle", cpu="1"}', 'mem']);
    expect(sel.selectors).toEqual(['cpu_idle', 'mem']);
    const series = [{ name: 'cpu_idle{cpu="0",mode="idle"}' }, { name: 'cpu_idle{cpu="1",mode="idle"}' }];
    expect(keepSelectedSeries('cpu_idle', series, sel)).toEqual([{ name: 'cpu_idle{cpu="1",mode="idle"}' }]);
    expect(keepSelectedSeries('mem', [{ name: 'mem' }], sel)).toEqual([{ name: 'mem' }]);
  });

  test('selecting the definition as a whole keeps every series; tags and globs are left alone', () => {
    const sel = splitSeriesSelectors(['cpu_idle{cpu="1"}', 'cpu_idle', 'tag:x', 'metrics/*.yml']);
    expect(sel.selectors).toEqual(['cpu_idle', 'cpu_idle', 'tag:x', 'metrics/*.yml']);
    expect(keepSelectedSeries('cpu_idle', [{ name: 'cpu_idle{cpu="0"}' }], sel)).toEqual([
      { name: 'cpu_idle{cpu="0"}' },
    ]);
  });
});
