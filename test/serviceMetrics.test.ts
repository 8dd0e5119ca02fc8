import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterEach, describe, expect, it } from 'vitest';
import { startService, type TestService } from './support/serviceSupport.js';

let running: TestService | undefined;

afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function scrape(): Promise<
  Map<string, ReturnType<typeof parsePrometheusTextFormat>[number]>
> {
  const response = await fetch(`${running?.url}/metrics`);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const families = parsePrometheusTextFormat(await response.text());
  return new Map(families.map((family) => [family.name, family]));
}

function sampleValue(
  family: { metrics: readonly { labels?: Record<string, string>; value?: string }[] } | undefined,
  labels: Record<string, string>,
): number {
  const sample = family?.metrics.find((metric) =>
    Object.entries(labels).every(([key, value]) => metric.labels?.[key] === value),
  );
  return Number(sample?.value);
}

describe('uet-tag serve: GET /metrics (Prometheus, parsed by a real parser)', () => {
  it('tags and goals per status, inputs accepted and rejected by source and reason, changes, commit latency, process metrics', async () => {
    running = await startService({ memory: true });
    await fetch(`${running.url}/inputs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { kind: 'registerTag', tagId: 't1', goals: [{ goalId: 'g', goalType: 'Url' }] },
        { kind: 'registerTag', tagId: 't2' },
        { kind: 'removeTag', tagId: 'none' },
      ]),
    });
    expect((await fetch(`${running.url}/action/0?ti=t1`)).status).toBe(204);
    expect((await fetch(`${running.url}/action/0?evt=pageLoad`)).status).toBe(400);
    const families = await scrape();
    const tags = families.get('uet_tag_tags');
    expect(tags?.type).toBe('GAUGE');
    expect(sampleValue(tags, { status: 'Active' })).toBe(1);
    expect(sampleValue(tags, { status: 'Unverified' })).toBe(1);
    expect(sampleValue(tags, { status: 'Inactive' })).toBe(0);
    expect(sampleValue(families.get('uet_tag_goals'), { status: 'NoRecentConversions' })).toBe(1);
    expect(sampleValue(families.get('uet_tag_inputs_accepted_total'), { source: 'inputs' })).toBe(
      2,
    );
    expect(
      sampleValue(families.get('uet_tag_inputs_accepted_total'), { source: 'collector' }),
    ).toBe(1);
    expect(
      sampleValue(families.get('uet_tag_inputs_rejected_total'), {
        source: 'inputs',
        reason: 'unknownTag',
      }),
    ).toBe(1);
    expect(
      sampleValue(families.get('uet_tag_inputs_rejected_total'), {
        source: 'collector',
        reason: 'invalidId',
      }),
    ).toBe(1);
    expect(sampleValue(families.get('uet_tag_changes_total'), { kind: 'tag', to: 'Active' })).toBe(
      1,
    );
    const commits = families.get('uet_tag_commit_seconds');
    expect(commits?.type).toBe('HISTOGRAM');
    expect(Number(commits?.metrics[0]?.count)).toBe(2);
    expect(families.has('uet_tag_process_cpu_seconds_total')).toBe(true);
    expect(families.has('uet_tag_next_deadline_seconds')).toBe(false);
  });

  it('R4 the per-tag next-deadline gauge only when asked (--metrics-per-tag): last data plus the window, in epoch seconds', async () => {
    running = await startService({ memory: true, metricsPerTag: true, activityWindow: '1h' });
    const at = Date.now() - 5_000;
    await fetch(`${running.url}/inputs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { kind: 'registerTag', tagId: 't1' },
        { kind: 'registerTag', tagId: 't2' },
        { kind: 'activity', tagId: 't1', at },
      ]),
    });
    const deadlines = (await scrape()).get('uet_tag_next_deadline_seconds');
    expect(deadlines?.metrics).toEqual([
      { labels: { tag_id: 't1' }, value: String((at + 3_600_000) / 1000) },
    ]);
  });
});
