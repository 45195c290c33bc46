import { describe, expect, it } from 'vitest';
import { readLogicalStreams } from '../../../shared/logical-streams';

const read = (text: string) => readLogicalStreams({ LIVEHOOKS_LOGICAL_STREAMS: text });

describe('readLogicalStreams', () => {
  it('maps each member stream key to its logical stream', () => {
    const members = ['tencent/push.example.com/live/cam1', 'alibaba/live.example.com/live/cam1'];
    const streams = read(JSON.stringify({ show: members, 'other.1': ['srs/__defaultVhost__/live/a%2Fb'] }));
    expect(streams.get(members[1]!)).toEqual({ name: 'show', members });
    expect(streams.get('srs/__defaultVhost__/live/a%2Fb')?.name).toBe('other.1');
    expect(streams.size).toBe(3);
    expect(readLogicalStreams({}).size).toBe(0);
  });

  it('refuses a malformed rule with one line naming it', () => {
    const refusals: [string, RegExp][] = [
      ['not json', /^LIVEHOOKS_LOGICAL_STREAMS must be a JSON object/],
      ['["tencent/a/b/c"]', /^LIVEHOOKS_LOGICAL_STREAMS must be a JSON object/],
      ['{"a b":["tencent/a/b/c"]}', /^LIVEHOOKS_LOGICAL_STREAMS: "a b": a name is/],
      ['{"show":[]}', /^LIVEHOOKS_LOGICAL_STREAMS: "show": give a list/],
      ['{"show":"tencent/a/b/c"}', /^LIVEHOOKS_LOGICAL_STREAMS: "show": give a list/],
      ['{"show":["tencent/a/b"]}', /^LIVEHOOKS_LOGICAL_STREAMS: "show": "tencent\/a\/b" is not a stream key/],
      [
        '{"show":["tencent/a/b/c"],"again":["tencent/a/b/c"]}',
        /"again": tencent\/a\/b\/c is already a member of "show"/,
      ],
    ];
    for (const [text, message] of refusals) {
      expect(() => read(text)).toThrow(message);
      try {
        read(text);
      } catch (error) {
        expect((error as Error).message).not.toContain('\n');
      }
    }
  });
});
