import { describe, expect, it } from 'vitest';
import { BadPageToken, cursorRules, decodeCursor, encodeCursor } from '../../../../shared/store/cursor';
import { liveShardOf } from '../../../../shared/store/table';

const day = '2026-11-30';
/** A start key of each listing, as DynamoDB hands it back. */
const genuine = {
  liveStreams: { k: { liveShard: liveShardOf('srs/d/live/cam'), streamKey: 'srs/d/live/cam' } },
  tableScan: { k: { pk: 'guard#huawei#ab', sk: 'guard' } },
  recentDeliveries: {
    d: day,
    k: { recentShard: `${day}#07`, recentAt: `${day}T10:00:00.000Z#0f` },
  },
  refusals: { d: day, k: { pk: `refusal#${day}`, sk: `${day}T10:00:00.000Z#r1` } },
} as const;

describe('page tokens', () => {
  it.each(Object.keys(genuine) as (keyof typeof genuine)[])('%s: reads back what it wrote', (listing) => {
    expect(decodeCursor(encodeCursor(genuine[listing]), cursorRules[listing])).toEqual(genuine[listing]);
  });

  it('takes a day alone on the listings by day, and no token at all on any', () => {
    expect(decodeCursor(encodeCursor({ d: day }), cursorRules.refusals)).toEqual({ d: day });
    expect(decodeCursor(undefined, cursorRules.liveStreams)).toEqual({});
  });

  it.each(Object.keys(genuine) as (keyof typeof genuine)[])('%s: refuses every other listing’s token', (listing) => {
    for (const other of Object.keys(genuine) as (keyof typeof genuine)[]) {
      if (other === listing) continue;
      expect(() => decodeCursor(encodeCursor(genuine[other]), cursorRules[listing]), other).toThrow(BadPageToken);
    }
  });
});
