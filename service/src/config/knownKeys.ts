import {
  alertConfigSchema,
  clickhouseProfileSchema,
  detectorConfigSchema,
  embeddedProfileSchema,
  emailChannelSchema,
  mattermostChannelSchema,
  metricConfigSchema,
  prometheusSourceSchema,
  queryColumnsSchema,
  scrapeSourceSchema,
  telegramChannelSchema,
  webhookChannelSchema,
} from '../../../common/config';
import { DETECTOR_PARAM_SCHEMAS } from '../../../common/detectors';

/** Every key the configuration files know, for "did you mean" hints on unknown keys. */
const KNOWN = new Set<string>([
  'name',
  'version',
  'paths',
  'tables',
  'timeouts',
  'default_profile',
  'profiles',
  'alert_channels',
  'metrics',
  'sql',
  'templates',
  'datapoints',
  'detections',
  'tasks',
  'load',
  'detect',
  'alert',
  // source.basic_auth
  'username',
  'password',
]);

for (const s of [
  alertConfigSchema,
  clickhouseProfileSchema,
  detectorConfigSchema,
  embeddedProfileSchema,
  emailChannelSchema,
  mattermostChannelSchema,
  metricConfigSchema,
  prometheusSourceSchema,
  queryColumnsSchema,
  scrapeSourceSchema,
  telegramChannelSchema,
  webhookChannelSchema,
  ...Object.values(DETECTOR_PARAM_SCHEMAS),
]) {
  for (const k of Object.keys((s as unknown as { shape?: object }).shape ?? {})) {
    KNOWN.add(k);
  }
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return d[b.length]!;
}

/** The closest known key within two edits (or one for short keys), if any. */
export function suggestKey(key: string): string | undefined {
  let best: string | undefined;
  let bestD = key.length <= 4 ? 1 : Math.max(2, Math.floor(key.length / 6));
  for (const k of KNOWN) {
    const dd = distance(key.toLowerCase(), k);
    if (dd > 0 && dd <= bestD) {
      best = k;
      bestD = dd;
    } else if (dd === 0 && k !== key) {
      return k; // case only
    }
  }
  return best;
}
