import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readmeBlocks } from '../support/readme';

describe('the README shows files of the repository as they are', () => {
  const files = [...readmeBlocks('file')];

  it('shows some', () => {
    expect(files.map(([path]) => path)).toEqual(['docs/nginx/livehooks-http.conf', 'docs/nginx/livehooks-rtmp.conf']);
  });

  it.each(files)('%s', (path, shown) => {
    expect(shown).toBe(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'));
  });
});
