/**
 * The inspector `npm start` serves at `/`, in a real browser: Debian's Chromium, headless,
 * driven by playwright-core (which downloads no browser of its own). The page is opened
 * once, and the callbacks are sent while it is open, as a user would watch them come in.
 * Screenshots of each step land in test/.screenshots/ (git-ignored).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { providers } from '../../tools/providers';
import { startLocalServer, type LocalServer } from '../support/local-server';
import { keys } from '../support/providers';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshots = new URL('../.screenshots/', import.meta.url).pathname;
/** How long a callback may take to show on the page: the page reads the API once a second. */
const shownWithin = { timeout: 5_000 };

let server: LocalServer | undefined;
let browser: Browser | undefined;
let page: Page;
let baseUrl: string;
/** Console errors, uncaught exceptions and dialogs (an injected `alert`) of the page. */
const problems: string[] = [];

/** Said by every test when there is no browser: CI installs Debian's, and no test is skipped. */
const noChromium = existsSync(executablePath)
  ? undefined
  : `no Chromium at ${executablePath}: install Debian's chromium (apt-get install chromium), ` +
    'or set CHROMIUM_PATH to a Chromium binary';

beforeEach(() => {
  if (noChromium) throw new Error(noChromium);
});

beforeAll(async () => {
  if (noChromium) return;
  mkdirSync(screenshots, { recursive: true });
  // Tencent checks signatures with one key, so that a callback signed with another is refused.
  server = await startLocalServer({ LIVEHOOKS_TENCENT_KEYS: keys.newest });
  baseUrl = server.baseUrl;
  // CI runs as root in a container, where Chromium's sandbox cannot start.
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(`${baseUrl}/`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.stop();
});

const region = (name: string) => page.getByRole('region', { name });
const screenshot = (name: string) => page.screenshot({ path: `${screenshots}inspector-${name}.png`, fullPage: true });
const send = (...args: string[]) => server!.livehooks('send', ...args);

describe('the inspector', () => {
  it('loads with each provider’s checks and callback URL, and copies a URL', async () => {
    const items = region('Providers').getByRole('listitem');
    await expect.poll(() => items.count()).toBe(Object.keys(providers).length);
    expect(await items.filter({ hasText: `${baseUrl}/tencent` }).textContent()).toContain('checks on: 1 key(s)');
    expect(await items.filter({ hasText: `${baseUrl}/srs` }).textContent()).toContain(
      'checks OFF (set LIVEHOOKS_SRS_TOKENS to turn them on)',
    );
    await page.getByText(/^Updated .+, every second\.$/).waitFor();
    await page.getByRole('button', { name: "Copy srs's callback URL" }).click();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(`${baseUrl}/srs`);
    await screenshot('loaded');
    expect(problems).toEqual([]);
  });

  it('shows a callback sent while it is open in deliveries and live now, and its record on a click', async () => {
    const streamKey = 'srs/__defaultVhost__/live/seen-cam';
    await send('srs', `${baseUrl}/srs`, '--stream', 'seen-cam');
    const delivery = region('Deliveries').getByRole('button', { name: streamKey });
    await delivery.waitFor(shownWithin);
    await region('Live now').getByRole('cell', { name: streamKey, exact: true }).waitFor(shownWithin);
    const row = region('Deliveries').getByRole('row').filter({ hasText: streamKey });
    // Received, occurred, provider, kind, stream key, session.
    expect((await row.getByRole('cell').allTextContents()).slice(2, 5)).toEqual(['srs', 'start', streamKey]);

    await delivery.click();
    await region(`Delivery: start of ${streamKey}`).waitFor();
    await page.locator('#record', { hasText: `"streamKey": "${streamKey}"` }).waitFor();
    const record = JSON.parse((await page.locator('#record').textContent())!);
    expect(record).toMatchObject({ provider: 'srs', kind: 'start', streamKey, stream: 'seen-cam' });
    expect(record).not.toHaveProperty('raw');
    const raw = JSON.parse((await page.locator('#raw').textContent())!);
    expect(raw).toMatchObject({ action: 'on_publish', stream: 'seen-cam' });
    await screenshot('delivery');
  });

  it('shows a stream name that holds markup as text, never as HTML', async () => {
    const stream = '<img src=x onerror=alert(document.domain)>';
    await send('srs', `${baseUrl}/srs`, '--stream', stream);
    await region('Deliveries')
      .getByRole('button', { name: `srs/__defaultVhost__/live/${stream}` })
      .waitFor(shownWithin);
    await region('Live now').getByText(stream).waitFor(shownWithin);
    expect(await page.locator('img').count()).toBe(0);
  });

  it('shows a refused callback with its reason, what it held and what to change', async () => {
    await expect(send('tencent', `${baseUrl}/tencent`, '--key', keys.unknown, '--stream', 'wrong-key')).rejects.toThrow(
      /refused: 401 bad_signature/,
    );
    const refusal = region('Refusals').getByRole('listitem').filter({ hasText: 'bad_signature' });
    await refusal.waitFor(shownWithin);
    const [summary, message, request, fix] = await refusal.locator('p').allTextContents();
    expect(summary).toMatch(/^401 bad_signature · tencent · \S.* · from 127\.0\.0\.1$/);
    expect(message).toBe('sign matches no configured key');
    // The field names it held, never a value: the key that signed it is nowhere.
    expect(request).toMatch(/^POST application\/json, \d+ bytes; fields: event_type, (\w+, )+sign$/);
    expect(fix).toBe(
      "What to change: The key in LIVEHOOKS_TENCENT_KEYS differs from the vendor console's; check both.",
    );
    expect(await refusal.textContent()).not.toContain(keys.unknown);
    await screenshot('refusal');
  });

  it('sends a provider’s sample from its button and shows the answer, then the delivery', async () => {
    await page.getByRole('button', { name: "Send tencent's sample start" }).click();
    const answer = page.getByRole('status', { name: "tencent's answer" });
    await answer.filter({ hasText: 'HTTP' }).waitFor();
    expect(await answer.textContent()).toMatch(
      /^start: HTTP 200 \{"code":0,"id":"[0-9a-f]{32}","duplicate":false\} \(stream tencent\/push\.example\.com\/live\/inspector\)$/,
    );
    const streamKey = 'tencent/push.example.com/live/inspector';
    await region('Deliveries').getByRole('button', { name: streamKey }).waitFor(shownWithin);
    await region('Live now').getByRole('cell', { name: streamKey, exact: true }).waitFor(shownWithin);
    await screenshot('sample-sent');
  });

  it('logged no error, threw nothing and opened no dialog throughout', () => {
    expect(problems).toEqual([]);
  });
});
