/**
 * A stand-in AWS JSON endpoint for the light client's unit tests (shared/aws/): it checks
 * every request's SigV4 signature with the AWS SDK's own signer (@smithy/signature-v4, a
 * second implementation, never ours), keeps what it was sent, and answers what the test
 * says. The services themselves are tested against the real engines (dynalite,
 * local-aws-sqs) elsewhere; this is for what no engine does on cue.
 */
import { SignatureV4 } from '@smithy/signature-v4';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** SHA-256 as the SDK's signer asks for it, from node:crypto. */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}
const toBytes = (data: string | ArrayBuffer | ArrayBufferView) =>
  typeof data === 'string'
    ? data
    : ArrayBuffer.isView(data)
      ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      : new Uint8Array(data);

/** The keys the stand-in checks signatures with. */
export const standInCredentials = {
  accessKeyId: 'AKIDSTANDIN',
  secretAccessKey: 'stand-in-secret',
  sessionToken: 'stand-in-session-token',
};

/** One request as the stand-in took it. */
export interface TakenRequest {
  target: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown>;
  /** Whether the SDK's signer, given the same request, credentials, region and service, signs it alike. */
  signatureValid: boolean;
  /** The region and service in the signature's scope. */
  scope: { region: string; service: string };
}

/** What the stand-in answers one request with: a status and a JSON body, or nothing at all. */
export type StandInAnswer = { status: number; body?: unknown; headers?: Record<string, string> } | 'hang';

/**
 * Starts the stand-in. `answer` is asked for each request, with its index; `credentials`
 * are those it checks signatures with.
 */
export async function startAwsStandIn(
  answer: (request: TakenRequest, index: number) => StandInAnswer = () => ({ status: 200, body: {} }),
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = standInCredentials,
) {
  const requests: TakenRequest[] = [];
  const hanging = new Set<ServerResponse>();
  let connections = 0;
  const server = createServer(
    (request, response) =>
      void (async () => {
        let text = '';
        for await (const chunk of request) text += chunk;
        const authorization = String(request.headers.authorization ?? '');
        const [, date, region, service] =
          /Credential=[^/]+\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization) ?? [];
        const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
        const headers = Object.fromEntries(signedHeaders.map((name) => [name, String(request.headers[name] ?? '')]));
        const amzDate = String(request.headers['x-amz-date'] ?? '');
        const signer = new SignatureV4({
          credentials,
          region: region ?? '',
          service: service ?? '',
          sha256: Sha256,
          applyChecksum: false,
        });
        const signed = await signer.sign(
          {
            method: request.method!,
            protocol: 'http:',
            hostname: '127.0.0.1',
            path: request.url!,
            headers,
            body: text,
          },
          {
            signingDate: new Date(
              `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
            ),
          },
        );
        const taken: TakenRequest = {
          target: String(request.headers['x-amz-target'] ?? ''),
          headers: request.headers,
          body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
          signatureValid:
            date === amzDate.slice(0, 8) &&
            signedHeaders.includes('host') &&
            String(signed.headers.authorization) === authorization,
          scope: { region: region ?? '', service: service ?? '' },
        };
        requests.push(taken);
        const reply = answer(taken, requests.length - 1);
        if (reply === 'hang') return void hanging.add(response);
        response.writeHead(reply.status, { 'content-type': 'application/x-amz-json-1.0', ...reply.headers });
        response.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
      })(),
  );
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Every request taken, in order. */
    requests,
    /** How many TCP connections were opened to it. */
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
