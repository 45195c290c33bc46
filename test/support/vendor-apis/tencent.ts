import { createHash, createHmac } from 'node:crypto';
import { tencentAuthorization } from './oracles';
import { pageOf, startStandIn, type ListFaults, type SeenRequest, type StandIn } from './stand-in';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();

interface Template {
  TemplateId: number;
  TemplateName: string;
  Description?: string;
  StreamBeginNotifyUrl?: string;
  StreamEndNotifyUrl?: string;
  CallbackKey?: string;
}
interface Rule {
  DomainName: string;
  AppName: string;
  TemplateId: number;
}

/** The Tencent CSS stand-in: its state, and a way to make it deliver a callback. */
export interface TencentStandIn extends StandIn, ListFaults {
  templates: Map<number, Template>;
  /** What DescribeLiveStreamOnlineList lists, as Tencent writes each `StreamOnlineInfo`. */
  online: { StreamName: string; AppName: string; DomainName: string; PublishTimeList: { PublishTime: string }[] }[];
  rules: Rule[];
  /** Calls that answer RequestLimitExceeded before the next ones are served. */
  throttle: number;
  /** Delivers a push (start) or interruption (stop) callback of `stream` as Tencent would, signed with the bound template's key. */
  deliver(
    domain: string,
    kind: 'start' | 'stop',
    stream: string,
    app?: string,
  ): Promise<{ status: number; body: string }>;
  /** Sends the last callback of `stream` again, body and signature as they were: a retry. */
  redeliverLast(stream: string): Promise<{ status: number; body: string }>;
}

/**
 * A stand-in of Tencent Cloud CSS's callback API (live, 2018-08-01): the TC3-HMAC-SHA256
 * signature of every call is checked here by its own code (the string to sign of Tencent's
 * signature v3 document, written anew) and by the SDK's own `Sign.sign3` (the CLI signs
 * with the SDK, the live list by hand); the
 * templates and rules are kept; answers and errors have Tencent's `{ Response: ... }` shape.
 */
export async function startTencent(secretId: string, secretKey: string, domains: string[]): Promise<TencentStandIn> {
  const templates = new Map<number, Template>();
  const rules: Rule[] = [];
  const records: {
    url: string;
    EventTime: string;
    EventType: number;
    Request: string;
    Response: string;
    ResultCode: number;
    StreamId: string;
  }[] = [];
  let nextId = 1000;
  const verify = (request: SeenRequest): string | undefined => {
    const match =
      /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
        request.headers.authorization ?? '',
      );
    if (!match) return 'no TC3 authorization';
    const [, id, date, service, signedHeaders, signature] = match;
    if (id !== secretId) return 'unknown SecretId';
    if (service !== 'live') return `signed for service ${service}`;
    const timestamp = Number(request.headers['x-tc-timestamp']);
    if (Math.abs(Date.now() / 1000 - timestamp) > 300) return 'X-TC-Timestamp is off by more than 5 minutes';
    if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date) return "credential date is not the timestamp's";
    const names = signedHeaders!.split(';');
    const value = (name: string) =>
      (name === 'host' ? request.headers.host!.split(':')[0]! : request.headers[name]!).trim().toLowerCase();
    const canonical = [
      request.method,
      '/',
      '',
      names.map((name) => `${name}:${value(name)}\n`).join(''),
      signedHeaders,
      sha256(request.body),
    ].join('\n');
    const toSign = ['TC3-HMAC-SHA256', String(timestamp), `${date}/${service}/tc3_request`, sha256(canonical)].join(
      '\n',
    );
    const key = hmac(hmac(hmac(`TC3${secretKey}`, date), service), 'tc3_request');
    return createHmac('sha256', key).update(toSign).digest('hex') === signature
      ? undefined
      : 'TC3 signature does not match';
  };
  const fail = (Code: string, Message: string) => ({
    status: 200,
    body: { Response: { Error: { Code, Message }, RequestId: 'req' } },
  });
  const ok = (data: object) => ({ status: 200, body: { Response: { ...data, RequestId: 'req' } } });
  const keyOk = (key: unknown) => key === undefined || (typeof key === 'string' && /^[A-Za-z0-9]{1,32}$/.test(key));
  const standIn = await startStandIn(
    (request) =>
      verify(request) ??
      (tencentAuthorization(request, { secretId, secretKey }, 'live') === request.headers.authorization
        ? undefined
        : "the SDK's TC3 authorization differs"),
    (why) => fail('AuthFailure.SignatureFailure', why),
    (request) => {
      const action = request.headers['x-tc-action'];
      if (request.headers['x-tc-version'] !== '2018-08-01') return fail('InvalidParameter', 'X-TC-Version');
      if (tencent.throttle > 0) {
        tencent.throttle--;
        return fail('RequestLimitExceeded', 'Your current request times equals to `200` in a second');
      }
      const input = JSON.parse(request.body || '{}');
      switch (action) {
        case 'CreateLiveCallbackTemplate': {
          if (!input.TemplateName) return fail('MissingParameter', 'TemplateName');
          if (!keyOk(input.CallbackKey))
            return fail('InvalidParameterValue', 'CallbackKey: up to 32 letters and digits');
          if (templates.size >= 50) return fail('LimitExceeded', 'at most 50 callback templates');
          const TemplateId = nextId++;
          templates.set(TemplateId, { TemplateId, ...input });
          return ok({ TemplateId });
        }
        case 'ModifyLiveCallbackTemplate': {
          const template = templates.get(input.TemplateId);
          if (!template) return fail('InvalidParameter.TemplateNotFound', 'no such template');
          if (!keyOk(input.CallbackKey))
            return fail('InvalidParameterValue', 'CallbackKey: up to 32 letters and digits');
          Object.assign(template, input);
          return ok({});
        }
        case 'DescribeLiveCallbackTemplate': {
          const template = templates.get(input.TemplateId);
          return template ? ok({ Template: template }) : fail('InvalidParameter.TemplateNotFound', 'no such template');
        }
        case 'DeleteLiveCallbackTemplate':
          if (rules.some((rule) => rule.TemplateId === input.TemplateId))
            return fail('FailedOperation', 'the template is bound');
          return templates.delete(input.TemplateId)
            ? ok({})
            : fail('InvalidParameter.TemplateNotFound', 'no such template');
        case 'DescribeLiveCallbackTemplates':
          return ok({ Templates: [...templates.values()] });
        case 'CreateLiveCallbackRule': {
          if (!domains.includes(input.DomainName))
            return fail('ResourceNotFound.DomainNotExist', 'domain does not exist');
          if (!templates.has(input.TemplateId)) return fail('InvalidParameter.TemplateNotFound', 'no such template');
          const at = rules.findIndex(
            (rule) => rule.DomainName === input.DomainName && rule.AppName === (input.AppName ?? ''),
          );
          if (at >= 0) return fail('FailedOperation.RuleAlreadyExist', 'a rule exists for this domain and path');
          rules.push({ DomainName: input.DomainName, AppName: input.AppName ?? '', TemplateId: input.TemplateId });
          return ok({});
        }
        case 'DescribeLiveStreamOnlineList': {
          const page = input.PageNum ?? 1;
          const size = input.PageSize ?? 10;
          if (!(Number.isInteger(page) && page >= 1 && Number.isInteger(size) && size >= 10 && size <= 100))
            return fail('InvalidParameterValue', 'PageNum is from 1, PageSize from 10 to 100');
          if (input.DomainName !== undefined && !domains.includes(input.DomainName))
            return fail('ResourceNotFound.DomainNotExist', 'domain does not exist');
          if (tencent.failPage === page) return fail('InternalError', 'internal error');
          const list = tencent.online.filter((info) => !input.DomainName || info.DomainName === input.DomainName);
          const { items, totalPages } = pageOf(list, page, size);
          return ok({ TotalNum: list.length, TotalPage: totalPages, PageNum: page, PageSize: size, OnlineInfo: items });
        }
        case 'DescribeLiveCallbackRules':
          return ok({ Rules: rules });
        case 'DescribeCallbackRecordsList': {
          if (!input.StreamName) return fail('MissingParameter', 'StreamName');
          const list = records
            .filter((record) => record.StreamId === input.StreamName)
            .map(({ url: _url, ...record }) => record);
          return ok({ DataInfoList: list, PageNum: 1, PageSize: input.PageSize, TotalNum: list.length, TotalPage: 1 });
        }
        default:
          return fail('InvalidAction', `${action} is not served here`);
      }
    },
  );
  const tencent: TencentStandIn = Object.assign(standIn, {
    templates,
    rules,
    online: [] as TencentStandIn['online'],
    failPage: 0,
    throttle: 0,
    async deliver(domain: string, kind: 'start' | 'stop', stream: string, app = '') {
      const rule = rules.find((r) => r.DomainName === domain && (r.AppName === '' || r.AppName === app));
      const template = rule && templates.get(rule.TemplateId);
      if (!template) throw new Error(`no callback rule binds ${domain}`);
      const t = Math.floor(Date.now() / 1000) + 600;
      const now = Math.floor(Date.now() / 1000);
      const body = JSON.stringify({
        event_type: kind === 'start' ? 1 : 0,
        appid: 1250000001,
        app: domain,
        appname: app || 'live',
        stream_id: stream,
        channel_id: stream,
        event_time: now,
        sequence: String(now - (now % 3600)),
        node: '100.121.160.92',
        user_ip: '198.51.100.20',
        stream_param: '',
        ...(kind === 'stop' ? { push_duration: '1000', errcode: 1, errmsg: 'recv rtmp deleteStream' } : {}),
        t,
        // Tencent's callback signature: md5 of the key and t.
        sign: createHash('md5')
          .update(`${template.CallbackKey ?? ''}${t}`)
          .digest('hex'),
      });
      const url = kind === 'start' ? template.StreamBeginNotifyUrl! : template.StreamEndNotifyUrl!;
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const text = await response.text();
      records.push({
        url,
        EventTime: new Date().toISOString(),
        EventType: kind === 'start' ? 1 : 0,
        Request: body,
        Response: text,
        ResultCode: response.status === 200 ? 0 : response.status,
        StreamId: stream,
      });
      return { status: response.status, body: text };
    },
    async redeliverLast(stream: string) {
      const last = records.filter((record) => record.StreamId === stream).at(-1);
      if (!last) throw new Error(`nothing was delivered for ${stream}`);
      const response = await fetch(last.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: last.Request,
      });
      return { status: response.status, body: await response.text() };
    },
  });
  return tencent;
}
