import React, { Suspense } from 'react';
import { Route, Routes } from 'react-router-dom';
import { AppRootProps } from '@grafana/data';
import { LoadingPlaceholder } from '@grafana/ui';
const Overview = React.lazy(() => import('../../pages/Overview'));

function App(_props: AppRootProps) {
  return (
    <Suspense fallback={<LoadingPlaceholder text="" />}>
      <Routes>
        {/* Default page */}
        <Route path="*" element={<Overview />} />
      </Routes>
    </Suspense>
  );
}

export default App;
