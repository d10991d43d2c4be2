import React from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import {
  FieldType,
  LoadingState,
  createDataFrame,
  dateTime,
  getDefaultTimeRange,
  type DataFrame,
  type PanelProps,
} from '@grafana/data';
import { installFakeCanvas } from '../../../charts/fakeCanvas';
import { chartTestIds } from '../../../charts/testIds';
import { testIds } from '../../../components/testIds';
import { seriesToFrame } from '../../../datasource/frames';
import { DEFAULT_OPTIONS, type BandsPanelOptions } from '../types';
import { BandsPanel } from './BandsPanel';

beforeAll(installFakeCanvas);

function props(series: DataFrame[], options: Partial<BandsPanelOptions> = {}): PanelProps<BandsPanelOptions> {
  const timeRange = getDefaultTimeRange();
  return {
    id: 1,
    data: { series, state: LoadingState.Done, timeRange },
    timeRange: { ...timeRange, from: dateTime(0), to: dateTime(10_000) },
    timeZone: 'utc',
    options: { ...DEFAULT_OPTIONS, ...options },
    transparent: false,
    width: 640,
    height: 320,
    fieldConfig: { defaults: {}, overrides: [] },
    renderCounter: 0,
    title: 'Bands',
    eventBus: {} as PanelProps['eventBus'],
    onOptionsChange: jest.fn(),
    onFieldConfigChange: jest.fn(),
    replaceVariables: (s: string) => s,
    onChangeTimeRange: jest.fn(),
  } as PanelProps<BandsPanelOptions>;
}

const frame = seriesToFrame('A', {
  metric: 'api_requests',
  timestamps: [1000, 2000, 3000, 4000],
  values: [10, 11, 40, 12],
  detectors: [
    {
      detectorId: 'mad0',
      detectorName: 'MADDetector',
      lower: [8, 8, 8, 8],
      upper: [14, 14, 14, 14],
      anomaly: [false, false, true, false],
      score: [null, null, null, null],
    },
    {
      detectorId: 'z0',
      detectorName: 'ZScoreDetector',
      lower: [5, 5, 5, 5],
      upper: [30, 30, 30, 30],
      anomaly: [false, false, true, false],
      score: [null, null, null, null],
    },
  ],
});

test("the data source's frames are drawn with their bands, markers and legend", async () => {
  render(<BandsPanel {...props([frame])} />);
  expect(screen.getByTestId(testIds.bandsPanel.container)).toBeInTheDocument();
  const legend = screen.getByTestId(chartTestIds.legend);
  expect(legend).toHaveTextContent('api_requests');
  expect(legend).toHaveTextContent('MAD');
  expect(legend).toHaveTextContent('ZScore');
  await waitFor(() => expect(screen.getByTestId(chartTestIds.chart)).toHaveAttribute('data-markers', '2'));
});

test('"detectors shown" limits the bands; marker size 0 hides the markers', async () => {
  render(<BandsPanel {...props([frame], { detectors: ['z0'], markerSize: 0 })} />);
  const legend = screen.getByTestId(chartTestIds.legend);
  expect(legend).not.toHaveTextContent('MAD');
  expect(legend).toHaveTextContent('ZScore');
  await waitFor(() => expect(screen.getByTestId(chartTestIds.chart)).toHaveAttribute('data-markers', '0'));
});

test('frames without time series: an empty state that says what the panel needs', () => {
  const table = createDataFrame({ fields: [{ name: 'name', type: FieldType.string, values: ['a'] }] });
  render(<BandsPanel {...props([table])} />);
  expect(screen.getByTestId(testIds.bandsPanel.empty)).toHaveTextContent('No time series in the query result');
});
