import { describe, expect, it } from 'vitest';
import { Rejection } from '../../../shared/answer';
import { checkTimeWindow } from '../../../shared/time-window';

const nowMs = Date.parse('2026-06-01T12:00:00Z');
const nowSec = nowMs / 1000;
const window = { past: 300, future: 60 };

/** The reason code a check refuses with, or the time it returns. */
function outcome(value: unknown, unit?: 'seconds' | 'milliseconds'): string | number {
  try {
    return checkTimeWindow(value, 't', window, nowMs, unit);
  } catch (error) {
    if (error instanceof Rejection) return error.reason;
    throw error;
  }
}

describe('checkTimeWindow', () => {
  it('returns the time, from a number or its canonical digits', () => {
    expect(outcome(nowSec)).toBe(nowSec);
    expect(outcome(String(nowSec))).toBe(nowSec);
  });

  it('includes both bounds and refuses one second past each', () => {
    expect(outcome(nowSec - 300)).toBe(nowSec - 300);
    expect(outcome(nowSec - 301)).toBe('expired');
    expect(outcome(nowSec + 60)).toBe(nowSec + 60);
    expect(outcome(nowSec + 61)).toBe('not_yet_valid');
  });

  it('reads milliseconds in their own unit', () => {
    expect(outcome(nowMs, 'milliseconds')).toBe(nowMs);
    expect(outcome(nowMs - 300_001, 'milliseconds')).toBe('expired');
    expect(outcome(nowSec, 'seconds')).toBe(nowSec);
  });

  it('refuses a missing value as missing, never as a pass', () => {
    for (const value of [undefined, null, '']) expect(outcome(value)).toBe('missing_timestamp');
  });

  it('refuses any text but canonical digits: the signed text is written one way only', () => {
    for (const value of [
      `0${nowSec}`,
      ` ${nowSec}`,
      `${nowSec}.0`,
      `+${nowSec}`,
      '1e9',
      nowSec + 0.5,
      -1,
      {},
      [nowSec],
    ]) {
      expect(outcome(value), JSON.stringify(value)).toBe('bad_timestamp');
    }
  });

  it('refuses digits longer than a time in its unit before reading them', () => {
    expect(outcome('9'.repeat(13))).toBe('bad_timestamp');
    expect(outcome('9'.repeat(16), 'milliseconds')).toBe('bad_timestamp');
    expect(outcome('9'.repeat(12))).toBe('not_yet_valid');
  });

  it('names the field and the bound in its message', () => {
    expect(() => checkTimeWindow(nowSec - 301, 'ali-live-timestamp', window, nowMs)).toThrow(
      'ali-live-timestamp is more than 300 s in the past',
    );
  });
});
