/** Sections of BENCHMARKS.md that a part of the bench writes alone, between two marker comments. */

/** A section's markers: the comment that opens it and the one that closes it. */
export interface SectionMarkers {
  start: string;
  end: string;
}

/** `markdown` with the section between `markers` replaced by `section` (which holds them), or added at the end. */
export function withSection(markdown: string, markers: SectionMarkers, section: string): string {
  const start = markdown.indexOf(markers.start);
  const end = markdown.indexOf(markers.end);
  if (start === -1 || end === -1) return `${markdown.trimEnd()}\n\n${section}\n`;
  return markdown.slice(0, start) + section + markdown.slice(end + markers.end.length);
}
