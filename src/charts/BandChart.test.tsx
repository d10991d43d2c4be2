import React from 'react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { SeriesResponse } from '../../common/api/series';
import { BandChart } from './BandChart';
import { installFakeCanvas } from './fakeCanvas';
import { chartTestIds } from './testIds';

beforeAll(installFakeCanvas);

const series = (values: number[], anomaly: boolean[]): SeriesResponse => ({
  metric: 'api_requests',
  timestamps: values.map((_, i) => 1_700_000_000_000 + i * 60_000),
  values,
  detectors: [
    {
      detectorId: 'a1',
      detectorName: 'MADDetector:threshold=5',
      lower: values.map((v) => v - 1),
      upper: values.map((v) => v + 1),
      anomaly,
      score: anomaly.map(() => null),
    },
    {
      detectorId: 'b2',
      detectorName: 'ZScoreDetector',
      lower: values.map((v) => v - 2),
      upper: values.map((v) => v + 2),
      anomaly: values.map(() => false),
      score: values.map(() => null),
    },
  ],
});

test('legend names each series and band, anomaly markers are counted when drawn', async () => {
  render(<BandChart data={[series([1, 2, 3, 4], [false, true, false, true])]} width={600} height={300} />);
  const legend = screen.getByTestId(chartTestIds.legend);
  expect(legend).toHaveTextContent('api_requests');
  expect(legend).toHaveTextContent('MAD (threshold=5)');
  expect(legend).toHaveTextContent('2 anomalies');
  expect(legend).toHaveTextContent('ZScore');
  const chart = screen.getByTestId(chartTestIds.chart);
  await waitFor(() => expect(chart).toHaveAttribute('data-markers', '2'));
  expect(chart).toHaveAttribute('data-points', '4');
});

test('new values with the same layout reuse the plot; a different detector selection makes a new one', async () => {
  const { rerender } = render(<BandChart data={[series([1, 2, 3], [false, false, false])]} width={600} height={300} />);
  const canvas = screen.getByTestId(chartTestIds.plot).querySelector('canvas');
  expect(canvas).not.toBeNull();
  rerender(<BandChart data={[series([5, 6, 7], [true, false, false])]} width={600} height={300} />);
  await waitFor(() => expect(screen.getByTestId(chartTestIds.chart)).toHaveAttribute('data-markers', '1'));
  expect(screen.getByTestId(chartTestIds.plot).querySelector('canvas')).toBe(canvas);

  rerender(<BandChart data={[series([5, 6, 7], [true, false, false])]} width={600} height={300} detectors={['b2']} />);
  expect(screen.getByTestId(chartTestIds.plot).querySelector('canvas')).not.toBe(canvas);
  expect(screen.getByTestId(chartTestIds.legend)).not.toHaveTextContent('MAD');
  await waitFor(() => expect(screen.getByTestId(chartTestIds.chart)).toHaveAttribute('data-markers', '0'));
});

test('a legend click hides the band and its markers', async () => {
  render(<BandChart data={[series([1, 2, 3], [true, true, false])]} width={600} height={300} />);
  const chart = screen.getByTestId(chartTestIds.chart);
  await waitFor(() => expect(chart).toHaveAttribute('data-markers', '2'));
  const mad = screen.getAllByTestId(chartTestIds.legendItem).find((e) => e.textContent?.includes('MAD'))!;
  fireEvent.click(mad);
  expect(mad).toHaveAttribute('aria-pressed', 'false');
  await waitFor(() => expect(chart).toHaveAttribute('data-markers', '0'));
});

test('no points: a message instead of an empty plot', () => {
  render(<BandChart data={[]} width={600} height={300} />);
  expect(screen.getByTestId(chartTestIds.empty)).toHaveTextContent('No data');
});
