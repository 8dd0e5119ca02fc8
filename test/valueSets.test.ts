import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  ConversionGoalTrackingStatus,
  conversionGoalTrackingStatusMeanings,
  isConversionGoalTrackingStatus,
} from '../packages/uet-tag-status/src/valueSets/conversionGoalTrackingStatus.js';
import {
  ConversionGoalType,
  conversionGoalTypeMeanings,
  isConversionGoalType,
  isTagBasedGoalType,
} from '../packages/uet-tag-status/src/valueSets/conversionGoalType.js';
import {
  isUetTagTrackingStatus,
  UetTagTrackingStatus,
  uetTagTrackingStatusMeanings,
} from '../packages/uet-tag-status/src/valueSets/uetTagTrackingStatus.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rules = readFileSync(path.resolve(repoRoot, 'docs/rules.md'), 'utf8');

/** The meanings docs/rules.md lists, one line each: "- `Value`: meaning". */
const documentedMeanings = new Map(
  [...rules.matchAll(/^- `(\w+)`: (.+)$/gm)].map(([, value, meaning]) => [value, meaning]),
);

const valueSets = [
  {
    name: 'UetTagTrackingStatus',
    values: UetTagTrackingStatus,
    meanings: uetTagTrackingStatusMeanings,
    guard: isUetTagTrackingStatus,
    expected: ['Unverified', 'Active', 'Inactive'],
  },
  {
    name: 'ConversionGoalTrackingStatus',
    values: ConversionGoalTrackingStatus,
    meanings: conversionGoalTrackingStatusMeanings,
    guard: isConversionGoalTrackingStatus,
    expected: [
      'TagUnverified',
      'NoRecentConversions',
      'RecordingConversions',
      'TagInactive',
      'InactiveDueToTagUnavailable',
    ],
  },
  {
    name: 'ConversionGoalType',
    values: ConversionGoalType,
    meanings: conversionGoalTypeMeanings,
    guard: isConversionGoalType,
    expected: [
      'Url',
      'Duration',
      'PagesViewedPerVisit',
      'Event',
      'AppInstall',
      'OfflineConversion',
      'InStoreTransaction',
    ],
  },
] as const;

describe('value sets', () => {
  for (const set of valueSets) {
    describe(set.name, () => {
      it('has exactly the API values, spelled as the API spells them, each keyed by itself', () => {
        expect(Object.values(set.values)).toEqual(set.expected);
        expect(Object.entries(set.values).every(([key, value]) => key === value)).toBe(true);
      });

      it('has a meaning for every value and nothing else', () => {
        expect(Object.keys(set.meanings).sort()).toEqual([...set.expected].sort());
        for (const meaning of Object.values(set.meanings)) expect(meaning).toMatch(/^[A-Z].+\.$/);
      });

      it('guard accepts every value', () => {
        expect(set.expected.map((value) => set.guard(value))).toEqual(set.expected.map(() => true));
      });

      it('guard rejects case variants, white space, other strings and non-strings', () => {
        const rejected: unknown[] = [
          ...set.expected.flatMap((value) => [
            value.toLowerCase(),
            value.toUpperCase(),
            `${value[0]?.toLowerCase()}${value.slice(1)}`,
            ` ${value}`,
            `${value} `,
            `${value}\n`,
            `${value.slice(0, 3)} ${value.slice(3)}`,
            [value],
            { value },
            new String(value),
          ]),
          '',
          'toString',
          'constructor',
          '__proto__',
          null,
          undefined,
          0,
          1,
          true,
          Symbol('Active'),
          {},
          [],
        ];
        expect(rejected.filter((value) => set.guard(value))).toEqual([]);
      });
    });
  }

  it("the guards do not accept each other's values", () => {
    const accepted = valueSets.map((set) =>
      valueSets.flatMap((other) => other.expected).filter((value) => set.guard(value)),
    );
    expect(accepted).toEqual(valueSets.map((set) => set.expected));
  });

  it('every meaning is the one docs/rules.md gives, and the document lists no other value', () => {
    const meanings = {
      ...uetTagTrackingStatusMeanings,
      ...conversionGoalTrackingStatusMeanings,
      ...conversionGoalTypeMeanings,
    };
    expect(Object.fromEntries(documentedMeanings)).toEqual(meanings);
  });

  it('G1 G5: goal types are tag-based exactly when their meaning says they are tracked through the tag', () => {
    const table = Object.values(ConversionGoalType).map((goalType) => [
      goalType,
      isTagBasedGoalType(goalType),
      conversionGoalTypeMeanings[goalType].endsWith('tracked through the UET tag.'),
    ]);
    expect(table).toEqual([
      ['Url', true, true],
      ['Duration', true, true],
      ['PagesViewedPerVisit', true, true],
      ['Event', true, true],
      ['AppInstall', false, false],
      ['OfflineConversion', false, false],
      ['InStoreTransaction', false, false],
    ]);
  });
});
