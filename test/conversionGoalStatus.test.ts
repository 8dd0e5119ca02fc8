import { describe, expect, it } from 'vitest';
import {
  MAX_ECHOED_LENGTH,
  TrackingInputError,
} from '../packages/uet-tag-status/src/TrackingInputError.js';
import {
  ConversionGoalStatus,
  conversionGoalStatusMeanings,
  isConversionGoalStatus,
} from '../packages/uet-tag-status/src/valueSets/conversionGoalStatus.js';

describe('ConversionGoalStatus', () => {
  it('A1 has exactly the API values Active, Paused, Deleted, each keyed by itself', () => {
    expect(Object.entries(ConversionGoalStatus)).toEqual([
      ['Active', 'Active'],
      ['Paused', 'Paused'],
      ['Deleted', 'Deleted'],
    ]);
  });

  it('A2 has a meaning for every value, each a sentence', () => {
    expect(Object.keys(conversionGoalStatusMeanings)).toEqual(['Active', 'Paused', 'Deleted']);
    for (const meaning of Object.values(conversionGoalStatusMeanings))
      expect(meaning).toMatch(/^[A-Z].+\.$/);
  });

  it('A1 the guard accepts the exact spellings only', () => {
    const candidates: unknown[] = [
      'Active',
      'Paused',
      'Deleted',
      'active',
      'PAUSED',
      ' Deleted',
      'Removed',
      '',
      null,
      1,
      ['Active'],
    ];
    expect(candidates.filter((value) => isConversionGoalStatus(value))).toEqual([
      'Active',
      'Paused',
      'Deleted',
    ]);
  });
});

describe('TrackingInputError messages', () => {
  it('D4 echo a short value whole and a long one cut at 100 characters, with its length', () => {
    expect(new TrackingInputError('invalidHit', 'p', 'abc', 'x').message).toBe(
      'p: "abc" is not valid: expected x',
    );
    const long = 'é'.repeat(300);
    const error = new TrackingInputError('invalidHit', 'p', long, 'x');
    expect(error.message).toBe(
      `p: ${JSON.stringify('é'.repeat(MAX_ECHOED_LENGTH))}… (300 characters) is not valid: expected x`,
    );
    expect(error.value).toBe(long);
  });

  it('D4 cut a long object too', () => {
    const error = new TrackingInputError(
      'invalidGoalDefinition',
      'goals[0]',
      { list: Array(100).fill(1) },
      'x',
    );
    expect(error.message).toBe(
      `goals[0]: ${JSON.stringify({ list: Array(100).fill(1) }).slice(0, MAX_ECHOED_LENGTH)}… is not valid: expected x`,
    );
  });
});
