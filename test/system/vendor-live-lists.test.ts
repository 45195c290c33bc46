import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveListSource, LivePush } from '../../shared/reconcile/live-list';
import { reconcilables } from '../../shared/reconcile/sources';
import { omeLiveList } from '../../shared/reconcile/sources/ome';
import { srsLiveList } from '../../shared/reconcile/sources/srs';
import { alibabaLiveList } from '../../shared/vendor-api/alibaba-live';
import { cloudflareLiveList } from '../../shared/vendor-api/cloudflare-live';
import { VendorApiError } from '../../shared/vendor-api/errors';
import { huaweiLiveList } from '../../shared/vendor-api/huawei-live';
import { ivsLiveList } from '../../shared/vendor-api/ivs-live';
import { jdcloudLiveList } from '../../shared/vendor-api/jdcloud-live';
import { livekitLiveList } from '../../shared/vendor-api/livekit-live';
import { muxLiveList } from '../../shared/vendor-api/mux-live';
import { tencentLiveList } from '../../shared/vendor-api/tencent-live';
import { providerOf } from '../../tools/providers';
import { startAlibaba } from '../support/vendor-apis/alibaba';
import { startCloudflare } from '../support/vendor-apis/cloudflare';
import { onlineLimit, startHuawei } from '../support/vendor-apis/huawei';
import { startIvs } from '../support/vendor-apis/ivs';
import { startJdcloud } from '../support/vendor-apis/jdcloud';
import { ingressPageSize, startLiveKit } from '../support/vendor-apis/livekit';
import { startMux } from '../support/vendor-apis/mux';
import { startOme } from '../support/vendor-apis/ome';
import { srsStream, startSrs } from '../support/vendor-apis/srs';
import type { ListFaults, StandIn } from '../support/vendor-apis/stand-in';
import { startTencent } from '../support/vendor-apis/tencent';

/**
 * Every cloud vendor's live list, and the HTTP APIs of SRS and OvenMediaEngine, against a
 * stand-in of its API that pages with the vendor's documented shapes and limits and checks
 * each request's signature with the vendor's own signer (or SDK verifier; HTTP Basic
 * decoded by the stand-in): all pages read, each push keyed as the vendor's
 * callback adapter keys it; throttling retryable; refused credentials not, with the fix;
 * a page that fails or an abort rejects the whole list (never a partial one).
 */
const domain = 'push.example.com';
const other = 'other.example.com';
const at = (i: number) => new Date(Date.UTC(2026, 11, 6, 10, 0, i % 60)).toISOString().replace(/\.\d{3}Z$/, 'Z');
const names = (n: number) => Array.from({ length: n }, (_, i) => `stream-${String(i).padStart(4, '0')}`);
const sorted = (pushes: LivePush[]) =>
  [...pushes].sort((a, b) => `${a.domain}/${a.app}/${a.stream}`.localeCompare(`${b.domain}/${b.app}/${b.stream}`));

/** A vendor under test: its stand-in filled with `live` pushes (and some that are not), what the list must return, and how to break it. */
interface Vendor {
  source: LiveListSource;
  standIn: StandIn & ListFaults & { throttle: number };
  credentials: Record<string, string>;
  /** The credential whose wrong value the vendor refuses. */
  secretField: string;
  /** Fills the stand-in with `live` live pushes over several pages; returns what the list must say. */
  fill(live: number): LivePush[];
  /** How many pushes make at least three pages. */
  pages3: number;
  /**
   * Lists the push of a callback (the adapter's sample fields) as the vendor's list writes
   * it; returns any credentials the list needs for it (Mux: its environment).
   */
  listCallback(fields: any): Record<string, string> | void;
  /** Whether the list carries the callbacks' session value. */
  listsSession: boolean;
  /** What the message of a busy vendor says (the origins do not throttle: a proxy's 503); default /throttled/. */
  busy?: RegExp;
}

const started: StandIn[] = [];
afterAll(async () => {
  await Promise.all(started.map((standIn) => standIn.close()));
});

const vendors: Record<string, () => Promise<Vendor>> = {
  async alibaba() {
    const standIn = await startAlibaba('LTAIlist', 'alibaba-list-secret', [domain, other]);
    return {
      source: alibabaLiveList,
      standIn,
      credentials: { accessKeyId: 'LTAIlist', accessKeySecret: 'alibaba-list-secret', domains: `${domain}, ${other}` },
      secretField: 'accessKeySecret',
      pages3: 4500,
      listCallback(f) {
        // Listed under its main streaming domain; the callback's `app` is the ingest domain.
        standIn.online = [
          {
            DomainName: other,
            PublishDomain: f.app,
            AppName: f.appname,
            StreamName: f.id,
            PublishTime: at(0),
            Transcoded: 'no',
          },
        ];
      },
      listsSession: false,
      fill(live) {
        standIn.online = names(live).map((stream, i) => ({
          // The main streaming domain, and the ingest domain the callback's `app` carries.
          DomainName: i % 2 ? domain : other,
          PublishDomain: i % 3 ? `ingest.${i % 2 ? domain : other}` : '',
          AppName: 'live',
          StreamName: stream,
          PublishTime: at(i),
          PublishUrl: `rtmp://ingest.${domain}/live/${stream}`,
          Transcoded: 'no',
        }));
        // A transcoded copy is not a push.
        standIn.online.push({ ...standIn.online[0]!, StreamName: 'stream-0000_hd', Transcoded: 'yes' });
        return standIn.online
          .filter((info) => info.Transcoded === 'no')
          .map((info) => ({
            domain: info.PublishDomain || info.DomainName!,
            app: 'live',
            stream: info.StreamName!,
            startedAtMs: Date.parse(info.PublishTime!),
          }));
      },
    };
  },
  async tencent() {
    const standIn = await startTencent('AKIDlist', 'tencent-list-secret', [domain]);
    return {
      source: tencentLiveList,
      standIn,
      credentials: { secretId: 'AKIDlist', secretKey: 'tencent-list-secret', domains: domain },
      secretField: 'secretKey',
      pages3: 250,
      listCallback(f) {
        standIn.online = [
          { DomainName: f.app, AppName: f.appname, StreamName: f.stream_id, PublishTimeList: [{ PublishTime: at(0) }] },
        ];
      },
      listsSession: false,
      fill(live) {
        standIn.online = names(live).map((stream, i) => ({
          StreamName: stream,
          AppName: i % 2 ? 'live' : 'game',
          DomainName: domain,
          // A primary and a backup push of one name: two publish times, one entry.
          PublishTimeList: i === 0 ? [{ PublishTime: at(0) }, { PublishTime: at(5) }] : [{ PublishTime: at(i) }],
        }));
        return standIn.online.map((info, i) => ({
          domain,
          app: info.AppName,
          stream: info.StreamName,
          startedAtMs: Date.parse(at(i)),
        }));
      },
    };
  },
  async huawei() {
    const standIn = await startHuawei('HPUAlist', 'huawei-list-secret', '0123456789abcdef', [domain]);
    return {
      source: huaweiLiveList,
      standIn,
      credentials: {
        ak: 'HPUAlist',
        sk: 'huawei-list-secret',
        projectId: '0123456789abcdef',
        region: 'cn-north-4',
        domains: domain,
      },
      secretField: 'sk',
      pages3: 250,
      listCallback(f) {
        standIn.online = [{ publish_domain: f.domain, app: f.app, stream: f.stream, start_time: at(0) }];
      },
      listsSession: false,
      fill(live) {
        standIn.online = names(live).map((stream, i) => ({
          publish_domain: domain,
          app: 'live',
          stream,
          start_time: at(i),
        }));
        return standIn.online.map((info) => ({
          domain,
          app: 'live',
          stream: info.stream,
          startedAtMs: Date.parse(info.start_time),
        }));
      },
    };
  },
  async jdcloud() {
    const standIn = await startJdcloud('JDClist', 'jd-list-secret', [domain]);
    return {
      source: jdcloudLiveList,
      standIn,
      credentials: { accessKeyId: 'JDClist', secretAccessKey: 'jd-list-secret', domains: domain },
      secretField: 'secretAccessKey',
      pages3: 250,
      listCallback(f) {
        standIn.online = [
          {
            publishDomain: f.publishDomain,
            appName: f.appName,
            streamName: f.streamName,
            publishTime: at(0),
            publishUrl: '',
          },
        ];
      },
      listsSession: false,
      fill(live) {
        standIn.online = names(live).map((stream, i) => ({
          publishDomain: domain,
          appName: 'live',
          streamName: stream,
          publishTime: at(i),
          publishUrl: `rtmp://${domain}/live/${stream}`,
        }));
        return standIn.online.map((info) => ({
          domain,
          app: 'live',
          stream: info.streamName,
          startedAtMs: Date.parse(info.publishTime),
        }));
      },
    };
  },
  async mux() {
    const standIn = await startMux('mux-list-id', 'mux-list-secret');
    return {
      source: muxLiveList,
      standIn,
      credentials: { tokenId: 'mux-list-id', tokenSecret: 'mux-list-secret', environmentId: 'env-0123' },
      secretField: 'tokenSecret',
      pages3: 250,
      listCallback(f) {
        standIn.liveStreams = [{ id: f.data.id, status: 'active', active_asset_id: f.data.active_asset_id }];
        return { environmentId: f.environment.id };
      },
      listsSession: true,
      fill(live) {
        standIn.liveStreams = names(live).map((stream, i) => ({
          id: stream,
          status: 'active' as const,
          // The asset of the broadcast; a stream that just went active may name only recent ones.
          ...(i % 7 ? { active_asset_id: `asset-${i}` } : { recent_asset_ids: [`old-${i}`, `recent-${i}`] }),
        }));
        standIn.liveStreams.push({ id: 'idle-one', status: 'idle' }, { id: 'off-one', status: 'disabled' });
        return names(live).map((stream, i) => ({
          domain: 'env-0123',
          app: '',
          stream,
          sessionId: i % 7 ? `asset-${i}` : `recent-${i}`,
        }));
      },
    };
  },
  async cloudflare() {
    const standIn = await startCloudflare('cloudflare-list-token', 'account0123');
    return {
      source: cloudflareLiveList,
      standIn,
      credentials: { apiToken: 'cloudflare-list-token', accountId: 'account0123' },
      secretField: 'apiToken',
      pages3: 12,
      listCallback(f) {
        standIn.liveInputs = new Map([[f.data.input_id, { status: 'connected' }]]);
      },
      listsSession: false,
      fill(live) {
        standIn.liveInputs = new Map();
        const states = ['connected', 'reconnected'];
        for (const [i, uid] of names(live).entries()) {
          // Both shapes the API gives a single input's state in.
          const state = states[i % 2]!;
          standIn.liveInputs.set(uid, { status: i % 3 ? state : { current: { state } } });
        }
        for (const state of ['reconnecting', 'client_disconnect', 'ttl_exceeded'])
          standIn.liveInputs.set(`input-${state}`, { status: state });
        standIn.liveInputs.set('input-new', { status: null });
        return names(live).map((stream) => ({ domain: '', app: '', stream }));
      },
    };
  },
  async ivs() {
    const credentials = {
      accessKeyId: 'AKIAlist',
      secretAccessKey: 'aws-list-secret',
      sessionToken: 'session/token+1',
    };
    const standIn = await startIvs(credentials, 'eu-west-1');
    return {
      source: ivsLiveList,
      standIn,
      credentials: { ...credentials, region: 'eu-west-1' },
      secretField: 'secretAccessKey',
      pages3: 250,
      listCallback(f) {
        standIn.streams = [
          {
            channelArn: f.resources[0],
            streamId: f.detail.stream_id,
            state: 'LIVE',
            health: 'HEALTHY',
            startTime: f.time,
            viewerCount: 1,
          },
        ];
      },
      listsSession: true,
      fill(live) {
        standIn.streams = names(live).map((stream, i) => ({
          channelArn: `arn:aws:ivs:eu-west-1:123456789012:channel/${stream}`,
          streamId: `st-${i}`,
          state: 'LIVE' as const,
          health: 'HEALTHY' as const,
          startTime: at(i),
          viewerCount: i,
        }));
        return standIn.streams.map((summary, i) => ({
          domain: '123456789012',
          app: 'eu-west-1',
          stream: names(live)[i]!,
          sessionId: summary.streamId,
          startedAtMs: Date.parse(summary.startTime),
        }));
      },
    };
  },
  async livekit() {
    const standIn = await startLiveKit('APIlist', 'livekit-list-secret-of-32-characters');
    return {
      source: livekitLiveList,
      standIn,
      credentials: {
        apiKey: 'APIlist',
        apiSecret: 'livekit-list-secret-of-32-characters',
        url: 'wss://x.livekit.cloud',
      },
      secretField: 'apiSecret',
      pages3: ingressPageSize * 2 + 1,
      listCallback(f) {
        // Twirp's JSON spells the webhook's camelCase fields as the proto does.
        const { ingressId, name, roomName, participantIdentity, state } = f.ingressInfo;
        standIn.ingresses = [
          {
            ingress_id: ingressId,
            name,
            room_name: roomName,
            participant_identity: participantIdentity,
            input_type: 'RTMP_INPUT',
            state: { status: state.status, started_at: state.startedAt, resource_id: state.resourceId },
          },
        ];
      },
      listsSession: true,
      fill(live) {
        const publishing = names(live).map((stream, i) => ({
          ingress_id: stream,
          name: stream,
          room_name: `room-${i % 2}`,
          participant_identity: 'host',
          input_type: 'RTMP_INPUT' as const,
          state: {
            status: 'ENDPOINT_PUBLISHING' as const,
            started_at: `17652${String(i).padStart(14, '0')}`,
            ...(i % 2 ? { resource_id: `res-${i}` } : {}),
          },
        }));
        standIn.ingresses = [
          ...publishing,
          { ...publishing[0]!, ingress_id: 'idle-one', state: {} },
          { ...publishing[0]!, ingress_id: 'buffering-one', state: { status: 'ENDPOINT_BUFFERING' } },
          { ...publishing[0]!, ingress_id: 'ended-one', state: { status: 'ENDPOINT_COMPLETE' } },
        ];
        return publishing.map((ingress) => ({
          domain: '',
          app: ingress.room_name,
          stream: ingress.ingress_id,
          sessionId: ingress.state.resource_id ?? `started:${ingress.state.started_at}`,
          startedAtMs: Math.floor(Number(ingress.state.started_at) / 1e6),
        }));
      },
    };
  },
  async srs() {
    const standIn = await startSrs('srs-api', 'srs-list-password');
    return {
      source: srsLiveList,
      standIn,
      credentials: { endpoint: 'http://srs.invalid:1985', username: 'srs-api', password: 'srs-list-password' },
      secretField: 'password',
      pages3: 250,
      busy: /HTTP 503/,
      listCallback(f) {
        standIn.vhosts = [{ id: 'vid-0x1', name: f.vhost }];
        standIn.streams = [srsStream('vid-9zz', 'vid-0x1', f.app, f.stream, f.client_id)];
      },
      listsSession: true,
      fill(live) {
        standIn.vhosts = [
          { id: 'vid-0x1', name: '__defaultVhost__' },
          { id: 'vid-0x2', name: domain },
        ];
        const vhostOf = (i: number) => standIn.vhosts[i % 2]!;
        standIn.streams = names(live).map((stream, i) =>
          srsStream(`vid-${String(i).padStart(4, '0')}`, vhostOf(i).id, i % 3 ? 'live' : 'game', stream, `cid-${i}`),
        );
        // Unpublished streams stay in SRS's statistics, `publish.active` false.
        standIn.streams.push(srsStream('vid-zz01', 'vid-0x1', 'live', 'ended-one'));
        return names(live).map((stream, i) => ({
          domain: vhostOf(i).name,
          app: i % 3 ? 'live' : 'game',
          stream,
          sessionId: `cid-${i}`,
        }));
      },
    };
  },
  async ome() {
    const standIn = await startOme('ome-list-access-token');
    return {
      source: omeLiveList,
      standIn,
      credentials: {
        endpoint: 'http://ome.invalid:8081',
        accessToken: 'ome-list-access-token',
        domain: 'Push.Example.com',
      },
      secretField: 'accessToken',
      pages3: 30,
      busy: /HTTP 503/,
      listCallback(f) {
        // The publish URL as a browser's URL parser reads it, not the adapter's parse.
        const url = new URL(f.request.url);
        const [, app, stream] = url.pathname.split('/');
        standIn.vhosts = { default: { [app!]: [stream!] } };
        return { domain: url.hostname };
      },
      listsSession: false,
      fill(live) {
        const vhosts: Record<string, Record<string, string[]>> = {
          default: { app: [], live: [] },
          'other vhost': { 'app-2': [], idle: [] },
        };
        const apps = [vhosts.default!.app!, vhosts.default!.live!, vhosts['other vhost']!['app-2']!];
        const appNames = ['app', 'live', 'app-2'];
        for (const [i, stream] of names(live).entries()) apps[i % 3]!.push(stream);
        standIn.vhosts = vhosts;
        return names(live).map((stream, i) => ({ domain, app: appNames[i % 3]!, stream }));
      },
    };
  },
};
it('has every cloud vendor with a list in the registry once, under the provider its adapter routes', () => {
  const names = reconcilables.map(({ adapter }) => adapter.name);
  expect(new Set(names).size).toBe(names.length);
  expect(names).toEqual(expect.arrayContaining(Object.keys(vendors)));
  for (const { adapter, source } of reconcilables) expect(source.provider).toBe(adapter.name);
});

describe.each(Object.keys(vendors))('%s', (name) => {
  let vendor: Vendor;
  const list = (credentials = vendor.credentials, signal = new AbortController().signal) =>
    vendor.source.create(credentials, { endpoint: vendor.standIn.url }).list(signal);
  const rejection = async (promise: Promise<unknown>) => {
    try {
      await promise;
    } catch (error) {
      return error as Error;
    }
    throw new Error('expected a rejection');
  };

  beforeAll(async () => {
    vendor = await vendors[name]!();
    started.push(vendor.standIn);
  });

  it('reads every page, keyed as the callbacks key a push, each request signed', async () => {
    const expected = vendor.fill(vendor.pages3);
    const before = vendor.standIn.seen.length;
    const pushes = await list();
    expect(sorted(pushes)).toEqual(sorted(expected));
    expect(vendor.standIn.seen.length - before).toBeGreaterThanOrEqual(3);
    expect(vendor.standIn.badSignatures).toEqual([]);
  });

  it("keys a listed push as the adapter keys the same push's callback", async () => {
    const { adapter, samples } = providerOf(name);
    const fields = samples.sample({ kind: 'start', stream: 'Cam-1', sessionSec: 1765000000, timeSec: 1765000100 });
    const draft = adapter.normalize(v.parse(adapter.schema, fields), adapter.kindOf(fields)!, 1765000100000);
    const credentials = { ...vendor.credentials, ...vendor.listCallback(fields) };
    const [push, ...more] = await list(credentials);
    expect(more).toEqual([]);
    expect({ domain: push!.domain, app: push!.app, stream: push!.stream }).toEqual({
      domain: draft.domain,
      app: draft.app,
      stream: draft.stream,
    });
    expect(push!.sessionId).toBe(vendor.listsSession ? draft.sessionId : undefined);
    expect(vendor.standIn.badSignatures).toEqual([]);
  });

  it('an empty list is an empty array', async () => {
    vendor.fill(0);
    expect(await list()).toEqual([]);
    expect(vendor.standIn.badSignatures).toEqual([]);
  });

  it('throttling is retryable, and says so', async () => {
    vendor.fill(5);
    vendor.standIn.throttle = 1;
    const error = await rejection(list());
    expect(error).toBeInstanceOf(VendorApiError);
    expect((error as VendorApiError).retryable).toBe(true);
    expect(error.message).toMatch(vendor.busy ?? /throttled/);
    expect(await list()).toHaveLength(5);
  });

  it('refused credentials are not retryable, and the message says what to check', async () => {
    const before = vendor.standIn.badSignatures.length;
    const error = await rejection(list({ ...vendor.credentials, [vendor.secretField]: 'wrong-secret-value' }));
    expect(error).toBeInstanceOf(VendorApiError);
    expect((error as VendorApiError).retryable).toBe(false);
    expect(error.message).toMatch(/: check .+; the key needs /);
    expect(error.message).not.toContain('wrong-secret-value');
    // The stand-in refused it for its signature, and nothing else was read.
    expect(vendor.standIn.badSignatures.length).toBe(before + 1);
    vendor.standIn.badSignatures.splice(before);
  });

  it('a page that fails rejects the whole list: never a partial one', async () => {
    vendor.fill(vendor.pages3);
    vendor.standIn.failPage = 2;
    try {
      const error = await rejection(list());
      expect(error).toBeInstanceOf(VendorApiError);
      expect((error as VendorApiError).retryable).toBe(true);
    } finally {
      vendor.standIn.failPage = 0;
    }
  });

  it('an abort rejects with an AbortError, before or while reading', async () => {
    vendor.fill(vendor.pages3);
    const aborted = new AbortController();
    aborted.abort();
    expect((await rejection(list(vendor.credentials, aborted.signal))).name).toBe('AbortError');
    const during = new AbortController();
    const seen = vendor.standIn.seen.length;
    const reading = list(vendor.credentials, during.signal);
    // Abort once the first request has reached the vendor.
    while (vendor.standIn.seen.length === seen) await new Promise((resolve) => setTimeout(resolve, 1));
    during.abort();
    expect((await rejection(reading)).name).toBe('AbortError');
  });

  it('missing credentials are refused at once, naming the fields', () => {
    const missing = vendor.source.credentials[0]!;
    expect(() => vendor.source.create({ ...vendor.credentials, [missing]: ' ' })).toThrow(
      new RegExp(`no .+ API credentials for the live list: set ${missing}`),
    );
    expect(vendor.standIn.badSignatures).toEqual([]);
  });
});

describe('huawei: a domain of more than one page', () => {
  it('reads 250 and 120 live streams of two domains, a page of 100 at offsets 0, 1, 2, every request signed', async () => {
    const standIn = await startHuawei('HPUAlist', 'huawei-list-secret', '0123456789abcdef', [domain, other]);
    started.push(standIn);
    const online = (publishDomain: string, count: number) =>
      names(count).map((stream, i) => ({ publish_domain: publishDomain, app: 'live', stream, start_time: at(i) }));
    standIn.online = [...online(domain, 250), ...online(other, 120)];
    const pushes = await huaweiLiveList
      .create(
        {
          ak: 'HPUAlist',
          sk: 'huawei-list-secret',
          projectId: '0123456789abcdef',
          region: 'cn-north-4',
          domains: `${domain},${other}`,
        },
        { endpoint: standIn.url },
      )
      .list(new AbortController().signal);
    expect(pushes).toHaveLength(370);
    expect(sorted(pushes)).toEqual(
      sorted(
        standIn.online.map((info) => ({
          domain: info.publish_domain,
          app: info.app,
          stream: info.stream,
          startedAtMs: Date.parse(info.start_time),
        })),
      ),
    );
    const page = (request: (typeof standIn.seen)[number]) =>
      ['publish_domain', 'offset', 'limit'].map((name) => request.url.searchParams.get(name));
    const limit = String(onlineLimit.max);
    expect(standIn.seen.map(page)).toEqual([
      [domain, '0', limit],
      [domain, '1', limit],
      [domain, '2', limit],
      [other, '0', limit],
      [other, '1', limit],
    ]);
    // Each verified by Huawei's own signer: none refused.
    expect(standIn.seen.every((request) => request.headers.authorization?.startsWith('SDK-HMAC-SHA256 '))).toBe(true);
    expect(standIn.badSignatures).toEqual([]);
  });
});
