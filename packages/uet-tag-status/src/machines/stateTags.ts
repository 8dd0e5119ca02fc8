/**
 * The state tag of the statuses that end by themselves when their window runs out with
 * no new data: a tag's `Active` (SPEC R4) and a goal's `RecordingConversions` (G3). Whoever
 * owns the timers asks the machines which statuses carry it (see `chartFacts.ts`) instead
 * of listing them.
 */
export const LAPSES = 'lapses';
