import * as v from 'valibot';
import { isoTimeEndMs } from './record';

/**
 * Unsigned decimal integers written one way only: no sign, no leading zero, no spaces.
 * A signature over concatenated text is only as good as the fields it is split into:
 * with leading zeros allowed, `room10` + `1795428000` and `room1` + `01795428000` sign
 * the same, so every time field a vendor sends must be canonical.
 */
export const canonicalDigits = /^(?:0|[1-9]\d*)$/;

/**
 * A valibot schema for a vendor's Unix time, as a number or a canonical decimal string,
 * up to year 9999. One check rather than a union of a number schema and a string schema:
 * a union builds an issue for every branch that fails, and its issues showed a regular
 * expression or lost the field's name. Its uses below are marked pure, so that a function
 * whose vendor needs neither leaves it out.
 */
function unixTimeField(unit: 'seconds' | 'milliseconds') {
  const end = unit === 'seconds' ? isoTimeEndMs / 1000 : isoTimeEndMs;
  const isUnixTime = (value: unknown) =>
    (typeof value === 'number'
      ? Number.isInteger(value) && value >= 0
      : typeof value === 'string' && value.length <= 16 && canonicalDigits.test(value)) && Number(value) < end;
  return v.pipe(
    v.unknown(),
    v.check(
      isUnixTime,
      `expected a Unix time in ${unit}: an integer, or its digits without a leading zero, before the year 10000`,
    ),
    v.transform(Number),
  );
}

/** A vendor's Unix time in seconds (number or decimal string), parsed to a number. */
export const unixSecondsField = /* @__PURE__ */ unixTimeField('seconds');

/** A vendor's Unix time in milliseconds (number or decimal string), parsed to a number. */
export const unixMillisField = /* @__PURE__ */ unixTimeField('milliseconds');

/*
 * Each schema below is made inside a function marked pure: a call's arguments (the
 * validators) would otherwise be kept in every bundle that imports this file, used or not.
 */

/**
 * A vendor's identifier sent as a string or a number (Tencent `sequence`, SRS `client_id`),
 * as a string. A number must be an integer JSON carries exactly: `9007199254740993` parses
 * as `9007199254740992`, and two pushes would become one.
 */
export const idField = /* @__PURE__ */ (() =>
  v.pipe(
    v.unknown(),
    v.check(
      (value) => (typeof value === 'string' ? value !== '' : Number.isSafeInteger(value)),
      'expected a non-empty string or an integer below 2^53',
    ),
    v.transform(String),
  ))();

/** RFC 3339 as the vendors write it: `2022-01-13T11:43:41.855717910Z`, up to nine fraction digits. */
export const rfc3339 =
  /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

/** Whether milliseconds make a time a record can hold: from 1970 (the Unix epoch) to year 9999. */
export const recordable = (ms: number) => ms >= 0 && ms < isoTimeEndMs;

/**
 * A vendor's time in RFC 3339 (Mux, Cloudflare, EventBridge), parsed to milliseconds (a
 * finer fraction is cut). One form only, checked before it is parsed: `Date.parse` would
 * also take `Jan 13 2022` and read it in the receiver's own time zone. From 1970 to year
 * 9999 once its offset is applied, as the Unix times are: `0000-01-01T00:00:00+01:00`
 * is in year −1, which `toISOString` writes `-000001-…`, no record's time.
 */
export const rfc3339Field = /* @__PURE__ */ (() =>
  v.pipe(
    v.unknown(),
    v.check(
      (value) => typeof value === 'string' && rfc3339.test(value) && recordable(Date.parse(value)),
      'expected an RFC 3339 time from 1970 to 9999, e.g. 2026-11-30T07:08:03.000Z',
    ),
    v.transform((value) => Date.parse(value as string)),
  ))();
