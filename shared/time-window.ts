import * as v from 'valibot';
import { Rejection } from './answer';
import { isoTimeEndMs } from './record';

/** How far a vendor's time field may lie before and after "now", in seconds. */
export interface TimeWindow {
  past: number;
  future: number;
}

const unixSeconds = /^\d{1,12}$/;

/**
 * Checks a vendor's Unix-seconds time field against `nowMs` and returns it as a number.
 *
 * Accepts a number or a decimal string (Tencent sends `t` either way). A missing or
 * non-numeric value is a rejection, never a pass. Both bounds are inclusive.
 *
 * @param value - the field as it arrived, before any coercion
 * @param field - the field's name as the vendor spells it, for the message
 * @param nowMs - the current time in milliseconds; a parameter so that tests set it
 */
export function checkTimeWindow(value: unknown, field: string, window: TimeWindow, nowMs: number): number {
  if (value === undefined || value === null || value === '') {
    throw new Rejection('missing_timestamp', `${field} is missing`);
  }
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !unixSeconds.test(text)) {
    throw new Rejection('bad_timestamp', `${field} is not a Unix time in seconds`);
  }
  const seconds = Number(text);
  const nowSeconds = nowMs / 1000;
  if (seconds < nowSeconds - window.past) {
    throw new Rejection('expired', `${field} is more than ${window.past} s in the past`);
  }
  if (seconds > nowSeconds + window.future) {
    throw new Rejection('not_yet_valid', `${field} is more than ${window.future} s ahead`);
  }
  return seconds;
}

const digits = /^\d{1,16}$/;

/**
 * A valibot schema for a vendor's Unix time, as a number or a decimal string, up to year 9999.
 * One check rather than a union of a number schema and a string schema: a union builds an
 * issue for every branch that fails (0.4 µs for each time sent as a string), and its issues
 * showed a regular expression or lost the field's name (`body: expected number` for `true`).
 * Its uses below are marked pure, so that a function whose vendor needs neither leaves it out.
 */
function unixTimeField(unit: 'seconds' | 'milliseconds') {
  const end = unit === 'seconds' ? isoTimeEndMs / 1000 : isoTimeEndMs;
  const isUnixTime = (value: unknown) =>
    (typeof value === 'number'
      ? Number.isInteger(value) && value >= 0
      : typeof value === 'string' && digits.test(value)) && Number(value) < end;
  return v.pipe(
    v.unknown(),
    v.check(isUnixTime, `expected a Unix time in ${unit}, as an integer or a string of digits, before the year 10000`),
    v.transform(Number),
  );
}

/** A vendor's Unix time in seconds (number or decimal string), parsed to a number. */
export const unixSecondsField = /* @__PURE__ */ unixTimeField('seconds');

/** A vendor's Unix time in milliseconds (number or decimal string), parsed to a number. */
export const unixMillisField = /* @__PURE__ */ unixTimeField('milliseconds');
