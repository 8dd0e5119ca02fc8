import { z } from 'zod';

const page = z.union(
  [
    z.string({ error: 'a page URL' }).min(1),
    z.strictObject(
      {
        url: z.string({ error: 'a page URL' }).min(1, { error: 'a page URL' }),
        weight: z.number({ error: 'a weight >= 0' }).min(0, { error: 'a weight >= 0' }).optional(),
      },
      { error: 'a page: its URL, or { url, weight? }' },
    ),
  ],
  { error: 'a page: its URL, or { url, weight? }' },
);
const probability = z
  .number({ error: 'a probability from 0 to 1' })
  .min(0, { error: 'a probability from 0 to 1' })
  .max(1, { error: 'a probability from 0 to 1' });
const text = z.string({ error: 'a non-empty text' }).min(1, { error: 'a non-empty text' });
const finite = z.number({ error: 'a finite number' }).refine(Number.isFinite, {
  error: 'a finite number',
});

/**
 * A tag's `visits` in a scenario file: what each visit does (the tag's `traffic` says when
 * visits begin). Times are seconds, as a marketer reads them.
 */
export const visitsSchema = z.strictObject(
  {
    landingPages: z
      .array(page, { error: 'a list of pages' })
      .min(1, { error: 'at least one landing page' }),
    pages: z.array(page, { error: 'a list of pages' }).optional(),
    pagesPerVisit: z
      .number({ error: 'the mean pages per visit: a number >= 1' })
      .min(1, { error: 'the mean pages per visit: a number >= 1' })
      .max(1_000, { error: 'the mean pages per visit: at most 1,000' })
      .optional(),
    secondsPerPage: z
      .number({ error: 'the mean seconds between hits of a visit: a number > 0' })
      .positive({ error: 'the mean seconds between hits of a visit: a number > 0' })
      .max(86_400, { error: 'the mean seconds between hits: at most 86,400' })
      .optional(),
    events: z
      .array(
        z.strictObject(
          {
            action: text,
            category: text.optional(),
            label: text.optional(),
            value: z
              .union(
                [
                  finite,
                  z.strictObject(
                    { min: finite, max: finite },
                    { error: 'a value range { min, max }' },
                  ),
                ],
                { error: 'a value: a number, or a range { min, max }' },
              )
              .optional(),
            probability,
          },
          { error: 'an event { action, category?, label?, value?, probability }' },
        ),
        { error: 'a list of events' },
      )
      .optional(),
    adClickShare: probability.optional(),
  },
  {
    error:
      'visits { landingPages, pages?, pagesPerVisit?, secondsPerPage?, events?, adClickShare? }',
  },
);

/** The `visits` of a scenario tag, as written. */
export type VisitsFile = z.output<typeof visitsSchema>;
