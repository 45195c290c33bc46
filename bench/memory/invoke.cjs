// Memory, as Lambda would see it: a fresh process loads one function's bundle, answers one
// callback (its cold start) and then BENCH_WARM more (each a new push), one after another,
// and reports on stdout its peak resident set (the kernel's maxrss, what Lambda's "Max
// Memory Used" reports) and its heap. Plain CommonJS, as the cold-start child is.
'use strict';
const { readFileSync } = require('node:fs');
const { handler } = require(process.env.BENCH_BUNDLE);

const context = require('../lib/lambda-context.cjs');
const events = JSON.parse(readFileSync(process.env.BENCH_EVENTS, 'utf8'));

(async () => {
  const count = events.length;
  for (let index = 0; index < count; index++) {
    // Each event let go once answered: Lambda hands a function one event at a time.
    const event = events[index];
    events[index] = null;
    const answer = await handler(event, context);
    const status = answer.statusCode ?? (answer.code === 0 ? 200 : answer.code);
    if (status !== 200) throw new Error(`answered ${status}: ${answer.body ?? JSON.stringify(answer)}`);
  }
  const { heapUsed } = process.memoryUsage();
  const report = {
    maxRssKb: process.resourceUsage().maxRSS,
    heapUsedKb: Math.round(heapUsed / 1024),
    callbacks: count,
  };
  process.stdout.write(`BENCH ${JSON.stringify(report)}\n`);
  process.exit(0);
})().catch((error) => {
  process.stderr.write(`${error && error.stack}\n`);
  process.exit(1);
});
