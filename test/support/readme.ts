import { readFileSync } from 'node:fs';

const read = (doc: string) => readFileSync(new URL(`../../${doc}`, import.meta.url), 'utf8');

/**
 * The pages whose commands test/system/readme.test.ts runs as a newcomer would: the README,
 * and the pages it hands local work on to.
 */
export const guides = ['README.md', 'docs/local.md', 'docs/cli.md'];

/**
 * The guides' marked code blocks, by name: `<!-- README test: NAME -->` (commands a test
 * runs as written) and `<!-- README screen: NAME -->` (what a command prints). A name is
 * one block in all the guides together.
 */
export function readmeBlocks(kind: 'test' | 'screen'): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const doc of guides)
    for (const [name, body] of markedBlocks(read(doc), kind)) {
      if (blocks.has(name)) throw new Error(`"README ${kind}: ${name}" marks two blocks; ${doc} has the second`);
      blocks.set(name, body);
    }
  return blocks;
}

/** The files of the repository a doc shows whole, by path: its `<!-- file: PATH -->` blocks. */
export function shownFiles(doc: string): Map<string, string> {
  return markedBlocks(read(doc), 'file');
}

function markedBlocks(text: string, kind: 'test' | 'screen' | 'file'): Map<string, string> {
  const blocks = new Map<string, string>();
  const marked = /<!-- (?:README )?(test|screen|file): (.+?) -->\n```[a-z]*\n([\s\S]*?)```/g;
  for (const [, found, name, body] of text.matchAll(marked)) if (found === kind) blocks.set(name!, body!);
  return blocks;
}

/** The commands of a README test block, one per line, without their trailing comments. */
export function readmeCommands(name: string): string[] {
  const block = readmeBlocks('test').get(name);
  if (block === undefined) throw new Error(`no guide (${guides.join(', ')}) has a block marked "README test: ${name}"`);
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

/**
 * Output as it is compared with a README screen: times, ids, session values, ports and
 * durations stand for any value of theirs, and runs of spaces (which follow their widths)
 * are one space.
 */
export function screenShape(text: string): string {
  return text
    .replace(/\r/g, '')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, '<time>')
    .replace(/\b[0-9a-f]{32}\b/g, '<id>')
    .replace(/\b\d{10}\b/g, '<unix time>')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:<port>')
    .replace(/\b\d+ s\b/g, '<n> s')
    .replace(/ +/g, ' ')
    .trim();
}
