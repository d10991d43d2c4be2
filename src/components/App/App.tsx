import React, { Suspense } from 'react';
import { Route, Routes } from 'react-router-dom';
import { AppRootProps } from '@grafana/data';
import { LoadingPlaceholder } from '@grafana/ui';
import { ROUTES } from '../../constants';

const MetricsPage = React.lazy(() => import('../../pages/Metrics/MetricsPage'));
const MetricDetailPage = React.lazy(() => import('../../pages/MetricDetail/MetricDetailPage'));
const MetricEditorPage = React.lazy(() => import('../../pages/MetricEditor/MetricEditorPage'));
const AlertsPage = React.lazy(() => import('../../pages/Alerts/AlertsPage'));

function App(_props: AppRootProps) {
  return (
    <Suspense fallback={<LoadingPlaceholder text="" />}>
      <Routes>
        <Route path={ROUTES.Metrics} element={<MetricsPage />} />
        <Route path={ROUTES.Overview} element={<MetricsPage />} />
        <Route path={ROUTES.MetricDetail} element={<MetricDetailPage />} />
        <Route path={ROUTES.MetricEdit} element={<MetricEditorPage />} />
        <Route path={ROUTES.NewMetric} element={<MetricEditorPage />} />
        <Route path={ROUTES.Alerts} element={<AlertsPage />} />
        {/* Default page */}
        <Route path="*" element={<MetricsPage />} />
      </Routes>
    </Suspense>
  );
}

export default App;
