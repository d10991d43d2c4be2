import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { alertConfigSchema } from '../../../common/config/metric';
import { alertChannelSchema, type AlertChannelConfig } from '../../../common/config/profiles';
import { DtkError } from '../errors';
import type { StoreLocation } from '../storage/connect';
import { ruleUid, stateSql, syncAlertRules, type GrafanaSyncMetric, type GrafanaSyncTarget } from './index';

const TOKEN = 'glsa_secret_token';
const RULES = '/api/v1/provisioning/alert-rules';

interface Seen {
  method: string;
  path: string;
  auth?: string;
  provenance?: string;
  body: unknown;
}

type Rule = Record<string, unknown> & { uid: string; folderUID: string; ruleGroup: string };

/**
 * Grafana's provisioning API as documented (alerting_provisioning.md): list, get, create (201), update (200),
 * delete (204), 404 `{"message"}` for unknown uids, 401 without the token, and the defaults Grafana adds on save
 * (id, orgID, updated, provenance; intervalMs/maxDataPoints in query models).
 */
async function fakeGrafana(folders: string[] = ['detectkit']) {
  const rules = new Map<string, Rule>();
  const groups = new Map<string, number>();
  const seen: Seen[] = [];
  let nextId = 1;
  const send = (res: http.ServerResponse, status: number, body?: unknown) => {
    res.statusCode = status;
    if (body !== undefined) {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(body));
    } else {
      res.end();
    }
  };
  const saved = (uid: string, body: Rule): Rule => {
    const data = (body.data as Array<{ model: Record<string, unknown> }>).map((q) => ({
      ...q,
      model: { intervalMs: 1000, maxDataPoints: 43200, ...q.model },
    }));
    const groupKey = `${body.folderUID}/${body.ruleGroup}`;
    if (!groups.has(groupKey)) {
      groups.set(groupKey, 60); // Grafana's default evaluation interval for a new group
    }
    return { ...body, uid, data, id: nextId++, orgID: 1, updated: new Date().toISOString(), provenance: '' };
  };
  const invalid = (body: Rule): string | null => {
    for (const k of ['title', 'folderUID', 'ruleGroup', 'condition', 'data', 'noDataState', 'execErrState', 'for']) {
      if (body[k] === undefined || body[k] === '') {
        return `invalid alert rule: ${k} is required`;
      }
    }
    const data = body.data as Array<{ refId: string }>;
    if (!data.some((q) => q.refId === body.condition)) {
      return `invalid alert rule: condition ${String(body.condition)} does not exist`;
    }
    if (!folders.includes(body.folderUID)) {
      return `invalid alert rule: folder does not exist`;
    }
    return null;
  };
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = raw ? (JSON.parse(raw) as Rule) : undefined;
      const path = req.url ?? '';
      const method = req.method ?? '';
      const h = (n: string) => (typeof req.headers[n] === 'string' ? req.headers[n] : undefined);
      seen.push({ method, path, auth: h('authorization'), provenance: h('x-disable-provenance'), body });
      if (h('authorization') !== `Bearer ${TOKEN}`) {
        return send(res, 401, { message: 'invalid API key' });
      }
      const one = /^\/api\/v1\/provisioning\/alert-rules\/([^/]+)$/.exec(path);
      const group = /^\/api\/v1\/provisioning\/folder\/([^/]+)\/rule-groups\/([^/]+)$/.exec(path);
      if (path === RULES && method === 'GET') {
        return send(res, 200, [...rules.values()]);
      }
      if (path === RULES && method === 'POST' && body) {
        const why = invalid(body);
        if (why) {
          return send(res, 400, { message: why });
        }
        if (rules.has(body.uid)) {
          return send(res, 409, { message: 'a rule with this uid already exists' });
        }
        const r = saved(body.uid, body);
        rules.set(r.uid, r);
        return send(res, 201, r);
      }
      if (one?.[1]) {
        const uid = decodeURIComponent(one[1]);
        const have = rules.get(uid);
        if (!have) {
          return send(res, 404, { message: 'could not find alert rule' });
        }
        if (method === 'GET') {
          return send(res, 200, have);
        }
        if (method === 'PUT' && body) {
          const why = invalid(body);
          if (why) {
            return send(res, 400, { message: why });
          }
          const r = saved(uid, body);
          rules.set(uid, r);
          return send(res, 200, r);
        }
        if (method === 'DELETE') {
          rules.delete(uid);
          return send(res, 204);
        }
      }
      if (group?.[1] && group[2]) {
        const folderUid = decodeURIComponent(group[1]);
        const title = decodeURIComponent(group[2]);
        const key = `${folderUid}/${title}`;
        const interval = groups.get(key);
        if (interval === undefined) {
          return send(res, 404, { message: 'rule group not found' });
        }
        const members = [...rules.values()].filter((r) => r.folderUID === folderUid && r.ruleGroup === title);
        if (method === 'GET') {
          return send(res, 200, { title, folderUid, interval, rules: members });
        }
        if (method === 'PUT' && body) {
          groups.set(key, Number(body.interval));
          return send(res, 200, { title, folderUid, interval: Number(body.interval), rules: members });
        }
      }
      return send(res, 404, { message: 'not found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, rules, groups, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const server: StoreLocation = { kind: 'clickhouse', where: 'http://127.0.0.1:8123', database: 'dtk' };
const store = { location: server };

function target(url: string, over: Record<string, unknown> = {}): GrafanaSyncTarget {
  const config = alertChannelSchema.parse({
    type: 'grafana',
    url,
    token: TOKEN,
    contact_point: 'oncall',
    datasource_uid: 'ch-ds',
    ...over,
  });
  if (config.type !== 'grafana') {
    throw new Error('unreachable');
  }
  return { name: 'grafana_ops', config };
}

function metric(
  name: string,
  channelsDef: Record<string, AlertChannelConfig>,
  opts: { channels?: string[]; enabled?: boolean; interval?: number } = {}
): GrafanaSyncMetric {
  return {
    name,
    intervalSeconds: opts.interval ?? 60,
    alertingEnabled: opts.enabled ?? true,
    alerting: {
      config: alertConfigSchema.parse({ enabled: opts.enabled ?? true, channels: opts.channels ?? ['grafana_ops'] }),
      channels: channelsDef,
    },
  };
}

const writes = (seen: Seen[]) => seen.filter((s) => s.method !== 'GET');

describe('syncAlertRules against the provisioning API', () => {
  let g: Awaited<ReturnType<typeof fakeGrafana>>;
  beforeEach(async () => {
    g = await fakeGrafana();
  });
  afterEach(async () => {
    await g.close();
  });

  it('creates one rule per metric with the documented shape, then a re-sync writes nothing', async () => {
    const t = target(g.url);
    const defs = { grafana_ops: t.config };
    const metrics = [metric('cpu_usage', defs, { interval: 300 }), metric("it's \\ odd", defs, { interval: 45 })];

    const first = await syncAlertRules({ grafana: t, metrics, store });
    expect(first.created).toEqual([ruleUid('cpu_usage'), ruleUid("it's \\ odd")]);
    // Shortest interval (45s) rounded up to Grafana's 10s base.
    expect(first.groupInterval).toBe(50);
    expect(g.groups.get('detectkit/detectkit')).toBe(50);

    const rule = g.rules.get(ruleUid('cpu_usage'));
    expect(rule).toMatchObject({
      title: 'dtk: cpu_usage',
      folderUID: 'detectkit',
      ruleGroup: 'detectkit',
      condition: 'C',
      for: '0s',
      labels: { dtk: 'true', metric: 'cpu_usage', dtk_channel: 'grafana_ops' },
      notification_settings: { receiver: 'oncall' },
    });
    const data = rule?.data as Array<{ refId: string; datasourceUid: string; model: Record<string, unknown> }>;
    expect(data.map((q) => [q.refId, q.datasourceUid, q.model.type])).toEqual([
      ['A', 'ch-ds', undefined],
      ['B', '__expr__', 'reduce'],
      ['C', '__expr__', 'threshold'],
    ]);
    expect(data[0]?.model).toMatchObject({
      editorType: 'sql',
      queryType: 'table',
      rawSql: stateSql('dtk', 'cpu_usage'),
    });
    expect(stateSql('dtk', 'cpu_usage')).toBe(
      "SELECT if(argMax(state, (timestamp, created_at)) = 'firing', 1, 0) AS value FROM dtk._dtk_alerts FINAL " +
        "WHERE metric_name = 'cpu_usage' AND event_type != 'test'"
    );
    expect(stateSql('dtk', "it's \\ odd")).toContain("metric_name = 'it\\'s \\\\ odd'");
    expect(ruleUid('cpu_usage')).toMatch(/^dtk-[0-9a-f]{24}$/);

    for (const s of g.seen) {
      expect(s.auth).toBe(`Bearer ${TOKEN}`);
      expect(s.provenance).toBe(s.method === 'GET' ? undefined : 'true');
    }
    expect(writes(g.seen).map((s) => `${s.method} ${s.path}`)).toEqual([
      `POST ${RULES}`,
      `POST ${RULES}`,
      'PUT /api/v1/provisioning/folder/detectkit/rule-groups/detectkit',
    ]);

    g.seen.length = 0;
    const again = await syncAlertRules({ grafana: t, metrics, store });
    expect(again).toEqual({
      created: [],
      updated: [],
      unchanged: [ruleUid('cpu_usage'), ruleUid("it's \\ odd")],
      deleted: [],
    });
    expect(writes(g.seen)).toEqual([]);
  });

  it('updates a rule whose settings changed and one edited in Grafana', async () => {
    const t = target(g.url);
    const metrics = [metric('cpu_usage', { grafana_ops: t.config }), metric('mem', { grafana_ops: t.config })];
    await syncAlertRules({ grafana: t, metrics, store });
    const memUid = ruleUid('mem');
    const mem = g.rules.get(memUid);
    g.rules.set(memUid, { ...(mem as Rule), title: 'renamed by hand' });

    g.seen.length = 0;
    const t2 = target(g.url, { contact_point: 'pager' });
    const res = await syncAlertRules({ grafana: t2, metrics, store });
    expect(res.updated).toEqual([ruleUid('cpu_usage'), memUid]);
    expect(writes(g.seen).map((s) => `${s.method} ${s.path}`)).toEqual([
      `PUT ${RULES}/${ruleUid('cpu_usage')}`,
      `PUT ${RULES}/${memUid}`,
    ]);
    expect(g.rules.get(memUid)).toMatchObject({ title: 'dtk: mem', notification_settings: { receiver: 'pager' } });
  });

  it('deletes rules of metrics that no longer alert through the channel, and nothing else', async () => {
    const t = target(g.url);
    const defs = {
      grafana_ops: t.config,
      hook: alertChannelSchema.parse({ type: 'webhook', webhook_url: 'http://127.0.0.1:1/x' }),
    };
    await syncAlertRules({
      grafana: t,
      metrics: [metric('a', defs), metric('b', defs), metric('c', defs)],
      store,
    });
    // Someone else's rule with our prefix but not our labels, and a rule of another grafana channel.
    const base = g.rules.get(ruleUid('a')) as Rule;
    g.rules.set('dtk-foreign', { ...base, uid: 'dtk-foreign', labels: {} });
    g.rules.set('dtk-other', { ...base, uid: 'dtk-other', labels: { dtk: 'true', dtk_channel: 'grafana_other' } });
    g.seen.length = 0;
    const res = await syncAlertRules({
      grafana: t,
      metrics: [
        metric('a', defs),
        metric('b', defs, { enabled: false }), // alerting disabled
        metric('d', defs, { channels: ['hook'] }), // alerts, but not through Grafana
      ], // 'c' deleted from the project
      store,
    });
    expect(res.deleted).toEqual([ruleUid('b'), ruleUid('c')]);
    expect(res.unchanged).toEqual([ruleUid('a')]);
    expect(writes(g.seen).map((s) => s.method)).toEqual(['DELETE', 'DELETE']);
    expect([...g.rules.keys()].sort()).toEqual([ruleUid('a'), 'dtk-foreign', 'dtk-other'].sort());
  });

  it('with prune off (a run over part of the project) creates and updates but deletes nothing', async () => {
    const t = target(g.url);
    await syncAlertRules({
      grafana: t,
      metrics: [metric('p1', { grafana_ops: t.config }), metric('p2', { grafana_ops: t.config })],
      store,
    });
    g.seen.length = 0;
    const res = await syncAlertRules({
      grafana: t,
      metrics: [metric('p1', { grafana_ops: t.config })],
      store,
      prune: false,
    });
    expect(res.deleted).toEqual([]);
    expect(writes(g.seen)).toEqual([]);
    expect(g.rules.has(ruleUid('p2'))).toBe(true);
  });

  it("surfaces Grafana's message and status on 401 and 400, without the token", async () => {
    const bad = { ...target(g.url), config: { ...target(g.url).config, token: 'glsa_wrong' } };
    const e1 = await syncAlertRules({ grafana: bad, metrics: [metric('a', { grafana_ops: bad.config })], store }).catch(
      (e: unknown) => e
    );
    expect(e1).toBeInstanceOf(DtkError);
    expect((e1 as DtkError).code).toBe('grafana_auth');
    expect((e1 as DtkError).message).toContain('HTTP 401: invalid API key');
    expect((e1 as DtkError).details).toMatchObject({ status: 401, grafanaMessage: 'invalid API key' });
    expect((e1 as DtkError).message).not.toContain('glsa_wrong');

    const noFolder = target(g.url, { folder_uid: 'missing' });
    const e2 = await syncAlertRules({
      grafana: noFolder,
      metrics: [metric('a', { grafana_ops: noFolder.config })],
      store,
    }).catch((e: unknown) => e);
    expect((e2 as DtkError).code).toBe('grafana_request');
    expect((e2 as DtkError).message).toContain(
      `POST ${RULES} with HTTP 400: invalid alert rule: folder does not exist`
    );
    expect((e2 as DtkError).message).not.toContain(TOKEN);
  });

  it('reports an unreachable Grafana', async () => {
    const t = target('http://127.0.0.1:1');
    const e = await syncAlertRules({ grafana: t, metrics: [], store }).catch((x: unknown) => x);
    expect((e as DtkError).code).toBe('grafana_unreachable');
    expect((e as DtkError).message).toContain('Grafana at http://127.0.0.1:1 is unreachable');
  });

  it('refuses the embedded store before calling Grafana', async () => {
    const t = target(g.url);
    const embedded = { location: { kind: 'embedded' as const, where: '/tmp/x', database: 'dtk' } };
    await expect(
      syncAlertRules({ grafana: t, metrics: [metric('a', { grafana_ops: t.config })], store: embedded })
    ).rejects.toThrow('Grafana cannot read the embedded store; use a ClickHouse server profile');
    expect(g.seen).toEqual([]);
  });
});
