import { Rejection } from './answer';
import { canonicalDigits } from './fields';

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
