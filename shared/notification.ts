import * as v from 'valibot';
import { StreamEventSchema, type StreamEvent } from './record';
import { sha256Hex } from './signature';

/** What a notification says happened, in the order docs/notifications.md lists them. */
export const notificationTypes = [
  'stream.started',
  'stream.stopped',
  'stream.failover',
  'push.started',
  'push.stopped',
] as const;

/**
 * The notification sent for every accepted start or stop, version 2 (docs/notifications.md).
 * Written once here; the TypeScript type is inferred from it, and
 * docs/notification.schema.json is generated from it for consumers in other languages.
 * Built inside a function marked pure, as the record's schema is, so that a function's
 * bundle (which only builds notifications) leaves it out.
 */
export const StreamNotificationSchema = /* @__PURE__ */ (() => {
  const isoTime = (what: string) => v.pipe(v.string(), v.isoTimestamp(), v.description(what));
  const about = <T extends v.GenericSchema>(schema: T, what: string) => v.pipe(schema, v.description(what));
  return v.pipe(
    v.object({
      v: v.literal(2),
      id: about(
        v.pipe(v.string(), v.regex(/^[0-9a-f]{32}$/)),
        'The same for every delivery of one callback: the record’s id, or for a logical stream’s notification one derived from it. Deduplicate on it.',
      ),
      type: about(
        v.picklist(notificationTypes),
        'What the callback changed: stream.started when the first push opened, stream.stopped when the last closed, stream.failover when another push became the current one while live; push.started or push.stopped when the stream’s state did not change (another push is live, a late or repeated callback, or no table).',
      ),
      streamKey: about(
        v.string(),
        'The stream this notification is about: the record’s, or logical/<name> for a logical stream (docs/behaviour.md §4).',
      ),
      record: StreamEventSchema,
      state: v.optional(
        about(
          v.object({
            live: about(v.boolean(), 'Whether at least one push is open.'),
            since: isoTime('Live: when the run of overlapping pushes still open began. Not live: the latest stop.'),
            sessionId: v.optional(
              about(v.string(), 'The current push (the latest started that is still open), while live.'),
            ),
            openPushes: about(v.number(), 'How many pushes are open.'),
            pushes: about(
              v.array(
                v.object({
                  sessionId: v.string(),
                  startedAt: isoTime('When the push started.'),
                  streamKey: v.optional(about(v.string(), 'The member carrying it, for a logical stream.')),
                }),
              ),
              'The open pushes, oldest first.',
            ),
            currentMember: v.optional(
              about(v.string(), 'For a logical stream: the member stream carrying the current push.'),
            ),
            lastEventAt: isoTime('The latest vendor time among the stream’s callbacks.'),
            changed: about(v.boolean(), 'Whether this callback changed the stream’s state (type is a stream.* one).'),
            order: about(
              v.string(),
              'Orders one stream’s states: of two notifications, the one with the greater order (compared as text) holds.',
            ),
          }),
          'The stream’s state after this callback, as the table holds it. Absent without a table.',
        ),
      ),
      session: v.optional(
        about(
          v.object({
            sessionId: v.string(),
            startedAt: v.optional(isoTime('When the push started, when known.')),
            stoppedAt: v.optional(isoTime('When the push stopped, when known.')),
            durationMs: v.optional(about(v.number(), 'From start to stop, in milliseconds, when both are known.')),
          }),
          'The push this callback belongs to, as far as known. Absent without a table.',
        ),
      ),
      trimmed: v.optional(
        about(
          v.literal(true),
          'Set when record.raw was emptied and record.params left out to keep the message under 256 KB; the table has both.',
        ),
      ),
    }),
    v.title('StreamNotification'),
    v.description('Sent for every accepted start or stop, version 2 (docs/notifications.md).'),
  );
})();

/** A notification, as consumers receive it. */
export type StreamNotification = v.InferOutput<typeof StreamNotificationSchema>;

/** What the store knows after a callback: the stream's state and the callback's session. */
export type StoreNotice = Required<Pick<StreamNotification, 'state' | 'session'>>;

/** What the store says a callback did to one stream: its own, or a logical stream it is a member of. */
export interface Announcement {
  /** The notification's id: the record's, or one derived from it for a logical stream. */
  id: string;
  type: StreamNotification['type'];
  streamKey: string;
  notice: StoreNotice;
}

/**
 * The notification of a stored record: with the store's announcement, or without a table
 * the record alone. The same record and announcement give the same notification: the
 * store keeps a callback's first announcement and hands it back to a retry.
 */
export function notificationOf(record: StreamEvent, announcement?: Announcement): StreamNotification {
  if (!announcement) {
    const type = record.kind === 'start' ? 'push.started' : 'push.stopped';
    return { v: 2, id: record.id, type, streamKey: record.streamKey, record };
  }
  const { id, type, streamKey, notice } = announcement;
  return { v: 2, id, type, streamKey, record, ...notice };
}

/**
 * What a message may carry: an EventBridge entry is under 256 KB (SQS takes up to 1 MiB,
 * 256 KB by default), less room for the entry's source, detail type and time.
 */
const maxMessageBytes = 250 * 1024;

/**
 * A notification as JSON, within the destinations' size limit. JSON can be six times the
 * text it holds (a control character is written `\u0001`), and a message that no
 * destination takes would never be delivered: past the limit, the record's `raw` and
 * `params` (the parts a pusher controls; the table keeps them) are left out, and it says so.
 */
export function notificationJson(notification: StreamNotification): string {
  const json = JSON.stringify(notification);
  if (json.length * 3 <= maxMessageBytes || Buffer.byteLength(json) <= maxMessageBytes) return json;
  const { params: _params, ...record } = notification.record;
  return JSON.stringify({ ...notification, record: { ...record, raw: '' }, trimmed: true });
}

/** SQS's MessageGroupId: 1 to 128 characters, letters, digits and punctuation. */
const groupIdCharacters = /^[!-~]{1,128}$/;

/**
 * The FIFO message group of a stream: its key as it is when SQS takes it, else `sha256:`
 * and the key's digest (a stream key never begins with that). One stream, one group, so
 * its notifications are delivered in the order they were sent.
 */
export function messageGroupOf(streamKey: string): string {
  return groupIdCharacters.test(streamKey) ? streamKey : `sha256:${sha256Hex(streamKey)}`;
}
