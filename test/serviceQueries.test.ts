import { afterEach, describe, expect, it } from 'vitest';
import { jsonOf, startService, type TestService } from './support/serviceSupport.js';

let running: TestService | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${running?.url}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
}

/** Three tags: 26000001 Active (goal 46000001 Url), 26000002 Unverified (goal 46000002 Event, access lost), 26000003 Active. */
async function seed(at: number): Promise<void> {
  const response = await post('/inputs', [
    { kind: 'registerTag', tagId: '26000001', goals: [{ goalId: '46000001', goalType: 'Url' }] },
    { kind: 'registerTag', tagId: '26000002', goals: [{ goalId: '46000002', goalType: 'Event' }] },
    { kind: 'registerTag', tagId: '26000003' },
    { kind: 'activity', tagId: '26000001', at },
    { kind: 'activity', tagId: '26000003', at },
    { kind: 'accessLost', tagId: '26000002' },
  ]);
  expect(await jsonOf(response)).toMatchObject({ accepted: 6, rejected: [] });
}

describe('uet-tag serve: queries and the Campaign Management stand-in', () => {
  it('R4 GET /tags/{id}: status, since, last data, next deadline (Inactive at last data plus the window), goals and history', async () => {
    running = await startService({ memory: true, activityWindow: '1h' });
    const at = Date.now() - 60_000;
    await seed(at);
    const tag = await jsonOf(await fetch(`${running.url}/tags/26000001`));
    expect(tag).toMatchObject({
      tagId: '26000001',
      status: 'Active',
      since: new Date(at).toISOString(),
      lastData: new Date(at).toISOString(),
      nextDeadline: new Date(at + 3_600_000).toISOString(),
      goals: [
        { goalId: '46000001', goalType: 'Url', status: 'NoRecentConversions', nextDeadline: null },
      ],
    });
    expect(tag.history).toMatchObject([
      { kind: 'tag', from: 'Unverified', to: 'Active' },
      { kind: 'goal', goalId: '46000001', from: 'TagUnverified', to: 'NoRecentConversions' },
    ]);
    const missing = await fetch(`${running.url}/tags/nope`);
    expect(missing.status).toBe(404);
    expect((await jsonOf(missing)).error).toMatchObject({ code: 'unknownTag', field: 'tagId' });
  });

  it('GET /tags filters by status and id substring, pages with limit and offset; a bad status is named', async () => {
    running = await startService({ memory: true });
    await seed(Date.now());
    const active = await jsonOf(await fetch(`${running.url}/tags?status=Active`));
    expect(active.total).toBe(2);
    expect((active.tags as { tagId: string }[]).map((tag) => tag.tagId)).toEqual([
      '26000001',
      '26000003',
    ]);
    const page = await jsonOf(await fetch(`${running.url}/tags?limit=1&offset=1`));
    expect(page).toMatchObject({
      total: 3,
      tags: [{ tagId: '26000002', status: 'Unverified', nextDeadline: null }],
    });
    const search = await jsonOf(await fetch(`${running.url}/tags?q=0003`));
    expect((search.tags as { tagId: string }[]).map((tag) => tag.tagId)).toEqual(['26000003']);
    const bad = await fetch(`${running.url}/tags?status=Gone`);
    expect(bad.status).toBe(400);
    expect((await jsonOf(bad)).error).toMatchObject({
      code: 'invalidField',
      field: 'status',
      value: '"Gone"',
    });
    const summary = await jsonOf(await fetch(`${running.url}/summary`));
    expect(summary.tags).toEqual({ Unverified: 1, Active: 2, Inactive: 0 });
    const goals = await jsonOf(
      await fetch(`${running.url}/goals?status=InactiveDueToTagUnavailable`),
    );
    expect(goals).toMatchObject({ total: 1, goals: [{ tagId: '26000002', goalId: '46000002' }] });
  });

  it('A3 POST /CampaignManagement/v13/UetTags/QueryByIds: request order, null and a BatchError (5300 InvalidUetTagId) for an unknown id, every tag for TagIds null or empty, 5304 beyond 100 ids', async () => {
    running = await startService({ memory: true });
    await seed(Date.now());
    const response = await post('/CampaignManagement/v13/UetTags/QueryByIds', {
      TagIds: ['26000003', 26000009, '26000001'],
    });
    expect(response.status).toBe(200);
    const body = await jsonOf(response);
    expect(body.UetTags).toEqual([
      { Id: '26000003', TrackingStatus: 'Active' },
      null,
      { Id: '26000001', TrackingStatus: 'Active' },
    ]);
    expect(body.PartialErrors).toMatchObject([
      { Index: 1, Type: 'BatchError', Code: 5300, ErrorCode: 'InvalidUetTagId' },
    ]);
    const all = await jsonOf(
      await post('/CampaignManagement/v13/UetTags/QueryByIds', { TagIds: null }),
    );
    expect((all.UetTags as unknown[]).length).toBe(3);
    const empty = await jsonOf(
      await post('/CampaignManagement/v13/UetTags/QueryByIds', { TagIds: [] }),
    );
    expect(empty).toEqual(all);
    const tooMany = await post('/CampaignManagement/v13/UetTags/QueryByIds', {
      TagIds: Array.from({ length: 101 }, (_, i) => String(i + 1)),
    });
    expect(tooMany.status).toBe(400);
    expect(await jsonOf(tooMany)).toMatchObject({
      ApplicationFault: {
        OperationErrors: [{ Code: 5304, ErrorCode: 'UetTagIdsExceedsLimit', Details: 'TagIds' }],
      },
    });
  });

  it('A3 ConversionGoals/QueryByIds and QueryByTagIds: InactiveDueToTagUnavailable only when ReturnAdditionalFields names it, types filter and are required (5329), every goal of the types for ConversionGoalIds null or empty', async () => {
    running = await startService({ memory: true });
    await seed(Date.now());
    const plain = await jsonOf(
      await post('/CampaignManagement/v13/ConversionGoals/QueryByIds', {
        ConversionGoalIds: ['46000002', '46000001', '46000404'],
        ConversionGoalTypes: 'Url,Event',
      }),
    );
    expect(plain.ConversionGoals).toEqual([
      { Id: '46000002', Type: 'Event', TagId: '26000002', TrackingStatus: 'TagInactive' },
      { Id: '46000001', Type: 'Url', TagId: '26000001', TrackingStatus: 'NoRecentConversions' },
      null,
    ]);
    expect(plain.PartialErrors).toMatchObject([
      { Index: 2, Code: 5314, ErrorCode: 'InvalidConversionGoalId' },
    ]);
    for (const ConversionGoalIds of [null, []]) {
      const every = await jsonOf(
        await post('/CampaignManagement/v13/ConversionGoals/QueryByIds', {
          ConversionGoalIds,
          ConversionGoalTypes: 'Event',
        }),
      );
      expect(every).toEqual({
        ConversionGoals: [
          { Id: '46000002', Type: 'Event', TagId: '26000002', TrackingStatus: 'TagInactive' },
        ],
        PartialErrors: [],
      });
    }
    const additional = await jsonOf(
      await post('/CampaignManagement/v13/ConversionGoals/QueryByTagIds', {
        TagIds: ['26000002', '26000001'],
        ConversionGoalTypes: ['Event'],
        ReturnAdditionalFields: 'InactiveDueToTagUnavailable',
      }),
    );
    expect(additional).toEqual({
      ConversionGoals: [
        {
          Id: '46000002',
          Type: 'Event',
          TagId: '26000002',
          TrackingStatus: 'InactiveDueToTagUnavailable',
        },
      ],
      PartialErrors: [],
    });
    const badType = await post('/CampaignManagement/v13/ConversionGoals/QueryByTagIds', {
      TagIds: ['26000001'],
      ConversionGoalTypes: 'Bogus',
    });
    expect(badType.status).toBe(400);
    expect(await jsonOf(badType)).toMatchObject({
      ApplicationFault: {
        OperationErrors: [
          {
            Code: 5329,
            ErrorCode: 'ConversionGoalTypesNotPassed',
            Message: expect.stringMatching(/"Bogus"/),
          },
        ],
      },
    });
    const noTypes = await post('/CampaignManagement/v13/ConversionGoals/QueryByIds', {
      ConversionGoalIds: ['46000001'],
    });
    expect(await jsonOf(noTypes)).toMatchObject({
      ApplicationFault: {
        OperationErrors: [{ Code: 5329, Details: 'ConversionGoalTypes' }],
      },
    });
    const noTags = await post('/CampaignManagement/v13/ConversionGoals/QueryByTagIds', {
      TagIds: [],
      ConversionGoalTypes: 'Url',
    });
    expect(noTags.status).toBe(400);
    expect(await jsonOf(noTags)).toMatchObject({
      ApplicationFault: {
        OperationErrors: [{ Code: 206, ErrorCode: 'NullArrayArgument', Details: 'TagIds' }],
      },
    });
  });
});
