import { z } from 'zod';

/**
 * Channel types of ours (detectkit had neither). `alertmanager` posts to an external Alertmanager's v2 API;
 * `grafana` keeps a Grafana-managed alert rule per metric (reference grafana.md §0, §B).
 */

const seconds = z.preprocess(
  (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
  z.number({ error: 'timeout must be a number of seconds' }).positive({ error: 'timeout must be positive' })
);

export const alertmanagerChannelSchema = z.strictObject({
  type: z.literal('alertmanager'),
  /** Base URL, e.g. http://alertmanager:9093 (the service appends /api/v2/alerts). */
  url: z.string({ error: 'url is required for the alertmanager channel (e.g. http://alertmanager:9093)' }).url({
    error: 'url must be an http(s) URL, e.g. http://alertmanager:9093',
  }),
  /** Added to every alert's labels (routing in Alertmanager). */
  labels: z.record(z.string(), z.string(), { error: 'labels must map label names to strings' }).default({}),
  annotations: z.record(z.string(), z.string(), { error: 'annotations must map names to strings' }).default({}),
  /** The `severity` label (Alertmanager routes on words, not detectkit's numeric severity). */
  severity: z.string().default('warning'),
  /** Link put in the `link` annotation and generatorURL, e.g. the Grafana dashboard of the metric. */
  link: z.string().nullish(),
  extra_headers: z.record(z.string(), z.string()).default({}),
  timeout: seconds.default(10),
});

export const grafanaChannelSchema = z.strictObject({
  type: z.literal('grafana'),
  url: z.string({ error: 'url is required for the grafana channel (e.g. http://grafana:3000)' }),
  /** Service-account token (`glsa_…`); use ${VAR} so it stays out of the file. */
  token: z.string({ error: 'token is required for the grafana channel (a service-account token)' }),
  contact_point: z.string({ error: 'contact_point is required for the grafana channel (a contact point name)' }),
  datasource_uid: z.string({ error: 'datasource_uid is required: the uid of Grafana’s ClickHouse data source' }),
  folder_uid: z.string().default('detectkit'),
  group: z.string().default('detectkit'),
  timeout: seconds.default(10),
});

export type AlertmanagerChannelConfig = z.output<typeof alertmanagerChannelSchema>;
export type GrafanaChannelConfig = z.output<typeof grafanaChannelSchema>;
