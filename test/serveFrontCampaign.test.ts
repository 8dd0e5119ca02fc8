import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caughtUp,
  LONG_WINDOWS,
  startFrontNode,
  type TestFrontNode,
  testCluster,
} from './support/frontSupport.js';
import { startService, type TestService } from './support/serviceSupport.js';
import { connectSse } from './support/sseClient.js';

/**
 * The Campaign Management stand-in and `/metrics` of a front node, in front of a real
 * worker process on the real PostgreSQL, against the single-node service given the same
 * inputs.
 */
const SHARDS = 4;
const BASE = '/CampaignManagement/v13';

const cluster = testCluster('frontcm', LONG_WINDOWS, { shards: SHARDS, workers: 1 });
let front: TestFrontNode | undefined;
let local: TestService | undefined;

beforeAll(async () => {
  cluster.start();
  front = await startFrontNode(cluster.schema, { metricsPerTag: true });
  local = await startService({
    memory: true,
    metricsPerTag: true,
    activityWindow: LONG_WINDOWS.activityWindowMs,
    conversionWindow: LONG_WINDOWS.conversionWindowMs,
  });
  const at = Date.now() - 60_000;
  for (const url of [local.url, front.url]) {
    const response = await post(url, '/inputs', inputs(at));
    expect(response.status).toBe(200);
  }
  await caughtUp(cluster.pool, 30_000);
}, 60_000);
afterAll(async () => {
  await front?.close();
  await local?.close();
  await cluster.stop();
});

/**
 * Eight tags over the four shards, with goals of every tag-based type: Active ones (one
 * goal recording conversions), Unverified ones, and two whose access is lost (one Active,
 * one Unverified: goals InactiveDueToTagUnavailable).
 */
function inputs(at: number): unknown[] {
  const tag = (index: number) => String(26_000_001 + index);
  const goal = (index: number) => String(46_000_001 + index);
  return [
    ...Array.from({ length: 8 }, (_, index) => ({
      kind: 'registerTag',
      tagId: tag(index),
      goals: [
        {
          goalId: goal(index),
          goalType: ['Url', 'Event', 'Duration', 'PagesViewedPerVisit'][index % 4],
        },
        ...(index % 3 === 0 ? [{ goalId: goal(100 + index), goalType: 'Event' }] : []),
      ],
    })),
    ...[0, 1, 2, 4, 6].map((index) => ({ kind: 'activity', tagId: tag(index), at })),
    { kind: 'conversion', tagId: tag(0), goalId: goal(0), at },
    { kind: 'accessLost', tagId: tag(3) },
    { kind: 'accessLost', tagId: tag(6) },
  ];
}

async function post(url: string, target: string, body: unknown): Promise<Response> {
  return fetch(`${url}${target}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
}

/** A response without the fault's TrackingId (a fresh UUID per answer). */
async function comparable(response: Response): Promise<[number, unknown]> {
  const body = (await response.json()) as { ApplicationFault?: { TrackingId?: string } };
  if (body.ApplicationFault?.TrackingId !== undefined) {
    expect(body.ApplicationFault.TrackingId).toMatch(/^[0-9a-f-]{36}$/);
    body.ApplicationFault.TrackingId = 'tracking id';
  }
  return [response.status, body];
}

/** The Prometheus samples of a family, by their `label` (`status` unless told). */
async function byStatus(
  url: string,
  name: string,
  label = 'status',
): Promise<Record<string, number>> {
  const response = await fetch(`${url}/metrics`);
  const family = parsePrometheusTextFormat(await response.text()).find(
    (found) => found.name === name,
  );
  const samples = (family?.metrics ?? []) as { labels?: Record<string, string>; value: string }[];
  return Object.fromEntries(
    samples.map((sample) => [sample.labels?.[label] ?? '', Number(sample.value)]),
  );
}

/** Requests to the stand-in, and the HTTP status each answers with. */
const REQUESTS: [string, unknown, number][] = [
  ['/UetTags/QueryByIds', { TagIds: ['26000004', 26000002, '26000099', '26000001'] }, 200],
  ['/UetTags/QueryByIds', { TagIds: ['26000008', '26000008'] }, 200],
  ['/UetTags/QueryByIds', { TagIds: [] }, 400],
  ['/UetTags/QueryByIds', { TagIds: ['not an id'] }, 400],
  ['/UetTags/QueryByIds', '[1]', 400],
  ['/ConversionGoals/QueryByIds', { ConversionGoalIds: ['46000001', '46000404', '46000004'] }, 200],
  [
    '/ConversionGoals/QueryByIds',
    {
      ConversionGoalIds: ['46000004', '46000007', '46000101'],
      ConversionGoalTypes: 'Duration,Event',
    },
    200,
  ],
  [
    '/ConversionGoals/QueryByIds',
    {
      ConversionGoalIds: ['46000004', '46000007'],
      ReturnAdditionalFields: 'InactiveDueToTagUnavailable',
    },
    200,
  ],
  [
    '/ConversionGoals/QueryByIds',
    { ConversionGoalIds: ['46000001'], ConversionGoalTypes: 'Bogus' },
    400,
  ],
  [
    '/ConversionGoals/QueryByTagIds',
    { TagIds: ['26000004', '26000099', '26000001', '26000007'] },
    200,
  ],
  [
    '/ConversionGoals/QueryByTagIds',
    {
      TagIds: ['26000007', '26000004'],
      ConversionGoalTypes: ['Event', 'Url', 'PagesViewedPerVisitGoal'],
      ReturnAdditionalFields: ['InactiveDueToTagUnavailable'],
    },
    200,
  ],
  ['/ConversionGoals/QueryByTagIds', { TagIds: null }, 400],
];

describe('uet-tag serve --db postgresql://…: the Campaign Management stand-in and /metrics', () => {
  for (const [operation, body, status] of REQUESTS) {
    it(`A3 POST ${operation} ${typeof body === 'string' ? body : JSON.stringify(body)} answers as the single node on the same inputs`, async () => {
      const [mine, theirs] = await Promise.all(
        [front?.url, local?.url].map(async (url) =>
          comparable(await post(url as string, `${BASE}${operation}`, body)),
        ),
      );
      expect(mine?.[0]).toBe(status);
      expect(mine).toEqual(theirs);
    });
  }

  it('A3 POST /UetTags/QueryByIds with TagIds null lists every tag with its status, as the single node does (the front node in shard order, the single node in registration order)', async () => {
    const [mine, theirs] = await Promise.all(
      [front?.url, local?.url].map(async (url) => {
        const response = await post(url as string, `${BASE}/UetTags/QueryByIds`, { TagIds: null });
        const body = (await response.json()) as { UetTags: { Id: string }[] };
        return { ...body, UetTags: body.UetTags.sort((a, b) => (a.Id < b.Id ? -1 : 1)) };
      }),
    );
    expect(mine?.UetTags).toHaveLength(8);
    expect(mine).toEqual(theirs);
  });

  it("uet_tag_tags and uet_tag_goals per status are the cluster's, as the single node's on the same inputs; uet_tag_sse_clients counts this node's streams; with metricsPerTag, uet_tag_next_deadline_seconds per Active tag as the single node's", async () => {
    const url = front?.url as string;
    const tags = await byStatus(url, 'uet_tag_tags');
    expect(tags).toEqual(await byStatus(local?.url as string, 'uet_tag_tags'));
    expect(tags).toEqual({ Unverified: 3, Active: 5, Inactive: 0 });
    expect(await byStatus(url, 'uet_tag_goals')).toEqual(
      await byStatus(local?.url as string, 'uet_tag_goals'),
    );
    const deadlines = await byStatus(url, 'uet_tag_next_deadline_seconds', 'tag_id');
    expect(Object.keys(deadlines)).toHaveLength(5);
    expect(deadlines).toEqual(
      await byStatus(local?.url as string, 'uet_tag_next_deadline_seconds', 'tag_id'),
    );
    expect(await byStatus(url, 'uet_tag_sse_clients')).toEqual({ '': 0 });
    const client = await connectSse(`${url}/changes`);
    try {
      expect(await byStatus(url, 'uet_tag_sse_clients')).toEqual({ '': 1 });
    } finally {
      client.close();
    }
  });
});
