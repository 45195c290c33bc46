import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { startStandIn, type SeenRequest, type StandIn } from './stand-in';

const bytes = (data: string | ArrayBuffer | ArrayBufferView) =>
  typeof data === 'string'
    ? Buffer.from(data)
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

/** A stored parameter. */
export interface StoredParameter {
  Value: string;
  Type: string;
  Version: number;
}

/** The SSM stand-in: its parameters by name, and every PutParameter's type. */
export interface SsmStandIn extends StandIn {
  parameters: Map<string, StoredParameter>;
}

/**
 * A stand-in of SSM Parameter Store's JSON API (PutParameter, GetParametersByPath,
 * GetParameter, DeleteParameter), for the SDK through AWS_ENDPOINT_URL_SSM: no SSM engine
 * runs here. Every request's SigV4 signature is recomputed with @smithy/signature-v4 (not
 * the CLI's code) from the signed headers and the body, for `accessKeyId`/`secretAccessKey`.
 */
export async function startSsm(accessKeyId: string, secretAccessKey: string): Promise<SsmStandIn> {
  const parameters = new Map<string, StoredParameter>();
  const verify = (request: SeenRequest): string | undefined => {
    const authorization = request.headers.authorization ?? '';
    const match =
      /Credential=([^/]+)\/(\d{8})\/([^/]+)\/ssm\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]+)/.exec(
        authorization,
      );
    if (!match) return `no SigV4 authorization: ${authorization.slice(0, 40)}`;
    if (match[1] !== accessKeyId) return 'unknown access key';
    return undefined;
  };
  const check = async (request: SeenRequest): Promise<string | undefined> => {
    const [, , , region, signedHeaders, signature] =
      /Credential=([^/]+)\/(\d{8})\/([^/]+)\/ssm\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]+)/.exec(
        request.headers.authorization!,
      )!;
    const signer = new SignatureV4({
      service: 'ssm',
      region: region!,
      credentials: { accessKeyId, secretAccessKey },
      sha256: Sha256,
      // Sign exactly the headers the request signed: smithy would otherwise add and sign an
      // x-amz-content-sha256 that SSM does not require (the functions' own client sends none).
      applyChecksum: false,
    });
    const headers = Object.fromEntries(signedHeaders!.split(';').map((name) => [name, request.headers[name] ?? '']));
    const amzDate = request.headers['x-amz-date']!;
    const date = new Date(
      `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
    );
    const signed = await signer.sign(
      {
        method: request.method,
        protocol: 'http:',
        hostname: request.url.hostname,
        port: Number(request.url.port),
        path: request.url.pathname,
        query: {},
        headers,
        body: request.body,
      },
      { signingDate: date },
    );
    return String(signed.headers.authorization ?? signed.headers.Authorization).endsWith(`Signature=${signature}`)
      ? undefined
      : 'SigV4 signature does not match';
  };
  const error = (status: number, type: string, message: string) => ({ status, body: { __type: type, message } });
  const standIn = await startStandIn(
    verify,
    (why) => error(403, 'UnrecognizedClientException', why),
    async (request) => {
      const bad = await check(request);
      if (bad) {
        standIn.badSignatures.push(bad);
        return error(403, 'InvalidSignatureException', bad);
      }
      const action = request.headers['x-amz-target']?.replace('AmazonSSM.', '');
      const input = JSON.parse(request.body || '{}');
      const view = (Name: string, p: StoredParameter) => ({ Name, Type: p.Type, Value: p.Value, Version: p.Version });
      switch (action) {
        case 'PutParameter': {
          const old = parameters.get(input.Name);
          if (old && !input.Overwrite) return error(400, 'ParameterAlreadyExists', 'The parameter already exists.');
          if (typeof input.Value !== 'string' || input.Value.length === 0 || input.Value.length > 4096) {
            return error(400, 'ValidationException', 'Value length must be 1 to 4096');
          }
          const stored = {
            Value: input.Value,
            Type: input.Type ?? old?.Type ?? 'String',
            Version: (old?.Version ?? 0) + 1,
          };
          parameters.set(input.Name, stored);
          return { status: 200, body: { Version: stored.Version, Tier: 'Standard' } };
        }
        case 'GetParametersByPath': {
          const found = [...parameters].filter(
            ([name]) =>
              name.startsWith(input.Path) && (input.Recursive || !name.slice(input.Path.length).includes('/')),
          );
          return { status: 200, body: { Parameters: found.map(([name, p]) => view(name, p)) } };
        }
        case 'GetParameter': {
          const p = parameters.get(input.Name);
          return p ? { status: 200, body: { Parameter: view(input.Name, p) } } : error(400, 'ParameterNotFound', '');
        }
        case 'DeleteParameter':
          return parameters.delete(input.Name) ? { status: 200, body: {} } : error(400, 'ParameterNotFound', '');
        default:
          return error(400, 'InvalidAction', `${action} is not served here`);
      }
    },
  );
  return Object.assign(standIn, { parameters });
}
