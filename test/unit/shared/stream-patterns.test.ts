import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileStreamPatterns } from '../../../shared/stream-patterns';

/** The reading the patterns promise, as a regular expression: fine for the short names here. */
function asRegExp(pattern: string): RegExp {
  const pieces = pattern.split('*').map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${pieces.join('[^]*')}$`);
}

describe('compileStreamPatterns', () => {
  it('matches a name without a star only exactly', () => {
    const matches = compileStreamPatterns(['studio']);
    expect(matches('studio')).toBe(true);
    expect(matches('studio-2')).toBe(false);
    expect(matches('my-studio')).toBe(false);
  });

  it('lets a star stand for any run of characters, the empty one included', () => {
    const matches = compileStreamPatterns(['cam-*-hd']);
    expect(matches('cam--hd')).toBe(true);
    expect(matches('cam-1-hd')).toBe(true);
    expect(matches('cam-1-2-hd')).toBe(true);
    expect(matches('cam-hd')).toBe(false);
    expect(matches('cam-1-sd')).toBe(false);
  });

  it('takes other characters as they are: a dot or a bracket is no class', () => {
    const matches = compileStreamPatterns(['a.b[1]*']);
    expect(matches('a.b[1]x')).toBe(true);
    expect(matches('axb1x')).toBe(false);
  });

  it('never lets the first and last pieces overlap', () => {
    const matches = compileStreamPatterns(['ab*ba']);
    expect(matches('aba')).toBe(false);
    expect(matches('abba')).toBe(true);
  });

  it('passes when any pattern matches, and never with none', () => {
    const matches = compileStreamPatterns(['cam-*', 'studio']);
    expect(matches('cam-1')).toBe(true);
    expect(matches('studio')).toBe(true);
    expect(matches('other')).toBe(false);
    expect(compileStreamPatterns([])('anything')).toBe(false);
  });

  it('agrees with the regular expression it stands for', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', '-', '*'), maxLength: 8 });
    fc.assert(
      fc.property(text, fc.string({ unit: fc.constantFrom('a', 'b', '-'), maxLength: 12 }), (pattern, name) => {
        expect(compileStreamPatterns([pattern])(name)).toBe(asRegExp(pattern).test(name));
      }),
      { numRuns: 500 },
    );
  });
});
