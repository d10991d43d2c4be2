import { lastValueFrom } from 'rxjs';
import { z } from 'zod';
import { getBackendSrv } from '@grafana/runtime';
import { toServiceError } from './errors';

/**
 * Grafana's own API (not the dtk service): the contact points a `grafana` alert channel can deliver to.
 * `GET /api/v1/provisioning/contact-points` answers one entry per integration, so a contact point with an email
 * and a Slack integration appears twice under one name (reference grafana.md §B2).
 */
const contactPointsSchema = z.array(
  z.object({ uid: z.string().optional(), name: z.string(), type: z.string().optional() })
);

export interface ContactPoint {
  name: string;
  /** Integration types, e.g. ['email', 'slack']. */
  types: string[];
}

export async function listContactPoints(): Promise<ContactPoint[]> {
  let data: unknown;
  try {
    const res = await lastValueFrom(
      getBackendSrv().fetch<unknown>({
        url: '/api/v1/provisioning/contact-points',
        method: 'GET',
        showErrorAlert: false,
      })
    );
    data = res.data;
  } catch (e) {
    throw toServiceError(e);
  }
  const byName = new Map<string, Set<string>>();
  for (const cp of contactPointsSchema.parse(data)) {
    const types = byName.get(cp.name) ?? new Set<string>();
    if (cp.type) {
      types.add(cp.type);
    }
    byName.set(cp.name, types);
  }
  return [...byName]
    .map(([name, types]) => ({ name, types: [...types].sort() }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
