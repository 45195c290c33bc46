// local-aws-sqs in a process of its own, as a remote queue would be (as dynalite-host.mjs
// is for the store). Prints its port; exits when stdin ends.
import { createServer } from 'node:http';
import { createRequestHandler } from 'local-aws-sqs';

const server = createServer();
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const { requestHandler } = createRequestHandler({ port, hostname: '127.0.0.1' });
  server.on('request', requestHandler);
  process.stdout.write(`${port}\n`);
});
process.stdin.on('end', () => process.exit(0)).resume();
