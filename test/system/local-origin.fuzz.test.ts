/**
 * Requests as a web page of another origin, or a DNS-rebinding page, would send them to
 * `npm start`: random Host, Origin and Sec-Fetch-* headers, methods and routes, against
 * the receivers, the store and the queue. What a browser sent for another origin, or what
 * names another host, is refused (403) and writes nothing; what a program on this machine
 * or the inspector's own page sends passes. A tenth of `FUZZ_RUNS`, at least 50 (50 by default).
 */
import fc from 'fast-check';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerOf } from '../../tools/providers';
import { startLocalServer, type LocalServer } from '../support/local-server';

const runs = Math.max(50, Math.round(Number(process.env.FUZZ_RUNS ?? 250) / 10));
let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer({});
}, 60_000);
afterAll(() => server?.stop());

/** A raw request with exactly these headers; its status. */
const send = (url: string, method: string, headers: Record<string, string>, body?: string) =>
  new Promise<number>((resolve, reject) => {
    const { hostname, port, pathname, search } = new URL(url);
    const outgoing = request({ hostname, port, path: pathname + search, method, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode!));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });

/** Host values: loopback names (with a port, or none), and what a page could make a browser send. */
const hostOf = (port: string) =>
  fc.oneof(
    fc.constantFrom(
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `[::1]:${port}`,
      '127.0.0.1',
      'LOCALHOST:' + port,
      `127.0.0.1:1`,
    ),
    fc.constantFrom(
      `attacker.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      `localhost.:${port}`,
      `127.0.0.1:${port}:${port}`,
    ),
    fc.domain().map((domain) => `${domain}:${port}`),
  );
/** Origin values: absent, this server's own, or another origin's. */
const originOf = (port: string) =>
  fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(`http://127.0.0.1:${port}`, `http://localhost:${port}`),
    fc.constantFrom('null', 'http://127.0.0.1:1', `https://127.0.0.1:${port}`, `http://attacker.example:${port}`),
    fc.webUrl().map((url) => new URL(url).origin),
  );
const siteOf = fc.constantFrom(undefined, 'same-origin', 'none', 'same-site', 'cross-site');
const modeOf = fc.constantFrom(undefined, 'navigate', 'cors', 'no-cors');

// A loopback name with any port (a proxy in front keeps its own) or none.
const isLoopback = (host: string, _port: string) =>
  ['127.0.0.1', 'localhost', '[::1]'].includes(host.toLowerCase().replace(/:\d{1,5}$/, ''));

describe('requests of other origins and other hosts', () => {
  it(`to the receivers: refused unless a program's or the inspector's own, and a refusal writes nothing (${runs})`, async () => {
    const port = new URL(server.baseUrl).port;
    const publish = (stream: string) =>
      new URLSearchParams(
        providerOf('nginx-rtmp').samples.sample({ kind: 'start', stream, sessionSec: 0, timeSec: 0 }) as Record<
          string,
          string
        >,
      ).toString();
    let index = 0;
    const refused = new Set<string>();
    const admitted = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        hostOf(port),
        originOf(port),
        siteOf,
        modeOf,
        fc.constantFrom('/nginx-rtmp', '/inspector/send?provider=srs', '/api/streams', '/'),
        async (host, origin, site, mode, path) => {
          const stream = `fuzz-${index++}`;
          const post = path !== '/api/streams' && path !== '/';
          const headers: Record<string, string> = { host };
          if (origin !== undefined) headers.origin = origin;
          if (site !== undefined) headers['sec-fetch-site'] = site;
          if (mode !== undefined) headers['sec-fetch-mode'] = mode;
          if (path === '/nginx-rtmp') headers['content-type'] = 'application/x-www-form-urlencoded';
          const status = await send(
            `${server.baseUrl}${path}`,
            post ? 'POST' : 'GET',
            headers,
            path === '/nginx-rtmp' ? publish(stream) : undefined,
          );
          const ownOrigin =
            origin === undefined || [`http://127.0.0.1:${port}`, `http://localhost:${port}`].includes(origin);
          const sameOrigin =
            site === undefined || site === 'same-origin' || site === 'none' || (path === '/' && mode === 'navigate');
          const passes = isLoopback(host, port) && ownOrigin && sameOrigin;
          expect(status === 403, JSON.stringify({ headers, path, status })).toBe(!passes);
          if (path === '/nginx-rtmp') (passes ? admitted : refused).add(stream);
        },
      ),
      { numRuns: runs },
    );
    // What was stored: every admitted publish, and no refused one.
    const stored = new Set<string>();
    let next: string | undefined;
    do {
      const page = (await (
        await fetch(`${server.baseUrl}/api/streams?limit=200${next ? `&next=${next}` : ''}`)
      ).json()) as { items: { stream: string }[]; next?: string };
      for (const item of page.items) stored.add(item.stream);
      next = page.next;
    } while (next);
    expect([...refused].filter((stream) => stored.has(stream))).toEqual([]);
    expect([...admitted].filter((stream) => !stored.has(stream))).toEqual([]);
    expect(refused.size).toBeGreaterThan(0);
  }, 600_000);

  it(`to the store and the queue: refused when a browser sent it or it names another host (${runs})`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(server.storeUrl, new URL(server.queueUrl).origin)
          .chain((engine) =>
            fc.tuple(fc.constant(engine), hostOf(new URL(engine).port), originOf(new URL(engine).port)),
          ),
        fc.constantFrom('GET', 'POST', 'OPTIONS'),
        siteOf,
        modeOf,
        async ([engine, host, origin], method, site, mode) => {
          const port = new URL(engine).port;
          const headers: Record<string, string> = { host };
          if (origin !== undefined) headers.origin = origin;
          if (site !== undefined) headers['sec-fetch-site'] = site;
          if (mode !== undefined) headers['sec-fetch-mode'] = mode;
          const status = await send(engine, method, headers, method === 'POST' ? '{}' : undefined);
          const fromBrowser = origin !== undefined || site !== undefined;
          expect(status === 403, JSON.stringify({ engine, headers, status })).toBe(
            !isLoopback(host, port) || fromBrowser,
          );
        },
      ),
      { numRuns: runs },
    );
  }, 600_000);
});
