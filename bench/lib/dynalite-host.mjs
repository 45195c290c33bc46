// An in-memory dynalite in a process of its own, as a remote engine would be: the
// benchmarks' clients never share its event loop. Prints its port; exits when stdin ends.
import dynalite from 'dynalite';

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
// As in tools/local/embedded-store.ts: no idle keep-alive connection closed under a client.
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.stdin.on('end', () => process.exit(0)).resume();
