import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTime } from '../../../shared/record';

describe('isoTime', () => {
  const lastMsOf9999 = 253_402_300_799_999;

  it('writes what Date#toISOString writes, from 1970 to the end of year 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: lastMsOf9999 }), (ms) => {
        expect(isoTime(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 20_000 },
    );
  });

  it('gets day boundaries, days in turn and the edges of its range right', () => {
    const day = 86_400_000;
    const times = [0, 1, 999, 1000, day - 1, day, day + 1, 1_795_428_000_000, lastMsOf9999];
    // Back and forth across a midnight, so that the kept date part is replaced each time.
    times.push(1_795_391_999_999, 1_795_392_000_000, 1_795_391_999_999, 1_795_392_000_000);
    for (const ms of times) expect(isoTime(ms)).toBe(new Date(ms).toISOString());
  });

  it('leaves times outside its range to Date, fractions of a millisecond dropped as Date does', () => {
    for (const ms of [-1, -86_400_001, lastMsOf9999 + 1, 1_795_428_000_123.9]) {
      expect(isoTime(ms)).toBe(new Date(ms).toISOString());
    }
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
  });
});
