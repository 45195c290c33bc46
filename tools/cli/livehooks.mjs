#!/usr/bin/env node
// The `livehooks` command: runs the TypeScript CLI through tsx, so nothing needs building.
// First: on a Node older than package.json's engines, it stops with one line saying so.
import '../check-node.mjs';
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('./main.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2));
