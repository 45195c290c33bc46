#!/usr/bin/env node
// Runs before `npm test`, `npm start` and the `livehooks` command, on whatever Node the user
// has: plain JavaScript that any Node parses, so that an old one stops here with one line
// naming what is needed, rather than with engine warnings and failures further on.
import { readFileSync } from 'node:fs';

const { engines } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const needed = Number(/\d+/.exec(engines.node)[0]);
const major = Number(process.versions.node.split('.')[0]);

if (major < needed) {
  console.error(
    `livehooks needs Node ${needed} or newer (24 recommended: the Lambda runtime's); this is Node ${process.versions.node}. See the README's Prerequisites.`,
  );
  process.exit(1);
}
