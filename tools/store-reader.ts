/**
 * Reading back what the receivers stored: for the CLI, the tests and your own tools. Not
 * part of any function's bundle (a receiver only writes), so it is free to use
 * lib-dynamodb's document client and Scans.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { StreamEvent } from '../shared/record';
import { clientOf, createDynamoEventStore, type DynamoStoreOptions } from '../shared/store/dynamo-store';
import type { EventStore } from '../shared/store/port';
import { eventSkPrefix, recordOfItem, stateSk, streamPk, tableIndexes, type StreamState } from '../shared/store/table';
import { sessionsOf, type Session } from './sessions';

/** Everything stored about one stream. */
export interface StreamView {
  state?: StreamState;
  /** Newest first, by the vendor's time. */
  events: StreamEvent[];
  sessions: Session[];
}

/** Reading back what the handlers stored. */
export interface StoreReader {
  /** One stream's state, events and sessions, from one Query on its partition. */
  readStream(streamKey: string): Promise<StreamView>;
  /** The streams that are live now, from the sparse `live-streams` index. */
  listLiveStreams(): Promise<StreamState[]>;
  /** Every stream's state, by stream key. A Scan: for tools and modest tables. */
  listStreams(): Promise<StreamState[]>;
  /** Every stored record, newest first by the vendor's time. A Scan: for tools and modest tables. */
  listEvents(): Promise<StreamEvent[]>;
}

/** A DynamoDB store that writes as a receiver does and also reads back what was stored. */
export function createDynamoStore(options: DynamoStoreOptions): EventStore & StoreReader {
  const client = clientOf(options);
  return {
    ...createDynamoEventStore({ ...options, client: client() }),
    ...createStoreReader(options.tableName, client()),
  };
}

type Item = Record<string, unknown>;

/** A {@link StoreReader} over a table, with lib-dynamodb's document client. */
export function createStoreReader(tableName: string, client: DynamoDBClient): StoreReader {
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  /** Every item of a Query or a Scan, page after page. */
  const all = async (page: (start: Item | undefined) => Promise<{ Items?: Item[]; LastEvaluatedKey?: Item }>) => {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const result = await page(start);
      items.push(...(result.Items ?? []));
      start = result.LastEvaluatedKey;
    } while (start);
    return items;
  };
  const query = (input: ConstructorParameters<typeof QueryCommand>[0]) =>
    all((start) => documents.send(new QueryCommand({ ...input, ExclusiveStartKey: start })));
  const scan = (input: ConstructorParameters<typeof ScanCommand>[0]) =>
    all((start) => documents.send(new ScanCommand({ ...input, ExclusiveStartKey: start, ConsistentRead: true })));

  return {
    async readStream(streamKey) {
      const items = await query({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': streamPk(streamKey) },
        ConsistentRead: true,
      });
      const events = items.filter((item) => String(item.sk).startsWith(eventSkPrefix)).map(recordOfItem);
      const stateItem = items.find((item) => item.sk === stateSk);
      return {
        ...(stateItem ? { state: toState(stateItem) } : {}),
        events: events.sort(newestFirst),
        sessions: sessionsOf(events),
      };
    },
    async listStreams() {
      const items = await scan({
        TableName: tableName,
        FilterExpression: 'sk = :state',
        ExpressionAttributeValues: { ':state': stateSk },
      });
      return items.map(toState).sort((a, b) => a.streamKey.localeCompare(b.streamKey));
    },
    async listEvents() {
      const items = await scan({
        TableName: tableName,
        FilterExpression: 'begins_with(sk, :event)',
        ExpressionAttributeValues: { ':event': eventSkPrefix },
      });
      return items.map(recordOfItem).sort(newestFirst);
    },
    async listLiveStreams() {
      const items = await query({
        TableName: tableName,
        IndexName: tableIndexes.liveStreams,
        KeyConditionExpression: 'liveIndex = :live',
        ExpressionAttributeValues: { ':live': 'live' },
      });
      return items.map(toState);
    },
  };
}

/** Newest first by the vendor's time; at the same time a stop (which follows its start) first. */
const newestFirst = (a: StreamEvent, b: StreamEvent) =>
  b.occurredAt.localeCompare(a.occurredAt) || b.kind.localeCompare(a.kind) || a.id.localeCompare(b.id);

function toState(item: Item): StreamState {
  const { streamKey, provider, domain, app, stream, live, since, sessionId, lastEventId } =
    item as unknown as StreamState;
  return { streamKey, provider, domain, app, stream, live, since, ...(sessionId ? { sessionId } : {}), lastEventId };
}
