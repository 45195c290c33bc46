// dynalite in a worker thread of its own: the engine's work (LevelDB, JSON, every request
// one at a time) runs on another core than the handlers that call it, as DynamoDB does.
// Plain JavaScript: a worker does not go through the tsx loader.
import { mkdirSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';
import { guardEngine } from './loopback-guard.mjs';

const { dataDir, port } = workerData;
if (dataDir) mkdirSync(dataDir, { recursive: true });
const server = dynalite({ path: dataDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
// dynalite answers any Origin with CORS `*`: a page of any origin could read the table. Its
// listener goes behind the guard, which refuses what a browser sends and drops CORS headers.
const [listener] = server.listeners('request');
server.removeAllListeners('request');
server.on('request', guardEngine(listener));
// Node closes a keep-alive connection after 5 s idle by default, and a client that reuses
// it at that moment gets "socket hang up" (seen as a 503 under the fuzz tests' load).
// DynamoDB keeps idle connections far longer; so does this engine.
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.once('error', (error) => parentPort.postMessage({ error: { code: error.code, message: error.message } }));
server.listen(port, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (message) => {
  if (message === 'close') server.close(() => parentPort.close());
});
