import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as a stand-in saw it: its method, URL, headers and raw body. */
export interface SeenRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
}

/** A stand-in's answer. */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A running stand-in: its URL, the requests it took, those whose signature it refused. */
export interface StandIn {
  url: string;
  seen: SeenRequest[];
  /** Requests whose signature did not verify (each test expects none). */
  badSignatures: string[];
  close(): Promise<void>;
}

/**
 * Starts an HTTP stand-in of a vendor API on a free loopback port. `verify` checks the
 * request's signature independently of the code under test (it returns, or resolves to,
 * why it fails, or undefined); a request that fails is answered `refuse` and recorded.
 */
export async function startStandIn(
  verify: (request: SeenRequest) => string | undefined | Promise<string | undefined>,
  refuse: (why: string) => Answer,
  answer: (request: SeenRequest) => Answer | Promise<Answer>,
): Promise<StandIn> {
  const seen: SeenRequest[] = [];
  const badSignatures: string[] = [];
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(',') : (value ?? ''),
      ]),
    );
    const request: SeenRequest = {
      method: req.method!,
      url: new URL(req.url!, `http://${req.headers.host}`),
      headers,
      body,
    };
    seen.push(request);
    const why = await verify(request);
    let result: Answer;
    if (why) {
      badSignatures.push(why);
      result = refuse(why);
    } else {
      try {
        result = await answer(request);
      } catch (error) {
        result = { status: 500, body: { message: String(error) } };
      }
    }
    res.writeHead(result.status, { 'content-type': 'application/json', ...result.headers });
    res.end(
      result.body === undefined ? '' : typeof result.body === 'string' ? result.body : JSON.stringify(result.body),
    );
  };
  const server: Server = createServer((req, res) => void serve(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    badSignatures,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Where a stand-in's live list breaks: the page (from 1) it answers with a server error. */
export interface ListFaults {
  /** The page that fails; 0: none. */
  failPage: number;
}

/** Page `page` (from 1) of `items`, `size` a page, and how many pages there are. */
export function pageOf<T>(items: readonly T[], page: number, size: number) {
  return {
    items: items.slice((page - 1) * size, page * size),
    totalPages: Math.ceil(items.length / size),
  };
}
