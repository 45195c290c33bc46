import { Rejection } from './answer';
import { md5Hex, signedWithAnyKey } from './signature';
import { checkTimeWindow, type TimeWindow } from './time-window';

/**
 * Checks the scheme Tencent Cloud CSS and Volcengine Live share: `sign` = md5(key + t) for
 * any configured key, `t` an expiry in Unix seconds (a number or a string of digits) that
 * lies in the window. The signature covers only key and time, so it proves who sent a
 * callback, not what it says (docs/vendors.md).
 *
 * @param fields - the object that holds `sign` and `t`
 */
export function verifyKeyExpirySignature(
  fields: Record<string, unknown>,
  keys: readonly string[],
  window: TimeWindow,
  nowMs: number,
): void {
  // An unsigned callback is told so first: its missing time is a consequence.
  const sign = fields.sign;
  if (typeof sign !== 'string' || sign === '') throw new Rejection('missing_signature', 'sign is missing');
  checkTimeWindow(fields.t, 't', window, nowMs);
  const t = String(fields.t);
  if (!signedWithAnyKey(sign, keys, (key) => md5Hex(key + t))) {
    throw new Rejection('bad_signature', 'sign matches no configured key');
  }
}
