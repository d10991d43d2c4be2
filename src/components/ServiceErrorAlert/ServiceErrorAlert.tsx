import React from 'react';
import { Alert, TextLink } from '@grafana/ui';
import { toServiceError, type ServiceErrorKind } from '../../api/errors';
import { CONFIG_PAGE_URL } from '../../constants';

interface Props {
  error: unknown;
  /** What failed, e.g. "Could not load the metrics"; the kind of error picks a title when absent. */
  title?: string;
  severity?: 'error' | 'warning';
}

const TITLES: Record<ServiceErrorKind, string> = {
  unreachable: 'The dtk service is not reachable',
  unauthorized: 'The dtk service refused the token',
  forbidden: 'Permission denied',
  not_found: 'Not found',
  conflict: 'Conflict',
  invalid: 'The request was refused',
  service: 'The dtk service reported an error',
  invalid_response: 'Unexpected answer from the dtk service',
};

/** An inline error that says what failed and what to do about it (connection problems point to the config page). */
export function ServiceErrorAlert({ error, title, severity = 'error' }: Props) {
  const e = toServiceError(error);
  return (
    <Alert severity={severity} title={title ?? TITLES[e.kind]}>
      <div>{capitalise(e.message)}.</div>
      <Advice kind={e.kind} />
    </Alert>
  );
}

function Advice({ kind }: { kind: ServiceErrorKind }) {
  const configLink = <TextLink href={CONFIG_PAGE_URL}>Configuration page</TextLink>;
  switch (kind) {
    case 'unreachable':
      return (
        <div>
          Check the service URL and token on the app&apos;s {configLink}, and that <code>dtk serve</code> runs and
          Grafana&apos;s server can reach it.
        </div>
      );
    case 'unauthorized':
      return (
        <div>
          Check the service token on the app&apos;s {configLink}: it must be the token <code>dtk serve</code> was
          started with (<code>DTK_API_TOKEN</code> or <code>--token-file</code>).
        </div>
      );
    case 'forbidden':
      return <div>Changing metrics and starting runs needs the Editor role in this organization.</div>;
    case 'invalid_response':
      return <div>Update the app plugin and the dtk service to the same version.</div>;
    default:
      return null;
  }
}

function capitalise(s: string): string {
  const t = s.replace(/[.\s]+$/, '');
  return t.charAt(0).toUpperCase() + t.slice(1);
}
