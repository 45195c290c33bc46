// A cold start, as Lambda makes one: a fresh process loads one function's bundle and
// answers one callback (BENCH_EVENT: a Function URL event, or an EventBridge event) with a
// Lambda-like context, then reports on stdout the time since its own start
// (performance.now(): since the process's time origin), the answer, and the CPU time the
// process took until the bundle was loaded and until the answer (what Lambda's share of a
// vCPU, in proportion to memory, slows down). Plain CommonJS, so that nothing but node
// itself runs before the bundle.
'use strict';
const { handler } = require(process.env.BENCH_BUNDLE);

const cpuMs = ({ user, system }) => (user + system) / 1000;
const loadCpuMs = cpuMs(process.cpuUsage());

const context = require('../lib/lambda-context.cjs');
handler(JSON.parse(process.env.BENCH_EVENT), context).then(
  (answer) => {
    const ms = performance.now();
    // An EventBridge source answers with its result's `code` (0: accepted).
    const status = answer.statusCode ?? (answer.code === 0 ? 200 : answer.code);
    const report = {
      ms,
      status,
      body: answer.body ?? JSON.stringify(answer),
      cpuMs: cpuMs(process.cpuUsage()),
      loadCpuMs,
    };
    process.stdout.write(`BENCH ${JSON.stringify(report)}\n`);
    process.exit(0);
  },
  (error) => {
    process.stderr.write(`${error && error.stack}\n`);
    process.exit(1);
  },
);
