import { XMLParser } from 'fast-xml-parser';
import type { LiveList, LivePush, LiveListSource } from '../live-list';
import { readOrigin } from './origin';

/**
 * nginx-rtmp-module's statistics page (`rtmp_stat all;` in an http `location`), as
 * ngx_rtmp_stat_module.c writes it: `<rtmp><server><application><name>` then
 * `<live><stream><name>` and its `<client>`s, each with `<id>` (the connection number, the
 * callbacks' `clientid`), `<time>` (ms since it connected) and `<publishing/>` on the
 * publisher. The page carries no tcUrl: the domain the callbacks' keys hold is configured.
 */
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) => ['server', 'application', 'stream', 'client'].includes(name),
});

interface StatClient {
  id?: string;
  time?: string;
  publishing?: string;
}
interface Stat {
  rtmp?: {
    server?: { application?: { name?: string; live?: { stream?: { name?: string; client?: StatClient[] }[] } }[] }[];
  };
}

/** The publishing pushes an nginx-rtmp stat page lists, as of `nowMs`. */
export function livePushesOfStat(xml: string, domain: string, nowMs: number): LivePush[] {
  const stat = parser.parse(xml) as Stat;
  if (!stat.rtmp) throw new Error('nginx-rtmp: the stat page is not rtmp_stat XML (no <rtmp> root): check its URL');
  const pushes: LivePush[] = [];
  for (const server of stat.rtmp.server ?? []) {
    for (const application of server.application ?? []) {
      for (const stream of application.live?.stream ?? []) {
        for (const client of stream.client ?? []) {
          if (client.publishing === undefined || !stream.name || !application.name) continue;
          const elapsed = Number(client.time);
          pushes.push({
            domain,
            app: String(application.name),
            stream: String(stream.name),
            ...(client.id ? { pairingKey: String(client.id) } : {}),
            ...(Number.isFinite(elapsed) ? { startedAtMs: nowMs - elapsed } : {}),
          });
        }
      }
    }
  }
  return pushes;
}

/**
 * nginx-rtmp's live list: its stat page. `endpoint` is the page's URL; `domain` the host
 * publishers push to as the callbacks' tcurl names it (`live.example.com`, a port other
 * than 1935 kept: `127.0.0.1:19350`).
 */
export const nginxRtmpLiveList: LiveListSource = {
  provider: 'nginx-rtmp',
  credentials: ['endpoint', 'domain'],
  optionalCredentials: ['authorization'],
  create(credentials, options): LiveList {
    const { url, domain, headers } = readOrigin('nginx-rtmp', credentials, options);
    return {
      async list(signal) {
        const response = await fetch(url, { headers, signal });
        if (!response.ok)
          throw new Error(`nginx-rtmp: the stat page ${url.origin}${url.pathname} answered ${response.status}`);
        return livePushesOfStat(await response.text(), domain, Date.now());
      },
    };
  },
};
