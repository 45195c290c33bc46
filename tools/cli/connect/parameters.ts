import { GetParametersByPathCommand, PutParameterCommand, SSMClient, type Parameter } from '@aws-sdk/client-ssm';
import { commaList } from '../../../shared/config';
import { change, WiringError, type Context } from './context';

/** What a provider's SSM path holds: its keys and tokens (newest first) and how it was wired. */
export interface StoredParameters {
  keys: string[];
  tokens: string[];
  /** Non-secret: the vendor options and ids `connect` used, and when a rotation began. */
  connection: Connection;
}

/** What `connect` and `rotate` remember between runs (a plain String parameter, no secret). */
export interface Connection {
  options?: Record<string, unknown>;
  /** Vendor-side ids: Tencent's template, Mux's webhooks, Cloudflare's destination and policy. */
  ids?: Record<string, string>;
  /** When the vendor was switched to the newest key, ISO 8601. */
  rotatedAt?: string;
  /** The earliest time `rotate --finish` may drop the older keys, ISO 8601. */
  keepOlderUntil?: string;
}

/** The SSM path the stack's functions read: serverless.yml's `/livehooks/<stage>/<provider>/`. */
export const parameterPath = (stage: string, provider: string) => `/livehooks/${stage}/${provider}/`;

let client: SSMClient | undefined;
const ssm = () => (client ??= new SSMClient({}));

/** One line for an AWS failure, naming what to fix. */
function awsFailure(error: unknown, action: string, path: string): WiringError {
  const { name, message } = error as Error;
  if (name === 'CredentialsProviderError' || /Could not load credentials|Region is missing/i.test(message)) {
    return new WiringError(
      `no AWS credentials or region for SSM (${message.split('\n')[0]}): set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and AWS_REGION to the stack's region`,
    );
  }
  if (/AccessDenied|UnauthorizedOperation|UnrecognizedClient|InvalidSignature|SignatureDoesNotMatch/.test(name)) {
    return new WiringError(
      `AWS refused ${action} on ${path}* (${name}): the credentials need ssm:GetParametersByPath and ssm:PutParameter on arn:aws:ssm:<region>:<account>:parameter${path}*`,
    );
  }
  return new WiringError(`SSM ${action} on ${path} failed (${name}: ${message.split('\n')[0]})`);
}

/** Reads the provider's parameters; absent ones are empty. */
export async function readParameters(ctx: Context): Promise<StoredParameters> {
  const path = parameterPath(ctx.stage, ctx.provider);
  const found: Parameter[] = [];
  try {
    let NextToken: string | undefined;
    do {
      const page = await ssm().send(new GetParametersByPathCommand({ Path: path, WithDecryption: true, NextToken }));
      found.push(...(page.Parameters ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
  } catch (error) {
    throw awsFailure(error, 'ssm:GetParametersByPath', path);
  }
  const value = (name: string) => found.find((parameter) => parameter.Name === `${path}${name}`)?.Value;
  const stored = {
    keys: commaList(value('keys')),
    tokens: commaList(value('tokens')),
    connection: JSON.parse(value('connection') ?? '{}') as Connection,
  };
  ctx.secrets.push(...stored.keys, ...stored.tokens);
  return stored;
}

/** Writes the provider's `keys` or `tokens` (newest first), a SecureString, as the functions read it. */
export async function writeSecrets(ctx: Context, kind: 'keys' | 'tokens', values: readonly string[]): Promise<void> {
  const Name = `${parameterPath(ctx.stage, ctx.provider)}${kind}`;
  ctx.secrets.push(...values);
  const params = { Name, Type: 'SecureString', Value: values.join(','), Overwrite: true } as const;
  await change(ctx, 'SSM PutParameter', params, async () => {
    try {
      await ssm().send(new PutParameterCommand(params));
    } catch (error) {
      throw awsFailure(error, 'ssm:PutParameter', parameterPath(ctx.stage, ctx.provider));
    }
  });
}

/** Remembers how the provider was wired (no secret in it). */
export async function writeConnection(ctx: Context, connection: Connection): Promise<void> {
  const params = {
    Name: `${parameterPath(ctx.stage, ctx.provider)}connection`,
    Type: 'String',
    Value: JSON.stringify(connection),
    Overwrite: true,
  } as const;
  await change(ctx, 'SSM PutParameter', params, async () => {
    try {
      await ssm().send(new PutParameterCommand(params));
    } catch (error) {
      throw awsFailure(error, 'ssm:PutParameter', parameterPath(ctx.stage, ctx.provider));
    }
  });
}
