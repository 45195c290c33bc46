import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { shownFiles } from '../support/readme';

// The nginx-rtmp configuration the README links to lives in docs/deploy.md.
describe('docs/deploy.md shows files of the repository as they are', () => {
  const files = [...shownFiles('docs/deploy.md')];

  it('shows some', () => {
    expect(files.map(([path]) => path)).toEqual(['docs/nginx/livehooks-http.conf', 'docs/nginx/livehooks-rtmp.conf']);
  });

  it.each(files)('%s', (path, shown) => {
    expect(shown).toBe(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'));
  });
});
