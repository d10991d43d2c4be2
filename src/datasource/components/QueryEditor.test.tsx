import React from 'react';
import { act, fireEvent, render, screen } from '@testing-library/react';
import type { MetricSummary } from '../../../common/api/metrics';
import { installFakeCanvas } from '../../charts/fakeCanvas';
import type { DataSource } from '../datasource';
import type { AnomalyQuery } from '../types';
import { QueryEditor } from './QueryEditor';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getTemplateSrv: () => ({ getVariables: () => [{ name: 'metric' }] }),
}));

// Combobox measures its text on a canvas, which jsdom lacks.
beforeAll(installFakeCanvas);

const metrics = [
  {
    name: 'cpu',
    description: 'CPU busy',
    tags: [],
    detectors: [{ id: '0123456789abcdef', type: 'mad', name: 'MADDetector', position: 1 }],
  },
] as unknown as MetricSummary[];

async function setup(query: Partial<AnomalyQuery>) {
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  const listMetrics = jest.fn().mockResolvedValue(metrics);
  render(
    <QueryEditor
      query={{ refId: 'A', metric: 'cpu', ...query }}
      onChange={onChange}
      onRunQuery={onRunQuery}
      datasource={{ listMetrics } as unknown as DataSource}
    />
  );
  // The metric list arrives asynchronously: let it land before acting.
  await act(() => Promise.resolve());
  return { onChange, onRunQuery, listMetrics };
}

test('series query: the fields to return are checkboxes; unticking one runs the query without it', async () => {
  const { onChange, onRunQuery, listMetrics } = await setup({ queryType: 'series' });
  expect(listMetrics).toHaveBeenCalled();
  fireEvent.click(screen.getByLabelText('Bands'));
  expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ fields: ['value', 'anomalies'] }));
  expect(onRunQuery).toHaveBeenCalled();
  expect(screen.getByText('Detectors')).toBeInTheDocument();
});

test('switching to alerts: no field choice, events for annotations', async () => {
  const { onChange } = await setup({ queryType: 'series' });
  fireEvent.click(screen.getByLabelText('Alerts'));
  expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ queryType: 'alerts' }));
});

test('event queries explain their use and hide the field choice', async () => {
  await setup({ queryType: 'anomalies' });
  expect(screen.queryByLabelText('Bands')).not.toBeInTheDocument();
  expect(screen.getByText(/use this query for annotations/)).toBeInTheDocument();
});
