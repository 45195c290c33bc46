/**
 * The end of every bundled floor: after the first pair of writes, the time since the
 * process started; then BENCH_WRITES more pairs, one after another, and the peak resident
 * set; one `BENCH {…}` line on stdout, or the error's stack and exit code 1.
 */
export function reportFloor(pair: (suffix: string) => Promise<unknown>): void {
  pair('').then(
    async () => {
      const ms = performance.now();
      for (let index = 0; index < Number(process.env.BENCH_WRITES ?? 0); index++) await pair(`#${index}`);
      const report = { ms, status: 200, maxRssKb: process.resourceUsage().maxRSS };
      process.stdout.write(`BENCH ${JSON.stringify(report)}\n`);
      process.exit(0);
    },
    (error: Error) => {
      process.stderr.write(`${error.stack}\n`);
      process.exit(1);
    },
  );
}
