/**
 * `npm start` against a web page of another origin, in a real browser (Debian's Chromium,
 * driven by playwright-core): the page an operator has open in another tab, on another
 * local port (same site, another origin) or another name (another site). It must not read
 * the table, send to the queue, fire the inspector's send, post a callback, or read the
 * read API; a DNS-rebinding page (its own name in Host) is refused too. The inspector's own
 * page still works.
 */
import { existsSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { providerOf } from '../../tools/providers';
import { localSqsClient } from '../../tools/local/sdk-clients';
import { startLocalServer, type LocalServer } from '../support/local-server';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const noChromium = existsSync(executablePath)
  ? undefined
  : `no Chromium at ${executablePath}: install Debian's chromium (apt-get install chromium), ` +
    'or set CHROMIUM_PATH to a Chromium binary';

let server: LocalServer;
let browser: Browser;
let attacker: Server;
let attackerPort: number;

beforeEach(() => {
  if (noChromium) throw new Error(noChromium);
});

beforeAll(async () => {
  if (noChromium) return;
  server = await startLocalServer({});
  // The other origin: a page of its own, on a free port.
  attacker = createServer((_, response) =>
    response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>another page</title>'),
  );
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerPort = (attacker.address() as AddressInfo).port;
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  attacker?.close();
  server?.stop();
});

/** A page open at `url`, and the status of every answer it got from `npm start`'s servers. */
async function pageAt(url: string): Promise<Page & { statuses: number[] }> {
  const page = Object.assign(await (await browser.newContext()).newPage(), { statuses: [] as number[] });
  page.setDefaultTimeout(10_000);
  const ours = [server.baseUrl, server.storeUrl, new URL(server.queueUrl).origin];
  page.on('response', (response) => {
    if (ours.some((origin) => response.url().startsWith(origin))) page.statuses.push(response.status());
  });
  await page.goto(url);
  return page;
}

/** Runs `fetch(url, init)` in the page: what its script would see (`failed`: a network or CORS error). */
const fetchIn = (page: Page, url: string, init: RequestInit = {}) =>
  page.evaluate(
    async ([url, init]) => {
      try {
        const response = await fetch(url, init);
        return { status: response.status, type: response.type, text: await response.text() };
      } catch (error) {
        return { failed: String(error) };
      }
    },
    [url, init] as const,
  );

/** The stream keys stored, read from the read API by a program (not a page). */
const storedStreams = async () => {
  const { items } = (await (await fetch(`${server.baseUrl}/api/streams`)).json()) as { items: { streamKey: string }[] };
  return items.map((item) => item.streamKey).sort();
};

/** The bodies of the messages waiting in the queue, read with the SDK. */
const queuedBodies = async () => {
  const client = localSqsClient(new URL(server.queueUrl).origin);
  const { Messages = [] } = await client.send(
    new ReceiveMessageCommand({ QueueUrl: server.queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
  );
  return Messages.map((message) => message.Body);
};

/** A raw request with the Host header given (fetch sets its own). */
const withHost = (url: string, host: string) =>
  new Promise<number>((resolve, reject) => {
    const { hostname, port, pathname } = new URL(url);
    request({ hostname, port, path: pathname, headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode!);
    })
      .on('error', reject)
      .end();
  });

const scan = (tableName: string) => ({
  method: 'POST',
  headers: {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': 'DynamoDB_20120810.Scan',
    authorization:
      'AWS4-HMAC-SHA256 Credential=local/20261201/local/dynamodb/aws4_request, SignedHeaders=host, Signature=x',
  },
  body: JSON.stringify({ TableName: tableName }),
});

/** nginx-rtmp's on_publish: a form post, which any page may send without asking. */
const nginxPublish = (stream: string) => {
  const fields = providerOf('nginx-rtmp').samples.sample({ kind: 'start', stream, sessionSec: 0, timeSec: 0 });
  return new URLSearchParams(fields as Record<string, string>).toString();
};

describe.each([
  ['another port of 127.0.0.1 (same site)', () => `http://127.0.0.1:${attackerPort}/`, 'same-site'],
  ['localhost (another site)', () => `http://localhost:${attackerPort}/`, 'cross-site'],
])('a page of another origin, on %s', (_, origin, mark) => {
  it('cannot read the table from the store', async () => {
    const page = await pageAt(origin());
    expect(await fetchIn(page, server.storeUrl, scan('livehooks'))).toHaveProperty('failed');
  });

  it('cannot send to the queue, not even with a form post', async () => {
    const page = await pageAt(origin());
    const body = new URLSearchParams({
      Action: 'SendMessage',
      QueueUrl: server.queueUrl,
      MessageBody: `forged-${mark}`,
      MessageGroupId: 'g',
      MessageDeduplicationId: `forged-${mark}`,
    }).toString();
    await page.evaluate(
      ([url, body]) =>
        fetch(url, {
          method: 'POST',
          mode: 'no-cors',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        }),
      [server.queueUrl, body] as const,
    );
    // A real form, as a page would submit it.
    await page.evaluate(
      ([url, fields]) => {
        // The page's own DOM (this runs in the browser; the tests' types have no DOM).
        const document = (globalThis as any).document;
        const form = Object.assign(document.createElement('form'), { method: 'POST', action: url, target: 'sink' });
        for (const [name, value] of new URLSearchParams(fields)) {
          form.append(Object.assign(document.createElement('input'), { name, value }));
        }
        document.body.append(Object.assign(document.createElement('iframe'), { name: 'sink' }), form);
        form.submit();
      },
      [server.queueUrl, body] as const,
    );
    await expect.poll(() => page.statuses).toEqual([403, 403]);
    expect(await queuedBodies()).not.toContain(`forged-${mark}`);
  });

  it('cannot fire the inspector’s send, nor post a callback', async () => {
    const page = await pageAt(origin());
    const before = await storedStreams();
    await fetchIn(page, `${server.baseUrl}/inspector/send?provider=srs&kind=start`, {
      method: 'POST',
      mode: 'no-cors',
    });
    await fetchIn(page, `${server.baseUrl}/nginx-rtmp`, {
      method: 'POST',
      mode: 'no-cors',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: nginxPublish(`forged-${mark}`),
    });
    await expect.poll(() => page.statuses).toEqual([403, 403]);
    expect(await storedStreams()).toEqual(before);
  });

  it('cannot read the read API', async () => {
    const page = await pageAt(origin());
    expect(await fetchIn(page, `${server.baseUrl}/api/streams`)).toHaveProperty('failed');
    expect(await fetchIn(page, `${server.baseUrl}/inspector/providers`)).toHaveProperty('failed');
  });
});

describe('a request naming another host (DNS rebinding)', () => {
  it('is refused by the receivers, the store and the queue; their own names pass', async () => {
    for (const url of [`${server.baseUrl}/api/streams`, server.storeUrl, server.queueUrl]) {
      const { port } = new URL(url);
      expect(await withHost(url, `rebind.example:${port}`), url).toBe(403);
      expect(await withHost(url, `127.0.0.1.nip.io:${port}`), url).toBe(403);
      expect(await withHost(url, `localhost:${port}`), url).not.toBe(403);
    }
  });
});

describe('the inspector’s own page', () => {
  it('still reads the API and sends a sample', async () => {
    const page = await pageAt(`${server.baseUrl}/`);
    expect(await fetchIn(page, `${server.baseUrl}/api/streams`)).toMatchObject({ status: 200 });
    const sent = await fetchIn(page, `${server.baseUrl}/inspector/send?provider=srs&kind=start`, { method: 'POST' });
    expect(sent).toMatchObject({ status: 200 });
    expect(await storedStreams()).toContain('srs/__defaultVhost__/live/inspector');
  });

  it('opens from a link on another site', async () => {
    const page = await pageAt(`http://localhost:${attackerPort}/`);
    await page.evaluate((url) => {
      const document = (globalThis as any).document;
      document.body.append(Object.assign(document.createElement('a'), { href: url, textContent: 'inspector' }));
    }, `${server.baseUrl}/`);
    const [response] = await Promise.all([page.waitForNavigation(), page.getByText('inspector').click()]);
    expect(response?.status()).toBe(200);
    expect(await page.title()).not.toBe('another page');
  });
});

describe('request bodies', () => {
  /** Sends only the headers of a POST that announces `bytes`, and waits for the answer. */
  const announcing = (bytes: number) =>
    new Promise<number>((resolve, reject) => {
      const { hostname, port } = new URL(server.baseUrl);
      const outgoing = request({ hostname, port, path: '/srs', method: 'POST', headers: { 'content-length': bytes } });
      outgoing.on('response', (response) => (response.resume(), resolve(response.statusCode!)));
      outgoing.on('error', reject);
      outgoing.flushHeaders();
    });

  it('over 6 MB are refused with 413 before they are read', async () => {
    expect(await announcing(6 * 1024 * 1024 + 1)).toBe(413);
  });

  it('over 6 MB sent in chunks are cut off with 413', async () => {
    const { hostname, port } = new URL(server.baseUrl);
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = request({ hostname, port, path: '/srs', method: 'POST' });
      outgoing.on('response', (response) => (response.resume(), resolve(response.statusCode!)));
      outgoing.on('error', reject);
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      for (let i = 0; i < 7; i++) outgoing.write(chunk);
    });
    expect(status).toBe(413);
  });
});
