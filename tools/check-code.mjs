#!/usr/bin/env node
// npm test's first step: the type check and the lint side by side (each takes one core),
// with their caches in node_modules/.cache/livehooks/ (docs/local.md, "The tests").
// Fails if either fails; both always run to the end, so one run shows every finding.
import { spawn } from 'node:child_process';

const cache = 'node_modules/.cache/livehooks';
const run = (command, args) =>
  new Promise((resolve) => spawn(command, args, { stdio: 'inherit' }).once('exit', (code) => resolve(code ?? 1)));
const codes = await Promise.all([
  run('tsc', ['--noEmit', '-p', '.', '--incremental', '--tsBuildInfoFile', `${cache}/tsc`]),
  run('eslint', ['--cache', '--cache-location', `${cache}/eslint`, '--max-warnings', '0', '.']),
]);
process.exitCode = codes.every((code) => code === 0) ? 0 : 1;
