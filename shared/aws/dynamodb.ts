/**
 * DynamoDB over the light client (core.ts): `send(operation, input)` takes and gives the
 * wire API's own shapes (TableName, Key, Item, ConditionExpression, ...: the names the
 * AWS SDK's command inputs have), and `marshall`/`unmarshall` convert plain values.
 */
import type {
  AttributeValue,
  CreateTableInput,
  CreateTableOutput,
  DescribeTableInput,
  DescribeTableOutput,
  GetItemInput,
  GetItemOutput,
  ListTablesInput,
  ListTablesOutput,
  PutItemInput,
  PutItemOutput,
  QueryInput,
  QueryOutput,
  ScanInput,
  ScanOutput,
  UpdateItemInput,
  UpdateItemOutput,
} from '@aws-sdk/client-dynamodb';
import { awsJsonClient, type AwsClientOptions, type CallOptions } from './core';

export type { AttributeValue };

/**
 * The operations the store and the reader make, each with its input and output; and those
 * the local tools set up and find a local engine with (ListTables, DescribeTable, CreateTable).
 */
export interface DynamoOperations {
  PutItem: [PutItemInput, PutItemOutput];
  UpdateItem: [UpdateItemInput, UpdateItemOutput];
  GetItem: [GetItemInput, GetItemOutput];
  Query: [QueryInput, QueryOutput];
  Scan: [ScanInput, ScanOutput];
  ListTables: [ListTablesInput, ListTablesOutput];
  DescribeTable: [DescribeTableInput, DescribeTableOutput];
  CreateTable: [CreateTableInput, CreateTableOutput];
}

/** A DynamoDB client: one call per operation, in the wire API's shapes. */
export interface DynamoClient {
  /** What this client talks to (and what keeps an AWS SDK client, whose `send` takes commands, from passing for one). */
  readonly service: 'dynamodb';
  send: <Op extends keyof DynamoOperations>(
    operation: Op,
    input: DynamoOperations[Op][0],
    options?: CallOptions,
  ) => Promise<DynamoOperations[Op][1]>;
}

/**
 * A DynamoDB client. Endpoint, region and credentials come from the standard AWS variables
 * (`AWS_ENDPOINT_URL_DYNAMODB` for a local engine) unless `options` names them.
 */
export function createDynamoClient(options: AwsClientOptions = {}): DynamoClient {
  const call = awsJsonClient(
    {
      envName: 'DYNAMODB',
      endpointPrefix: 'dynamodb',
      signingName: 'dynamodb',
      targetPrefix: 'DynamoDB_20120810',
      jsonVersion: '1.0',
    },
    options,
  );
  return { service: 'dynamodb', send: (operation, input, callOptions) => call(operation, input, callOptions) };
}

/** A DynamoDB item: attribute values by name. */
export type Item = Record<string, AttributeValue>;

/**
 * Plain values (from JSON: strings, numbers, booleans, null, arrays, plain objects; and
 * non-empty Sets of strings or of numbers) as attribute values, undefined ones left out:
 * what the SDK's `marshall` with `removeUndefinedValues` gives for them.
 */
export function marshall(values: Record<string, unknown>): Item {
  const item: Item = {};
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined) item[name] = toAttribute(value);
  }
  return item;
}

function toAttribute(value: unknown): AttributeValue {
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'boolean':
      return { BOOL: value };
    case 'bigint':
      return { N: value.toString() };
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`${value} cannot be stored: DynamoDB numbers are finite.`);
      if (!Number.isSafeInteger(value) && Number.isInteger(value)) {
        throw new TypeError(`${value} is outside the safe integers: store it as a string or a bigint.`);
      }
      return { N: String(value) };
    case 'object': {
      if (value === null) return { NULL: true };
      if (Array.isArray(value)) return { L: value.filter((entry) => entry !== undefined).map(toAttribute) };
      if (value instanceof Set) return toSet(value);
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype === Object.prototype || prototype === null) {
        return { M: marshall(value as Record<string, unknown>) };
      }
    }
  }
  throw new TypeError(
    `A ${typeof value} cannot be stored: give plain JSON values or Sets (a class instance, a Map, a Date: convert it first).`,
  );
}

/** A Set as a string set or a number set; DynamoDB has no empty set (leave it out) and no set of mixed types. */
function toSet(set: Set<unknown>): AttributeValue {
  const members = [...set];
  if (members.length === 0)
    throw new TypeError('An empty Set cannot be stored: DynamoDB sets are never empty; leave it out.');
  if (members.every((member) => typeof member === 'string')) return { SS: members };
  if (members.every((member) => typeof member === 'number' || typeof member === 'bigint')) {
    return { NS: members.map((member) => toAttribute(member).N!) };
  }
  throw new TypeError('A Set of mixed or other types cannot be stored: give a Set of strings or a Set of numbers.');
}

/** Attribute values as plain values: what the SDK's `unmarshall` gives (sets as Sets, numbers as numbers). */
export function unmarshall(item: Item): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, attribute] of Object.entries(item)) values[name] = fromAttribute(attribute);
  return values;
}

function fromAttribute(attribute: AttributeValue): unknown {
  if (attribute.S !== undefined) return attribute.S;
  if (attribute.N !== undefined) return toNumber(attribute.N);
  if (attribute.BOOL !== undefined) return attribute.BOOL;
  if (attribute.NULL !== undefined) return null;
  if (attribute.L !== undefined) return attribute.L.map(fromAttribute);
  if (attribute.M !== undefined) return unmarshall(attribute.M);
  if (attribute.SS !== undefined) return new Set(attribute.SS);
  if (attribute.NS !== undefined) return new Set(attribute.NS.map(toNumber));
  // Binary comes as base64 on the wire.
  if (attribute.B !== undefined) return Buffer.from(attribute.B as unknown as string, 'base64');
  if (attribute.BS !== undefined)
    return new Set(attribute.BS.map((b) => Buffer.from(b as unknown as string, 'base64')));
  throw new TypeError(`Unknown attribute value ${Object.keys(attribute).join(', ')}.`);
}

function toNumber(text: string): number {
  const number = Number(text);
  if (Number.isInteger(number) && !Number.isSafeInteger(number)) {
    throw new RangeError(`${text} is outside the safe integers: it cannot be read as a number without loss.`);
  }
  return number;
}
