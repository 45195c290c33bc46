/**
 * A test of stream names against patterns where `*` matches any run of characters and
 * every other character only itself (`cam-*,studio`).
 *
 * Not a regular expression: `cam-*-*-*-hd` as `^cam-.*-.*-.*-hd$` backtracks, and a
 * publisher's name of a few kilobytes held a function for seconds. Here each pattern is
 * cut at its stars; the first piece must begin the name, the last must end it, and each
 * piece between is searched for once, left to right, from where the previous one ended
 * (its leftmost place is always as good as any later one). Nothing is tried again, so the
 * work is at most the name's length times the pattern's.
 */
export type StreamPatterns = (name: string) => boolean;

function matcher(pattern: string): StreamPatterns {
  const pieces = pattern.split('*');
  if (pieces.length === 1) return (name) => name === pattern;
  const first = pieces[0]!;
  const last = pieces.at(-1)!;
  const middle = pieces.slice(1, -1).filter((piece) => piece !== '');
  return (name) => {
    const end = name.length - last.length;
    if (end < first.length || !name.startsWith(first) || !name.endsWith(last)) return false;
    let at = first.length;
    for (const piece of middle) {
      const found = name.indexOf(piece, at);
      if (found === -1 || found + piece.length > end) return false;
      at = found + piece.length;
    }
    return true;
  };
}

/** One test that passes when any of `patterns` matches. */
export function compileStreamPatterns(patterns: readonly string[]): StreamPatterns {
  const matchers = patterns.map(matcher);
  return (name) => matchers.some((matches) => matches(name));
}
