import { Rejection } from './answer';
import { canonicalDigits, rfc3339, recordable } from './fields';

/** How far a vendor's time field may lie before and after "now", in seconds. */
export interface TimeWindow {
  past: number;
  future: number;
}

/**
 * Checks a vendor's signed Unix time field (seconds, or Agora's milliseconds) against
 * `nowMs` and returns it as a number in its unit.
 *
 * Accepts a number or a string of canonical digits (Tencent sends `t` either way): the
 * text a signature covers is written one way only. A missing or non-numeric value is a
 * rejection, never a pass. Both bounds are inclusive.
 *
 * @param value - the field as it arrived, before any coercion
 * @param field - the field's name as the vendor spells it, for the message
 * @param nowMs - the current time in milliseconds; a parameter so that tests set it
 */
export function checkTimeWindow(
  value: unknown,
  field: string,
  window: TimeWindow,
  nowMs: number,
  unit: 'seconds' | 'milliseconds' = 'seconds',
): number {
  if (value === undefined || value === null || value === '') {
    throw new Rejection('missing_timestamp', `${field} is missing`);
  }
  const text = typeof value === 'number' ? String(value) : value;
  const scale = unit === 'seconds' ? 1 : 1000;
  if (typeof text !== 'string' || text.length > (unit === 'seconds' ? 12 : 15) || !canonicalDigits.test(text)) {
    throw new Rejection('bad_timestamp', `${field} is not a Unix time in ${unit} (digits without a leading zero)`);
  }
  const time = Number(text);
  const seconds = time / scale;
  const nowSeconds = nowMs / 1000;
  if (seconds < nowSeconds - window.past) {
    throw new Rejection('expired', `${field} is more than ${window.past} s in the past`);
  }
  if (seconds > nowSeconds + window.future) {
    throw new Rejection('not_yet_valid', `${field} is more than ${window.future} s ahead`);
  }
  return time;
}

/**
 * Checks a vendor's signed time in RFC 3339 (Twitch's and Kick's message timestamps) against
 * `nowMs` and returns it in milliseconds (a finer fraction is cut). One form only, at most
 * nine fraction digits, checked before it is parsed: the text a signature covers is then
 * split from its neighbours one way only. Both bounds are inclusive.
 */
export function checkRfc3339TimeWindow(
  value: string | undefined,
  field: string,
  window: TimeWindow,
  nowMs: number,
): number {
  if (value === undefined || value === '') throw new Rejection('missing_timestamp', `${field} is missing`);
  const ms = value.length <= 35 && rfc3339.test(value) ? Date.parse(value) : Number.NaN;
  if (!recordable(ms)) {
    throw new Rejection('bad_timestamp', `${field} is not an RFC 3339 time, e.g. 2026-11-30T07:08:03.123456789Z`);
  }
  if (ms < nowMs - window.past * 1000)
    throw new Rejection('expired', `${field} is more than ${window.past} s in the past`);
  if (ms > nowMs + window.future * 1000) {
    throw new Rejection('not_yet_valid', `${field} is more than ${window.future} s ahead`);
  }
  return ms;
}
