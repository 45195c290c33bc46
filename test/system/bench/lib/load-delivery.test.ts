import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { auditDeliveries, requestAt, type LoadCallback } from '../../../../bench/lib/load-delivery';
import { envPrefix } from '../../../../shared/config';
import { createHandler } from '../../../../shared/handler';
import { httpProviderOf, providerNames, providerOf, signsWithKey } from '../../../../tools/providers';
import { vendorEvent } from '../../../../tools/vendor-requests';
import { createTestTable } from '../../../support/dynamo';

// The signing vendors whose events carry their time: the load test replays minutes of them.
const signing = providerNames.filter((name) => signsWithKey(name) && providerOf(name).adapter.eventTimeField);

describe('requestAt', () => {
  it.each(signing)(
    '%s: a push that happened long before its send is signed at the send, and stored at its own times',
    async (provider) => {
      const { adapter, samples } = httpProviderOf(provider);
      const key = samples.keyEntry?.('load-delivery-secret') ?? 'load-delivery-secret';
      const table = await createTestTable();
      // The load test's settings: a window wide enough for minutes of history.
      const handler = createHandler(adapter, {
        env: { [`${envPrefix(provider)}KEYS`]: key, [`${envPrefix(provider)}WINDOW_PAST`]: '1800' },
        store: table.store,
      });
      const sendSec = Math.floor(Date.now() / 1000);
      // Two pushes of one stream, ten minutes ago (past LiveKit's five-minute token), all
      // sent in the same second.
      const pushes = [sendSec - 600, sendSec - 580];
      const callbacks: LoadCallback[] = pushes.flatMap((startSec) =>
        (['start', 'stop'] as const).map((kind) => {
          const atSec = kind === 'start' ? startSec : startSec + 10;
          const fields = samples.sample({ kind, stream: 'load-0', sessionSec: startSec, timeSec: atSec });
          return { provider, streamKey: 'unused', kind, atSec, fields };
        }),
      );
      for (const callback of callbacks) {
        const result = await handler(
          vendorEvent(provider, requestAt(callback, sendSec, key), undefined),
          {} as Context,
        );
        expect(JSON.parse(result.body ?? '{}')).toMatchObject({ code: 0 });
      }
      const stored = await table.store.listEvents();
      expect(stored.map((event) => Date.parse(event.occurredAt) / 1000).sort()).toEqual(
        callbacks.map((callback) => callback.atSec).sort(),
      );
    },
  );
});

describe('auditDeliveries', () => {
  it('counts as lost only what was accepted and then missing, and refusals apart by reason', () => {
    const [kept, missing, refused, refusedThenAccepted] = ['a', 'b', 'c', 'd'];
    const audit = auditDeliveries(
      [kept, missing, refused, refusedThenAccepted],
      new Map([
        [kept, new Set(['id-a'])],
        [missing, new Set(['id-b'])],
        [refusedThenAccepted, new Set(['id-d'])],
      ]),
      new Map([
        [refused, ['expired', 'expired']],
        [refusedThenAccepted, ['bad_signature']],
      ]),
      new Set(['id-a', 'id-d']),
    );
    expect(audit).toEqual({ accepted: 3, lost: 1, refused: 1, refusals: { expired: 2, bad_signature: 1 } });
  });
});
