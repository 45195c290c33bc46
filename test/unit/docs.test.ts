import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reasonStatus } from '../../shared/answer';
import { providerNames } from '../../tools/providers';

// Wherever the docs list the providers or the reason codes, the list is the code's: the next
// provider or reason cannot leave a doc stale.
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
// The record, the answers and the store are documented in docs/behaviour.md alone (the README
// links to it).
const recordDocs = ['docs/behaviour.md'];

/** The table row whose first cell is `name` in backticks, in `text`. */
function row(text: string, name: string): string {
  const found = text.split('\n').filter((line) => line.startsWith(`| \`${name}\` |`));
  expect(found, `one row for ${name}`).toHaveLength(1);
  return found[0]!;
}

/** The routes a text names, as `route`, in the order it names them. */
const routesIn = (text: string) =>
  [...text.matchAll(/`([a-z-]+)`/g)].map((match) => match[1]!).filter((name) => providerNames.includes(name));

describe.each(recordDocs)('%s', (path) => {
  const text = read(path);

  it('lists every provider in the record’s provider row, in the registry’s order', () => {
    expect(routesIn(row(text, 'provider'))).toEqual(providerNames);
  });

  it('says where every provider’s sessionId comes from', () => {
    expect(new Set(routesIn(row(text, 'sessionId')))).toEqual(new Set(providerNames));
  });

  it('answers every reason code with its status', () => {
    const rows = text.split('\n').filter((line) => line.startsWith('|'));
    const missing = Object.entries(reasonStatus).filter(
      ([reason, status]) => !rows.some((line) => line.includes(`\`${reason}\``) && line.includes(`| ${status}`)),
    );
    expect(missing).toEqual([]);
  });
});

describe('the vendors named in one line', () => {
  // Each vendor as docs/vendors.md titles its section (`## Alibaba Cloud …`), first word; the
  // summary, the wiring by API and the live lists are the sections that are not a vendor's.
  const vendors = [...read('docs/vendors.md').matchAll(/^## (?!Summary|Wiring by API|Live lists)([^\s:]+)/gm)].map(
    (match) => match[1]!.replace(/-module$/, ''),
  );

  it('in package.json’s description', () => {
    expect(vendors).toHaveLength(providerNames.length);
    const { description } = JSON.parse(read('package.json')) as { description: string };
    expect(vendors.filter((vendor) => !description.includes(vendor))).toEqual([]);
  });

  it('in the README’s first paragraph', () => {
    const first = read('README.md').split('\n\n')[1]!;
    expect(vendors.filter((vendor) => !first.includes(vendor))).toEqual([]);
  });
});

describe('the docs’ relative links', () => {
  const docs = [
    'README.md',
    'CHANGELOG.md',
    'BENCHMARKS.md',
    ...readdirSync(new URL('../../docs', import.meta.url))
      .filter((file) => file.endsWith('.md'))
      .map((file) => `docs/${file}`),
  ];
  const withoutCode = (text: string) => text.replace(/```[\s\S]*?```/g, '');
  /** A heading's anchor as GitHub makes it. */
  const anchor = (heading: string) =>
    heading
      .trim()
      .toLowerCase()
      .replace(/[`*_]/g, '')
      .replace(/[^\p{L}\p{N} -]/gu, '')
      .replaceAll(' ', '-');
  const anchorsOf = (path: string) =>
    new Set([...withoutCode(read(path)).matchAll(/^#+ (.+)$/gm)].map((match) => anchor(match[1]!)));

  it.each(docs)('%s: each names a file that exists, and a heading it has', (doc) => {
    const broken = [...withoutCode(read(doc)).matchAll(/\]\(([^)\s]+)\)/g)]
      .map((match) => match[1]!)
      .filter((target) => !/^[a-z]+:/.test(target))
      .filter((target) => {
        const [path, hash] = target.split('#') as [string, string | undefined];
        const file = path === '' ? doc : posix.normalize(posix.join(posix.dirname(doc), path));
        if (!existsSync(new URL(`../../${file}`, import.meta.url))) return true;
        return hash !== undefined && file.endsWith('.md') && !anchorsOf(file).has(hash);
      });
    expect(broken).toEqual([]);
  });
});

describe('the layout in docs/adding-a-vendor.md', () => {
  const layout = /## Layout\n\n```\n([\s\S]*?)```/.exec(read('docs/adding-a-vendor.md'))?.[1] ?? '';

  it.each(['shared', 'tools'])('names everything at the top of %s/', (folder) => {
    const entries = readdirSync(new URL(`../../${folder}`, import.meta.url), { withFileTypes: true }).map((entry) =>
      entry.isDirectory() ? `${entry.name}/` : entry.name,
    );
    // A name counts where it starts a word in the block: `store/`, `aws-client.ts`, `log.ts`.
    const named = (name: string) => new RegExp(`(^|[\\s,(])${name.replace(/[.]/g, '\\.')}`, 'm').test(layout);
    expect(entries.filter((name) => !named(name))).toEqual([]);
  });
});
