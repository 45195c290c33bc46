import { createHash } from 'node:crypto';
import { volcengineAuthorization } from './oracles';
import { startStandIn, type StandIn } from './stand-in';

/** A callback setting as the stand-in keeps it (one per push domain and message type). */
export interface CallbackSetting {
  MessageType: string;
  Vhost: string;
  App: string;
  AuthEnable: boolean;
  AuthKeyPrimary: string;
  TranscodeCallback: number;
  CallbackDetailList: { CallbackType: string; URL: string }[];
}

/** The Volcengine Live stand-in: its settings by `<domain> <message type>`, and a way to make it deliver. */
export interface VolcengineStandIn extends StandIn {
  settings: Map<string, CallbackSetting>;
  throttle: number;
  /** Delivers a push start or end for `stream` to every URL of the setting, as the vendor does (the examples' envelope). */
  deliver(domain: string, kind: 'start' | 'stop', stream: string): Promise<number[]>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/**
 * A stand-in of Volcengine Live's callback API (2023-01-01, `UpdateCallback` and
 * `DescribeCallback`): every request's HMAC-SHA256 signature is recomputed by
 * @volcengine/openapi's own `Signer` (the CLI signs by hand) and its body hash checked
 * against the body; answers and errors have the OpenAPI's `ResponseMetadata` shape. The
 * error code of an unknown domain is illustrative: the sources list none.
 */
export async function startVolcengine(
  accessKeyId: string,
  secretAccessKey: string,
  domains: string[],
): Promise<VolcengineStandIn> {
  const settings = new Map<string, CallbackSetting>();
  const metadata = (action: string) => ({
    RequestId: 'req',
    Action: action,
    Version: '2023-01-01',
    Service: 'live',
    Region: 'cn-north-1',
  });
  const fail = (status: number, action: string, Code: string, Message: string) => ({
    status,
    body: { ResponseMetadata: { ...metadata(action), Error: { Code, Message } } },
  });
  const standIn = await startStandIn(
    (request) => {
      const sent = request.headers.authorization ?? '';
      if (!sent.startsWith(`HMAC-SHA256 Credential=${accessKeyId}/`))
        return 'no HMAC-SHA256 authorization for this key';
      if (request.headers['x-content-sha256'] !== sha256(request.body)) return 'X-Content-Sha256 is not the body’s';
      const scope = { region: 'cn-north-1', service: 'live' };
      return volcengineAuthorization(request, { accessKeyId, secretAccessKey }, scope) === sent
        ? undefined
        : 'signature does not match';
    },
    (why) => fail(401, '', 'SignatureDoesNotMatch', why),
    (request) => {
      const action = request.url.searchParams.get('Action') ?? '';
      if (request.method !== 'POST' || request.url.searchParams.get('Version') !== '2023-01-01') {
        return fail(404, action, 'InvalidActionOrVersion', `${request.method} ${request.url.search}`);
      }
      if (volcengine.throttle > 0) {
        volcengine.throttle--;
        return fail(429, action, 'FlowLimitExceeded', 'request rate exceeded');
      }
      const body = JSON.parse(request.body || '{}');
      if (!domains.includes(body.Domain)) return fail(400, action, 'InvalidParameter.DomainNotExist', 'no such domain');
      if (action === 'UpdateCallback') {
        const list = body.CallbackDetailList;
        if (!['push', 'push_end', 'snapshot', 'record', 'audit_snapshot'].includes(body.MessageType)) {
          return fail(400, action, 'InvalidParameter.MessageType', 'MessageType');
        }
        if (!Array.isArray(list) || list.length === 0 || list.some((d) => d.CallbackType !== 'http' || !d.URL)) {
          return fail(400, action, 'InvalidParameter.CallbackDetailList', 'CallbackDetailList');
        }
        if (body.AuthEnable && !body.AuthKeyPrimary) return fail(400, action, 'MissingParameter', 'AuthKeyPrimary');
        // A full replacement of the setting.
        settings.set(`${body.Domain} ${body.MessageType}`, {
          MessageType: body.MessageType,
          Vhost: body.Domain,
          App: '',
          AuthEnable: body.AuthEnable === true,
          AuthKeyPrimary: body.AuthKeyPrimary ?? '',
          TranscodeCallback: body.TranscodeCallback ?? 0,
          CallbackDetailList: list.map(({ CallbackType, URL }: { CallbackType: string; URL: string }) => ({
            CallbackType,
            URL,
          })),
        });
        return { status: 200, body: { ResponseMetadata: metadata(action) } };
      }
      if (action === 'DescribeCallback') {
        const CallbackList = [...settings]
          .filter(([key]) => key.startsWith(`${body.Domain} `))
          .map(([, setting]) => setting)
          .filter((setting) => !body.MessageType || setting.MessageType === body.MessageType);
        return { status: 200, body: { ResponseMetadata: metadata(action), Result: { CallbackList } } };
      }
      return fail(404, action, 'InvalidActionOrVersion', action);
    },
  );
  const volcengine: VolcengineStandIn = Object.assign(standIn, {
    settings,
    throttle: 0,
    async deliver(domain: string, kind: 'start' | 'stop', stream: string) {
      const setting = settings.get(`${domain} ${kind === 'start' ? 'push' : 'push_end'}`)!;
      const now = Math.floor(Date.now() / 1000);
      const t = now + 600;
      const data = {
        vhost: domain,
        domain,
        app: 'live',
        stream,
        event_type: kind === 'start' ? 'push_start' : 'push_end',
        // The vendor's signature: md5 of the key followed by the expiry.
        sign: setting.AuthEnable ? md5(setting.AuthKeyPrimary + t) : '',
        t: setting.AuthEnable ? t : 0,
        detail: { time: now, time_ms: now * 1000, session_id: `${now - (now % 3600)}_stand-in` },
      };
      const body = JSON.stringify({ code: 0, message: 'ok', data });
      const statuses: number[] = [];
      for (const { URL: url } of setting.CallbackDetailList) {
        const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        statuses.push(answer.status);
      }
      return statuses;
    },
  });
  return volcengine;
}
