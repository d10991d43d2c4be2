import React from 'react';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import { render } from '@testing-library/react';

/** Renders `element` at `url` under a route `pattern`, as the app's root does (relative routes, URL-encoded names). */
export function renderRoute(element: React.ReactElement, url: string, pattern = '*') {
  return render(
    // Grafana's router runs with the v7 behaviour; the flags also keep the test output free of warnings.
    <MemoryRouter initialEntries={[url]} future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <Routes>
        <Route path={pattern} element={element} />
      </Routes>
    </MemoryRouter>
  );
}
