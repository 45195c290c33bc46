import { describe, expect, it } from 'vitest';
import { createTestTable } from '../../support/dynamo';
import { call, handlerFor, withFields } from '../../support/harness';
import { fixtureFor, startOf, timeFields } from '../../support/providers';

// The vendors' event times, which the schemas read (not the signed ones, which the
// signature check reads first): a Unix time as a number or a string of digits, or RFC 3339.
const eventTimes = timeFields.filter((time) => !time.signed && time.format === 'unix');
const rfc3339Times = timeFields.filter((time) => !time.signed && time.format === 'rfc3339');

// The last second of year 9999, the last time an ISO 8601 record can hold.
const lastSecond = 253_402_300_799;

describe.each(eventTimes)('$provider $field', ({ provider, field, unit: scale }) => {
  const unit = scale === 1000 ? 'milliseconds' : 'seconds';
  const fixture = fixtureFor(provider);
  const last = unit === 'seconds' ? lastSecond : lastSecond * 1000 + 999;
  // Changed before signing: vendors that sign the whole body send it so.
  const callbackWith = (value: unknown) =>
    fixture.callback(startOf('cam'), { change: (fields) => void (fields[field] = value) });

  it.each([
    ['an integer', 1_795_427_970],
    ['a string of digits', '1795427970'],
    ['zero', 0],
  ])('takes %s', async (_, value) => {
    const table = await createTestTable();
    const answer = await call(handlerFor(fixture, table.store), callbackWith(value));
    expect(answer).toMatchObject({ status: 200, body: { code: 0 } });
  });

  it.each([
    ['a boolean', true],
    ['null', null],
    ['a fraction', 1_795_427_970.5],
    ['a negative number', -3],
    ['an empty string', ''],
    ['a number in exponent form', '1.79e9'],
    ['digits with a space', ' 1795427970'],
    ['digits with a leading zero', '01795427970'],
    ['an object', { seconds: 1 }],
    ['a time in year 10000', last + 1],
  ])('refuses %s with 400 bad_field, naming the field and what it must be', async (_, value) => {
    const table = await createTestTable();
    const answer = await call(handlerFor(fixture, table.store), callbackWith(value));
    expect(answer).toMatchObject({
      status: 400,
      body: {
        reason: 'bad_field',
        message: `${field}: expected a Unix time in ${unit}: an integer, or its digits without a leading zero, before the year 10000`,
      },
    });
    expect(await table.scanAll()).toEqual([]);
  });
});

describe.each(rfc3339Times)('$provider $field', ({ provider, field, set }) => {
  const fixture = fixtureFor(provider);
  // Changed before signing, as a vendor that signs its whole body would send it.
  const callbackWith = (value: unknown) =>
    fixture.callback(startOf('cam'), { change: (fields) => set!(fields, value as string) });
  // The field, by its path through the schema's objects (`data.updated_at`).
  const named = (answer: { body: { message?: string } }) => answer.body.message?.split(':')[0];

  it.each([
    ['UTC with milliseconds', '2026-11-23T09:58:50.000Z'],
    ['nanoseconds', '2026-11-23T09:58:50.855717910Z'],
    ['no fraction', '2026-11-23T09:58:50Z'],
    ['an offset', '2026-11-23T17:58:50+08:00'],
    ['the Unix epoch', '1970-01-01T00:00:00Z'],
  ])('takes %s', async (_, value) => {
    const table = await createTestTable();
    const answer = await call(handlerFor(fixture, table.store), callbackWith(value));
    expect(answer).toMatchObject({ status: 200, body: { code: 0 } });
  });

  it.each([
    ['a Unix time', 1_795_427_970],
    ['null', null],
    ['an empty string', ''],
    ['a date alone', '2026-11-23'],
    ['a space for the T', '2026-11-23 09:58:50Z'],
    ['no zone', '2026-11-23T09:58:50'],
    ['a month 13', '2026-13-23T09:58:50Z'],
    ['a leading zero', '02026-11-23T09:58:50Z'],
    ['text Date.parse would take', 'Nov 23 2026 09:58:50'],
    ['ten fraction digits', '2026-11-23T09:58:50.1234567890Z'],
    ['a time before 1970', '1969-12-31T23:59:59.999Z'],
    ['year 0, year −1 once its offset is applied', '0000-01-01T00:00:00+01:00'],
  ])('refuses %s with 400 bad_field', async (_, value) => {
    const table = await createTestTable();
    const answer = await call(handlerFor(fixture, table.store), callbackWith(value));
    expect(answer).toMatchObject({ status: 400, body: { reason: 'bad_field' } });
    expect(answer.body.message).toMatch(/expected an RFC 3339 time/);
    expect(named(answer)).toMatch(new RegExp(`(^|\\.)${field}$`));
    expect(await table.scanAll()).toEqual([]);
  });
});

// Fields that take one of several types: a refusal names the field and the types, not
// the first type's complaint about a value it never saw the field of. Under a map
// (`pushParams`) it names the map, never the sender's own key.
const identifier = 'a non-empty string or an integer below 2^53';
const unionFields = [
  { provider: 'tencent', field: 'sequence', value: { id: 1 }, expected: identifier },
  { provider: 'tencent', field: 'sequence', value: 2 ** 53, expected: identifier },
  { provider: 'srs', field: 'client_id', value: [1], expected: identifier },
  { provider: 'jdcloud', field: 'pushParams', value: { room: {} }, expected: '(string | number | boolean)' },
];

describe.each(unionFields)('$provider $field', ({ provider, field, value, expected }) => {
  it('refuses a value of none of its types with 400 bad_field, naming the field and its types', async () => {
    const fixture = fixtureFor(provider);
    const table = await createTestTable();
    const callback = withFields(fixture.callback(startOf('cam')), (fields) => (fields[field] = value));
    const answer = await call(handlerFor(fixture, table.store), callback);
    expect(answer).toMatchObject({
      status: 400,
      body: { reason: 'bad_field', message: `${field}: expected ${expected}` },
    });
    expect(await table.scanAll()).toEqual([]);
  });
});
