import { hitOf, TrackingInputError, type UetHit } from 'uet-tag-status';
import type { CapiEvent } from '../capi/capiRequest.js';
import type { InputRecord } from '../records/inputRecord.js';
import { accepted, type LineOutcome, malformed } from './replayRecord.js';

/**
 * The outcome of a beacon received at `at` (SPEC U1, U3, U5): a `hit` record, or a
 * malformed line naming the parameter (`ti`, `ev`) and its value.
 *
 * @example
 * ```ts
 * beaconOutcome('/action/0?ti=5&evt=pageLoad&p=https%3A%2F%2Fcontoso.com%2F', 1_709_283_600_000);
 * // { kind: 'record', record: { kind: 'hit', at: 1709283600000, hit: { tagId: '5', ... } } }
 * ```
 */
export function beaconOutcome(beacon: string, at: number): LineOutcome {
  try {
    return accepted({ kind: 'hit', at, hit: hitOf('beacon', beacon) } as InputRecord);
  } catch (error) {
    if (!(error instanceof TrackingInputError)) throw error;
    return malformed(`beacon ${error.message}`);
  }
}

/**
 * A Conversions API event as a hit of tag `tagId` (SPEC U4): `eventSourceUrl` is the
 * page, `eventName` the action, `customData` the category, label, value and revenue,
 * `userData.anonymousId` the visitor and `userData.msclkid` the click id.
 *
 * @example
 * ```ts
 * capiHit('26012345', event).eventType; // 'pageLoad' or 'custom'
 * ```
 */
export function capiHit(tagId: string, event: CapiEvent): UetHit {
  const hit: Record<string, unknown> = { tagId, eventType: event.eventType };
  // One field at a time, in the hit's order: no list of pairs per event.
  setField(hit, 'pageUrl', event.eventSourceUrl);
  setField(hit, 'referrer', event.referrerUrl);
  setField(hit, 'pageTitle', event.pageTitle);
  setField(hit, 'eventAction', event.eventName);
  setField(hit, 'eventCategory', event.eventCategory);
  setField(hit, 'eventLabel', event.eventLabel);
  setField(hit, 'eventValue', event.eventValue);
  setField(hit, 'revenue', event.revenue);
  setField(hit, 'currency', event.currency);
  setField(hit, 'pageLoadId', event.pageLoadId);
  setField(hit, 'visitorId', event.visitorId);
  setField(hit, 'clickId', event.clickId);
  setField(hit, 'consent', event.consent);
  return hit as unknown as UetHit;
}

function setField(hit: Record<string, unknown>, name: keyof UetHit, value: unknown): void {
  if (value !== undefined) hit[name] = value;
}
