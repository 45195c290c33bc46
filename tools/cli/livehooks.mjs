#!/usr/bin/env node
// The `livehooks` command: runs the TypeScript CLI through tsx, so nothing needs building.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('./main.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2));
