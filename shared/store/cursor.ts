/**
 * The read API's page tokens (`next`): where a listing stopped, as base64url JSON. A token
 * comes back from the caller, so it is checked before DynamoDB sees it: exactly the key
 * attributes of the table or index the listing reads, each a bounded, well-formed string,
 * in the partition the listing reads (a live stream's shard, the day's refusals or
 * deliveries). The listings of a sharded index read all its shards after the last key
 * they gave, so their tokens carry that key: its shard and its sort key. Anything else is a {@link BadPageToken}, which the API answers 400
 * `bad_cursor`; DynamoDB refuses a start key of another shape or partition with an error
 * that would otherwise surface as a 500.
 */
import { liveShardOf, recentShards, refusalPk } from './table';

/** A page token that is not one this reader wrote. */
export class BadPageToken extends Error {}

/** Where a listing stopped: the day partition it was reading, and the last key read in it. */
export interface Cursor {
  d?: string;
  k?: Record<string, string>;
}

/** The longest token accepted: a key of four attributes at their longest fits well inside. */
export const maxPageTokenChars = 8192;

/** DynamoDB's longest sort key (a partition key may be 2048): no key this table writes is longer. */
const maxKeyValueBytes = 1024;

/** The key attributes a listing's start key has, and what their values must say. */
export interface CursorRule {
  /** Exactly these attributes: the table's keys, and the index's when the listing reads one. */
  keys: readonly string[];
  /** Whether the token carries the day partition it was reading. */
  byDay: boolean;
  /** The key is in the partition the listing reads (`day`: the token's). */
  inPartition(key: Readonly<Record<string, string>>, day: string | undefined): boolean;
}

/** The rules of the reader's listings (reader.ts): a token is checked against its own listing's. */
export const cursorRules = {
  /** The `live-by-shard` index: the last live stream listed, and its shard. */
  liveStreams: {
    keys: ['liveShard', 'streamKey'],
    byDay: false,
    inPartition: (key) => key.liveShard === liveShardOf(key.streamKey!),
  },
  /** A Scan of the table: any item can be where a page stopped. */
  tableScan: { keys: ['pk', 'sk'], byDay: false, inPartition: () => true },
  /** The `recent-by-shard` index, one day's shards: the last delivery listed, and its shard. */
  recentDeliveries: {
    keys: ['recentShard', 'recentAt'],
    byDay: true,
    inPartition: (key, day) => key.recentAt!.startsWith(day!) && recentShards(day!).includes(key.recentShard!),
  },
  /** One day's refusal partition of the table. */
  refusals: { keys: ['pk', 'sk'], byDay: true, inPartition: (key, day) => key.pk === refusalPk(day!) },
} satisfies Record<string, CursorRule>;

/** The token of a cursor. */
export const encodeCursor = (cursor: { d?: string; k?: Record<string, unknown> }): string =>
  Buffer.from(JSON.stringify(cursor)).toString('base64url');

const isDay = (text: unknown): text is string =>
  typeof text === 'string' &&
  /^\d{4}-\d{2}-\d{2}$/.test(text) &&
  // A calendar day: 2026-02-30 would come back as March.
  new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);

const isKeyValue = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.isWellFormed() && Buffer.byteLength(value) <= maxKeyValueBytes;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/**
 * The cursor of a token the listing of `rule` gave (none: the first page).
 *
 * @throws BadPageToken - the token is not one that listing gives
 */
export function decodeCursor(token: string | undefined, rule: CursorRule): Cursor {
  if (token === undefined) return {};
  const refuse = (): never => {
    throw new BadPageToken("next is not a page token this listing gave; pass the `next` of this listing's last page");
  };
  if (token.length > maxPageTokenChars || !/^[A-Za-z0-9_-]+$/.test(token)) refuse();
  let cursor: unknown;
  try {
    cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    refuse();
  }
  if (!isPlainObject(cursor)) return refuse();
  const { d, k, ...rest } = cursor;
  if (Object.keys(rest).length > 0) refuse();
  if (rule.byDay ? !isDay(d) : d !== undefined) refuse();
  if (k === undefined) return rule.byDay ? { d: d as string } : refuse();
  if (!isPlainObject(k)) return refuse();
  const names = Object.keys(k);
  if (names.length !== rule.keys.length || !rule.keys.every((name) => Object.hasOwn(k, name) && isKeyValue(k[name]))) {
    refuse();
  }
  const key = k as Record<string, string>;
  if (!rule.inPartition(key, d as string | undefined)) refuse();
  return rule.byDay ? { d: d as string, k: key } : { k: key };
}
