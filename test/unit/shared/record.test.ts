import { describe, expect, it } from 'vitest';
import {
  buildRecord,
  isSessionStartedBy,
  sessionIdFromOrphanStop,
  sessionIdFromStart,
  streamKeyOf,
  type EventDraft,
} from '../../../shared/record';

const origin = {
  provider: 'srs',
  streamKey: 'srs/d/live/studio',
  raw: '{}',
  receivedAtMs: Date.parse('2026-06-01T12:00:00.123Z'),
};
const draft: EventDraft = { kind: 'start', domain: 'd', app: 'live', stream: 'studio' };

describe('buildRecord', () => {
  it('writes its times in ISO 8601, the vendor time when there is one', () => {
    expect(buildRecord(draft, origin)).toMatchObject({
      receivedAt: '2026-06-01T12:00:00.123Z',
      occurredAt: '2026-06-01T12:00:00.123Z',
    });
    const sent = buildRecord({ ...draft, occurredAtMs: Date.parse('2026-06-01T11:59:58Z') }, origin);
    expect(sent).toMatchObject({ occurredAt: '2026-06-01T11:59:58.000Z', receivedAt: '2026-06-01T12:00:00.123Z' });
  });

  it('gives every delivery of a callback one id, whenever it arrives', () => {
    const withSession = { ...draft, sessionId: 'push-1' };
    const first = buildRecord(withSession, origin);
    const retry = buildRecord(withSession, { ...origin, receivedAtMs: origin.receivedAtMs + 60_000 });
    expect(retry.id).toBe(first.id);
    expect(buildRecord({ ...withSession, kind: 'stop' }, origin).id).not.toBe(first.id);
    expect(buildRecord({ ...withSession, sessionId: 'push-2' }, origin).id).not.toBe(first.id);
  });

  it('derives a session from the time for a vendor without session values', () => {
    const at = '2026-06-01T11:59:58.000Z';
    const timed = { ...draft, occurredAtMs: Date.parse(at), pairingKey: '7' };
    expect(buildRecord(timed, origin).sessionId).toBe(sessionIdFromStart(at, '7'));
    expect(buildRecord({ ...timed, kind: 'stop' }, origin).sessionId).toBe(sessionIdFromOrphanStop(at, '7'));
    expect(isSessionStartedBy(sessionIdFromStart(at, '7'), '7')).toBe(true);
    expect(isSessionStartedBy(sessionIdFromStart(at, '7'), '17')).toBe(false);
  });
});

describe('streamKeyOf', () => {
  it('keeps parts apart whatever they hold', () => {
    expect(streamKeyOf('srs', { domain: 'd', app: 'a/b', stream: 'c' })).not.toBe(
      streamKeyOf('srs', { domain: 'd', app: 'a', stream: 'b/c' }),
    );
  });
});
