import { marshall as sdkMarshall, unmarshall as sdkUnmarshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { marshall, unmarshall } from '../../../../shared/aws/dynamodb';

// The AWS SDK's own marshalling (@aws-sdk/util-dynamodb, with removeUndefinedValues, as
// the store used it) is the oracle: the light client's must give the same attribute values
// for the plain JSON values the store writes, and read them back the same.
const record = {
  pk: 'stream#tencent/push.example.com/live/cam',
  sk: 'event#3f1c',
  live: true,
  since: '2026-12-06T12:00:00.000Z',
  count: 42,
  ratio: -0.5,
  sessionId: undefined,
  params: { from: 'cli', empty: '', nested: { list: [1, 'two', null, false, { deep: [] }] } },
  payload: null,
};

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.array(tie('value')),
    fc.dictionary(fc.string(), tie('value')),
  ),
})).value;

describe('marshall and unmarshall', () => {
  it('give what the SDK gives for a record', () => {
    expect(marshall(record)).toEqual(sdkMarshall(record, { removeUndefinedValues: true }));
    expect(unmarshall(marshall(record))).toEqual(sdkUnmarshall(sdkMarshall(record, { removeUndefinedValues: true })));
    expect(unmarshall(marshall(record))).toEqual(JSON.parse(JSON.stringify(record)));
  });

  it('give what the SDK gives for any JSON object', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), json), (values) => {
        let expected: unknown;
        try {
          expected = sdkMarshall(values, { removeUndefinedValues: true });
        } catch {
          // Numbers outside the safe integers: both refuse them.
          return void expect(() => marshall(values)).toThrow(/outside the safe integers/);
        }
        const ours = marshall(values);
        expect(ours).toEqual(expected);
        expect(unmarshall(ours)).toEqual(sdkUnmarshall(ours as never));
      }),
    );
  });

  it('refuse what they cannot store without loss, saying what to do', () => {
    expect(() => marshall({ big: 2 ** 60 })).toThrow(/outside the safe integers: store it as a string/);
    expect(() => marshall({ nan: Number.NaN })).toThrow(/finite/);
    expect(() => marshall({ at: new Date(0) })).toThrow(/convert it first/);
    expect(() => unmarshall({ big: { N: '12345678901234567890' } })).toThrow(/cannot be read as a number without loss/);
  });

  it('write string and number sets as the SDK does (a stream state keeps its marks in two)', () => {
    const values = { started: new Set(['2026-12-06T12:00:00.000Z a', 'b']), sizes: new Set([1, 2.5]) };
    expect(marshall(values)).toEqual(sdkMarshall(values));
    expect(unmarshall(marshall(values))).toEqual(values);
    expect(() => marshall({ empty: new Set() })).toThrow(/never empty; leave it out/);
    expect(() => marshall({ mixed: new Set(['a', 1]) })).toThrow(/a Set of strings or a Set of numbers/);
  });

  it('read sets and binary values as the SDK does', () => {
    const item = { ss: { SS: ['a', 'b'] }, ns: { NS: ['1', '2.5'] }, b: { B: Buffer.from('hi').toString('base64') } };
    expect(unmarshall(item as never)).toEqual({
      ss: new Set(['a', 'b']),
      ns: new Set([1, 2.5]),
      b: Buffer.from('hi'),
    });
  });
});
