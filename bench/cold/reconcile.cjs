// A reconcile function's cold start, as EventBridge's schedule makes one: a fresh process
// loads the function's bundle (BENCH_BUNDLE) and runs it once (a scheduled event carries
// nothing the function reads), then reports on stdout its time since its own start, the
// run's outcome and its CPU time (user and system) until the bundle was loaded and until
// the run ended. Plain CommonJS, as bench/cold/invoke.cjs, which answers a callback.
'use strict';
const { handler } = require(process.env.BENCH_BUNDLE);

const cpuMs = ({ user, system }) => (user + system) / 1000;
const loadCpuMs = cpuMs(process.cpuUsage());

const context = require('../lib/lambda-context.cjs');
handler({ 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} }, context).then(
  (result) => {
    const ms = performance.now();
    // `{ off: true }`: no API settings reached the function, so it read nothing.
    const status = result && !result.off ? 200 : 503;
    const report = { ms, status, body: JSON.stringify(result), cpuMs: cpuMs(process.cpuUsage()), loadCpuMs };
    process.stdout.write(`BENCH ${JSON.stringify(report)}\n`);
    process.exit(0);
  },
  (error) => {
    process.stderr.write(`${error && error.stack}\n`);
    process.exit(1);
  },
);
