import { FieldType, createDataFrame } from '@grafana/data';
import { frameToPlotData } from './series';

describe('frameToPlotData', () => {
  test('converts time to seconds and NaN/null to gaps', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1000, 2000, 3000] },
        { name: 'cpu', type: FieldType.number, values: [1, NaN, 3] },
        { name: 'label', type: FieldType.string, values: ['a', 'b', 'c'] },
      ],
    });
    expect(frameToPlotData([frame])).toEqual({
      data: [
        [1, 2, 3],
        [1, null, 3],
      ],
      names: ['cpu'],
    });
  });

  test('no time field, no plot', () => {
    expect(
      frameToPlotData([createDataFrame({ fields: [{ name: 'v', type: FieldType.number, values: [1] }] })])
    ).toBeNull();
  });
});
