// A cold start, as Lambda makes one: a fresh process loads one function's bundle and
// answers one callback (BENCH_EVENT) with a Lambda-like context, then reports on stdout
// the time since its own start (performance.now(): since the process's time origin) and
// the answer. Plain CommonJS, so that nothing but node itself runs before the bundle.
'use strict';
const { handler } = require(process.env.BENCH_BUNDLE);

const context = {
  awsRequestId: 'bench',
  functionName: 'bench',
  getRemainingTimeInMillis: () => 4000,
};
handler(JSON.parse(process.env.BENCH_EVENT), context).then(
  (answer) => {
    const ms = performance.now();
    process.stdout.write(`BENCH ${JSON.stringify({ ms, status: answer.statusCode, body: answer.body })}\n`);
    process.exit(0);
  },
  (error) => {
    process.stderr.write(`${error && error.stack}\n`);
    process.exit(1);
  },
);
