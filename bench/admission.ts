/**
 * The publish-admission check (`LIVEHOOKS_<PROVIDER>_ALLOW_STREAMS`) on the longest name a
 * stream key lets through (512 bytes) against a pattern of five stars, in this process: the
 * glob matcher the pipeline uses, and, for comparison on shorter names, the regular
 * expression it replaced (`*` as `.*`), whose backtracking grows with a power of the length.
 */
import { compileStreamPatterns } from '../shared/stream-patterns';
import { median } from './lib/stats';

/** The pattern measured: five stars. */
export const admissionPattern = 'cam-*-*-*-*-*-hd';

/** Names of `bytes` bytes: a miss at the last character, a miss that scans the whole name, a match. */
const namesOf = (bytes: number) => ({
  'near miss': `cam-${'-'.repeat(bytes - 5)}x`,
  'miss in the middle': `cam-${'x'.repeat(bytes - 7)}-hd`,
  match: `cam-${'-'.repeat(bytes - 7)}-hd`,
});

/** What the old check compiled the pattern to. */
const asRegExp = (pattern: string) =>
  new RegExp(
    `^(?:${pattern
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*')})$`,
  );

export interface AdmissionResult {
  pattern: string;
  /** ns per check of a 512-byte name, the slowest of the three kinds of name. */
  worstNs: number;
  perName: Record<string, number>;
  /** ms for one regular-expression test of a near miss, by name length in bytes. */
  regExpMs: Record<number, number>;
}

export function measureAdmission(samples = 15): AdmissionResult {
  const matches = compileStreamPatterns([admissionPattern]);
  const perName: Record<string, number> = {};
  for (const [kind, name] of Object.entries(namesOf(512))) {
    const timings: number[] = [];
    for (let sample = 0; sample < samples + 3; sample += 1) {
      const started = process.hrtime.bigint();
      for (let count = 0; count < 10_000; count += 1) matches(name);
      if (sample >= 3) timings.push(Number(process.hrtime.bigint() - started) / 10_000);
    }
    perName[kind] = median(timings);
  }
  const regExp = asRegExp(admissionPattern);
  const regExpMs: Record<number, number> = {};
  for (const bytes of [32, 64, 96]) {
    const started = performance.now();
    regExp.test(namesOf(bytes)['near miss']);
    regExpMs[bytes] = performance.now() - started;
  }
  return { pattern: admissionPattern, worstNs: Math.max(...Object.values(perName)), perName, regExpMs };
}
