import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isUuid } from '../packages/uet-tag/src/capi/capiFieldRules.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

describe('isUuid', () => {
  it('accepts exactly what the 8-4-4-4-12 hexadecimal pattern (either case) accepts', () => {
    const near = fc
      .tuple(fc.uuid(), fc.nat({ max: 35 }), fc.string({ minLength: 0, maxLength: 2 }))
      .map(([uuid, at, text]) => uuid.slice(0, at) + text + uuid.slice(at + 1));
    const value = fc.oneof(
      fc.uuid().map((uuid) => uuid.toUpperCase()),
      fc.uuid(),
      near,
      fc.string({ maxLength: 40 }),
      fc.constantFrom(
        'dd4afccc-b1c9-4a4c-ad95-44dd7e5006ab\n',
        'DD4AFCCC-B1C9-4A4C-AD95-44DD7E5006AG',
      ),
    );
    fc.assert(
      fc.property(value, (text) => {
        expect(isUuid(text)).toBe(UUID.test(text));
      }),
      { numRuns: 5_000 },
    );
    expect(isUuid('dd4afccc-b1c9-4a4c-ad95-44dd7e5006ab')).toBe(true);
    expect(isUuid(42)).toBe(false);
  });
});
