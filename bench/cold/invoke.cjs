// A cold start, as Lambda makes one: a fresh process loads one function's bundle and
// answers one callback (BENCH_EVENT: a Function URL event, or an EventBridge event) with a
// Lambda-like context, then reports on stdout the time since its own start
// (performance.now(): since the process's time origin) and the answer. Plain CommonJS, so
// that nothing but node itself runs before the bundle.
'use strict';
const { handler } = require(process.env.BENCH_BUNDLE);

const context = require('../lib/lambda-context.cjs');
handler(JSON.parse(process.env.BENCH_EVENT), context).then(
  (answer) => {
    const ms = performance.now();
    // An EventBridge source answers with its result's `code` (0: accepted).
    const status = answer.statusCode ?? (answer.code === 0 ? 200 : answer.code);
    process.stdout.write(`BENCH ${JSON.stringify({ ms, status, body: answer.body ?? JSON.stringify(answer) })}\n`);
    process.exit(0);
  },
  (error) => {
    process.stderr.write(`${error && error.stack}\n`);
    process.exit(1);
  },
);
