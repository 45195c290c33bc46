import { describe, expect, it } from 'vitest';
import { VendorApiError } from '../../../../shared/vendor-api/errors';
import {
  everyDomain,
  maxPages,
  readEveryPage,
  requireCredentials,
  timeOf,
} from '../../../../shared/vendor-api/live-pages';

const push = (stream: string, domain = 'd') => ({ domain, app: 'a', stream });
const live = new AbortController().signal;

describe('readEveryPage', () => {
  it('reads pages in order until one names no next, keeping a push listed twice once', async () => {
    const pages = [[push('x'), push('y')], [push('y'), push('z')], [push('w')]];
    const read: number[] = [];
    const pushes = await readEveryPage('V', live, 0, async (page) => {
      read.push(page);
      return { pushes: pages[page]!, next: page + 1 < pages.length ? page + 1 : undefined };
    });
    expect(read).toEqual([0, 1, 2]);
    expect(pushes.map((p) => p.stream)).toEqual(['x', 'y', 'z', 'w']);
  });

  it('leaves out an entry without a stream name', async () => {
    expect(await readEveryPage('V', live, 0, async () => ({ pushes: [push(''), push('s')] }))).toEqual([push('s')]);
  });

  it('refuses a list past the page limit, not retryable', async () => {
    let calls = 0;
    const endless = readEveryPage('V', live, 0, async (page) => {
      calls++;
      return { pushes: [push(`s${page}`)], next: page + 1 };
    });
    await expect(endless).rejects.toMatchObject({
      name: 'VendorApiError',
      retryable: false,
      message: `V's live list runs past ${maxPages} pages: narrow it (fewer domains or apps)`,
    });
    expect(calls).toBe(maxPages);
  });

  it('stops at an abort between pages with the AbortError, reading no further', async () => {
    const controller = new AbortController();
    let calls = 0;
    const reading = readEveryPage('V', controller.signal, 0, async (page) => {
      calls++;
      if (page === 1) controller.abort();
      return { pushes: [push(`s${page}`)], next: page + 1 };
    });
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' });
    expect(calls).toBe(2);
  });

  it('a failing page rejects with its error', async () => {
    const failure = new VendorApiError('V refused', true);
    await expect(
      readEveryPage('V', live, 0, async (page) => {
        if (page === 1) throw failure;
        return { pushes: [push('s')], next: 1 };
      }),
    ).rejects.toBe(failure);
  });
});

describe('everyDomain', () => {
  it('reads each comma-separated domain in order, blanks skipped', async () => {
    const pushes = await everyDomain(' a.example , ,b.example', async (domain) => [push('s', domain)]);
    expect(pushes.map((p) => p.domain)).toEqual(['a.example', 'b.example']);
  });
});

describe('requireCredentials and timeOf', () => {
  it('names every field missing or blank, and never a value', () => {
    expect(() => requireCredentials('V', { id: 'x', secret: ' ' }, ['id', 'secret', 'domains'])).toThrow(
      'no V API credentials for the live list: set secret, domains',
    );
    expect(requireCredentials('V', { id: 'x', secret: 'y', extra: 'z' }, ['id', 'secret'])).toEqual({
      id: 'x',
      secret: 'y',
    });
  });

  it('reads a vendor time, and nothing from what is not one', () => {
    expect(timeOf('2026-12-06T10:00:00Z')).toBe(Date.UTC(2026, 11, 6, 10));
    expect([timeOf(''), timeOf('soon'), timeOf(12), timeOf(undefined)]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
