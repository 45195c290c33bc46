import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { loopbackHosts, refusalOf } from '../../../../tools/local/loopback-guard.mjs';

/** A request as the server sees it, on local port 4010. */
const requestWith = (headers: Record<string, string>, method = 'GET', url = '/') =>
  ({ headers, method, url, socket: { localPort: 4010 } }) as unknown as IncomingMessage;

const page = { servesPages: true };
const engine = { servesPages: false };

describe('tools/local/loopback-guard.mjs', () => {
  it('answers the loopback names, with the port or without', () => {
    expect(loopbackHosts(4010)).toEqual([
      'localhost:4010',
      'localhost',
      '127.0.0.1:4010',
      '127.0.0.1',
      '[::1]:4010',
      '[::1]',
    ]);
    // Another port: a proxy in front of the server keeps its own (a rebinding page cannot name 127.0.0.1).
    for (const host of [...loopbackHosts(4010), 'LocalHost:4010', '127.0.0.1:4011']) {
      expect(refusalOf(requestWith({ host }), page), host).toBeUndefined();
      expect(refusalOf(requestWith({ host }), engine), host).toBeUndefined();
    }
  });

  it('refuses another host, or none, saying where it answers', () => {
    for (const host of ['attacker.example:4010', '127.0.0.1.nip.io:4010', 'localhost.:4010', '127.0.0.1:4010:4010']) {
      expect(refusalOf(requestWith({ host }), page), host).toMatch(/answers to http:\/\/127\.0\.0\.1:4010/);
    }
    expect(refusalOf(requestWith({}), engine)).toMatch(/not to Host ""/);
  });

  it('lets the page of its own origin through, and refuses any other', () => {
    const host = '127.0.0.1:4010';
    const post = (headers: Record<string, string>) =>
      refusalOf(requestWith({ host, ...headers }, 'POST', '/inspector/send'), page);
    expect(post({ origin: 'http://127.0.0.1:4010', 'sec-fetch-site': 'same-origin' })).toBeUndefined();
    expect(post({ origin: 'http://localhost:4010' })).toBeUndefined();
    for (const origin of ['http://127.0.0.1:4011', 'null', 'https://127.0.0.1:4010', 'http://attacker.example']) {
      expect(post({ origin }), origin).toMatch(/another origin/);
    }
    for (const site of ['same-site', 'cross-site'])
      expect(post({ 'sec-fetch-site': site }), site).toMatch(/another site/);
  });

  it('lets a link from another site open the page, and nothing else', () => {
    const navigation = { host: '127.0.0.1:4010', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' };
    expect(refusalOf(requestWith(navigation), page)).toBeUndefined();
    expect(refusalOf(requestWith(navigation, 'GET', '/nginx-rtmp?call=publish'), page)).toMatch(/another site/);
    expect(refusalOf(requestWith(navigation, 'POST'), page)).toMatch(/another site/);
    expect(refusalOf(requestWith(navigation), engine)).toMatch(/no request from a web page/);
  });

  it('refuses anything a browser sent to an engine', () => {
    const host = '127.0.0.1:4010';
    const browserHeaders: Record<string, string>[] = [
      { origin: 'http://127.0.0.1:4010' },
      { 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-site': 'none' },
    ];
    for (const headers of browserHeaders) {
      expect(refusalOf(requestWith({ host, ...headers }, 'POST'), engine)).toMatch(/no request from a web page/);
    }
  });
});
