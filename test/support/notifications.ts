import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as v from 'valibot';
import { inject } from 'vitest';
import { StreamNotificationSchema, type StreamNotification } from '../../shared/notification';
import type { Publisher } from '../../shared/publishers/port';
import { createEventBridgeClient } from '../../shared/aws/eventbridge';
import { localQueueClient } from '../../tools/local/embedded-queue';
import { localSqsClient } from '../../tools/local/sdk-clients';

const jsonSchema = JSON.parse(readFileSync(new URL('../../docs/notification.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ strict: true, allErrors: true });
(addFormats as unknown as (ajv: Ajv) => void)(ajv);
const validateJson = ajv.compile(jsonSchema);

/**
 * A notification's body, parsed and checked against both forms of its schema: the
 * generated JSON Schema (what consumers in other languages use, through Ajv) and the
 * valibot schema it comes from. Throws with the first error.
 */
export function checkedNotification(body: string): StreamNotification {
  const value = JSON.parse(body);
  if (!validateJson(value)) throw new Error(`not a notification: ${ajv.errorsText(validateJson.errors)}`);
  return v.parse(StreamNotificationSchema, value);
}

/**
 * A publisher that keeps what it is given (the port's simplest implementation, not a
 * stand-in for SQS): for tests of what the pipeline announces rather than how it travels.
 */
export function keepingPublisher() {
  const notifications: StreamNotification[] = [];
  const publisher: Publisher = {
    publish: async (notification) => void notifications.push(structuredClone(notification)),
  };
  return { publisher, notifications };
}

/**
 * A fresh FIFO queue on the run's SQS engine, the deployed functions' client to it (what a
 * publisher sends with), and a way to take all it holds.
 */
export async function createTestQueue(endpoint = inject('sqsEndpoint')) {
  const admin = localSqsClient(endpoint);
  const { QueueUrl } = await admin.send(
    new CreateQueueCommand({ QueueName: `t-${randomUUID()}.fifo`, Attributes: { FifoQueue: 'true' } }),
  );
  const queueUrl = QueueUrl!;
  return {
    queueUrl,
    client: localQueueClient(endpoint),
    /**
     * Receives and deletes every message waiting, in delivery order. (This engine forgets a
     * deduplication id once its message is deleted, where SQS keeps it five minutes: tests
     * of deduplication take the messages only after every send.)
     */
    async take(): Promise<Message[]> {
      const messages: Message[] = [];
      for (;;) {
        const { Messages = [] } = await admin.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            MessageAttributeNames: ['All'],
            // The name SQS uses now, and the older one that this engine reads.
            MessageSystemAttributeNames: ['All'],
            AttributeNames: ['All'],
          }),
        );
        if (Messages.length === 0) return messages;
        messages.push(...Messages);
        await admin.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
          }),
        );
      }
    },
  };
}

/** How the recorder answers: take events, fail the request as an outage would, or refuse each entry. */
export type RecorderMode = 'accept' | 'unavailable' | 'fail-entries';

/** One entry of a PutEvents request, as the recorder took it. */
export interface RecordedEvent {
  EventBusName?: string;
  Source: string;
  DetailType: string;
  Detail: string;
  Time?: number;
}

const sourcePattern = /^(?=[/.\-_A-Za-z0-9]+)(?!aws\.)/;
const busPattern = /^(arn:aws[\w-]*:events:[a-z]+-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/)?[/.\-_A-Za-z0-9]+$/;

/**
 * What PutEvents would refuse in a request, by the EventBridge API reference
 * (PutEvents, PutEventsRequestEntry) and "Calculating PutEvents event entry size": 1 to 10
 * entries; Source 1-256 characters, not `aws.`; DetailType 1-128; Detail a JSON object;
 * each entry under 256 KB counted as the guide counts it (Time 14 bytes, the strings in
 * UTF-8).
 */
export function putEventsViolations(request: { Entries?: RecordedEvent[] }): string[] {
  const entries = request.Entries ?? [];
  const problems: string[] = [];
  if (entries.length < 1 || entries.length > 10) problems.push(`${entries.length} entries (1 to 10)`);
  for (const [index, entry] of entries.entries()) {
    const at = `entry ${index}`;
    if (typeof entry.Source !== 'string' || entry.Source.length < 1 || entry.Source.length > 256)
      problems.push(`${at}: Source length`);
    else if (!sourcePattern.test(entry.Source)) problems.push(`${at}: Source "${entry.Source}"`);
    if (typeof entry.DetailType !== 'string' || entry.DetailType.length < 1 || entry.DetailType.length > 128)
      problems.push(`${at}: DetailType length`);
    if (entry.EventBusName !== undefined && (entry.EventBusName.length > 1600 || !busPattern.test(entry.EventBusName)))
      problems.push(`${at}: EventBusName "${entry.EventBusName}"`);
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      problems.push(`${at}: Detail is not JSON`);
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail))
      problems.push(`${at}: Detail is not a JSON object`);
    const size =
      (entry.Time === undefined ? 0 : 14) +
      Buffer.byteLength(entry.Source ?? '') +
      Buffer.byteLength(entry.DetailType ?? '') +
      Buffer.byteLength(entry.Detail ?? '');
    if (size >= 256 * 1024) problems.push(`${at}: ${size} bytes (under 256 KB)`);
  }
  return problems;
}

const bodyOf = (request: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });

/**
 * A recorder of EventBridge PutEvents requests: a test double by design, as no maintained
 * EventBridge engine runs locally (the npm emulator, serverless-offline-aws-eventbridge,
 * needs serverless-offline and answers every request as a success without checking it).
 * It speaks the API's JSON protocol to the real SDK client, refuses what EventBridge would
 * refuse (see {@link putEventsViolations}) and keeps what it took.
 */
export async function startEventBridgeRecorder() {
  const events: RecordedEvent[] = [];
  const violations: string[] = [];
  let mode: RecorderMode = 'accept';
  const serve = async (request: IncomingMessage, response: ServerResponse) => {
    const target = request.headers['x-amz-target'];
    const text = await bodyOf(request);
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify(body));
    };
    if (target !== 'AWSEvents.PutEvents') return answer(400, { __type: 'UnknownOperationException' });
    if (mode === 'unavailable') return answer(500, { __type: 'InternalException', message: 'recorder: unavailable' });
    const put = JSON.parse(text) as { Entries?: RecordedEvent[] };
    const problems = putEventsViolations(put);
    if (problems.length > 0) {
      violations.push(...problems);
      return answer(400, { __type: 'ValidationException', message: problems.join('; ') });
    }
    const entries = put.Entries!;
    if (mode === 'fail-entries') {
      return answer(200, {
        FailedEntryCount: entries.length,
        Entries: entries.map(() => ({ ErrorCode: 'InternalFailure', ErrorMessage: 'recorder: refused' })),
      });
    }
    events.push(...entries);
    answer(200, { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: randomUUID() })) });
  };
  const server = createServer((request, response) => void serve(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    /** Every event taken, in order. */
    events,
    /** Everything refused as EventBridge would refuse it: a test expects none. */
    violations,
    set mode(next: RecorderMode) {
      mode = next;
    },
    /** The deployed functions' EventBridge client (shared/aws/eventbridge.ts), pointed at the recorder. */
    client: () =>
      createEventBridgeClient({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 1,
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
