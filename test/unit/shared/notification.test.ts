import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  messageGroupOf,
  notificationJson,
  notificationOf,
  type Announcement,
  type StoreNotice,
} from '../../../shared/notification';
import { buildRecord, streamKeyOf, type EventDraft, type StreamEvent } from '../../../shared/record';
import { checkedNotification } from '../../support/notifications';
import { nowMs } from '../../support/providers';

const draft: EventDraft = { kind: 'start', domain: 'push.example.com', app: 'live', stream: 'cam1', sessionId: 's1' };
const recordOf = (changes: Partial<EventDraft> = {}, raw = '{}') => {
  const full = { ...draft, ...changes };
  return buildRecord(full, { provider: 'srs', streamKey: streamKeyOf('srs', full), raw, receivedAtMs: nowMs });
};
const notice: StoreNotice = {
  state: {
    live: true,
    since: '2026-11-23T10:00:00.000Z',
    sessionId: 's1',
    openPushes: 1,
    pushes: [{ sessionId: 's1', startedAt: '2026-11-23T10:00:00.000Z' }],
    lastEventAt: '2026-11-23T10:00:00.000Z',
    changed: true,
    order: 'o',
  },
  session: { sessionId: 's1', startedAt: '2026-11-23T10:00:00.000Z' },
};
const told = (record: StreamEvent): Announcement => ({
  id: record.id,
  type: 'stream.started',
  streamKey: record.streamKey,
  notice,
});

describe('notificationOf', () => {
  it('names what happened, carries the record, and the store’s notice when there is one', () => {
    const record = recordOf();
    expect(notificationOf(record, told(record))).toEqual({
      v: 2,
      id: record.id,
      type: 'stream.started',
      streamKey: record.streamKey,
      record,
      ...notice,
    });
    // Without a table, what the callback says of its push.
    const stop = recordOf({ kind: 'stop' });
    expect(notificationOf(stop)).toEqual({
      v: 2,
      id: stop.id,
      type: 'push.stopped',
      streamKey: stop.streamKey,
      record: stop,
    });
    checkedNotification(notificationJson(notificationOf(stop, undefined)));
  });
});

describe('notificationJson', () => {
  it('is the notification as JSON while it fits', () => {
    const notification = notificationOf(recordOf({ params: { room: '42' } }, '{"a":1}'), told(recordOf()));
    expect(JSON.parse(notificationJson(notification))).toEqual(notification);
  });

  it('stays under 256 KB for any raw and params a pusher can send, and says what it left out', () => {
    // A 64 KB payload of control characters, each written \u0001 in JSON: six times larger.
    fc.assert(
      fc.property(
        fc.constantFrom('\u0001', '"', '\\', 'é', '☃', '\u2028'),
        fc.integer({ min: 1, max: 65_536 }),
        (character, length) => {
          const text = character.repeat(length);
          const notification = notificationOf(recordOf({ params: { p: text } }, text), told(recordOf()));
          const json = notificationJson(notification);
          expect(Buffer.byteLength(json)).toBeLessThan(250 * 1024);
          const sent = checkedNotification(json);
          if (sent.trimmed) {
            expect(sent.record.raw).toBe('');
            expect(sent.record.params).toBeUndefined();
          } else expect(sent).toEqual(notification);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('messageGroupOf', () => {
  it('is the stream key itself when SQS takes it as a group', () => {
    expect(messageGroupOf('srs/__defaultVhost__/live/cam1')).toBe('srs/__defaultVhost__/live/cam1');
    expect(messageGroupOf(`a/b/c/${'x'.repeat(122)}`)).toHaveLength(128);
  });

  it('is sha256: and the key’s digest for any key SQS cannot take (spaces, non-ASCII, over 128)', () => {
    for (const key of ['srs/d/live/cam 1', 'srs/d/live/café', `a/b/c/${'x'.repeat(123)}`, 'srs/d/live/\u0000']) {
      expect(messageGroupOf(key)).toMatch(/^sha256:[0-9a-f]{64}$/);
    }
  });

  it('gives two stream keys two groups, whatever their names (fuzzed)', () => {
    const part = fc.oneof(fc.string({ maxLength: 70 }), fc.string({ unit: 'grapheme', maxLength: 40 }));
    const key = fc
      .tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,9}$/), part, part, part)
      .map(([provider, d, a, s]) => streamKeyOf(provider, { domain: d, app: a, stream: s }));
    fc.assert(
      fc.property(key, key, (a, b) => {
        for (const group of [messageGroupOf(a), messageGroupOf(b)]) expect(group).toMatch(/^[!-~]{1,128}$/);
        expect(messageGroupOf(a) === messageGroupOf(b)).toBe(a === b);
      }),
      { numRuns: 2000 },
    );
  });
});
