/**
 * Livepeer Studio's webhook signer, ported from its source as the oracle for
 * shared/providers/livepeer.ts (test support only, never bundled). Source:
 * github.com/livepeer/studio at 670a0a664e0a1ec256c3c5ac0df3929b8e3285be:
 *
 * - packages/api/src/controllers/helpers.ts 28–32: `sign(data, secret)`, HMAC-SHA256 of the
 *   data, hex;
 * - packages/api/src/webhooks/cannon.ts 803–811: `signatureHeaders(payload, sharedSecret,
 *   timestamp)`, `Livepeer-Signature: t=<timestamp>,v1=<sign(payload, sharedSecret)>`, and
 *   no header without a secret;
 * - cannon.ts 367–404 (`_fireHook`): `timestamp = Date.now()`, the body
 *   `JSON.stringify({ id, webhookId, createdAt, timestamp, event, stream, payload })` and
 *   `signatureHeaders(params.body, webhook.sharedSecret, timestamp)`.
 *
 * Kept as Livepeer wrote it (its names, its `let`, its `{}` type), types added.
 */
/* eslint-disable prefer-const, @typescript-eslint/no-empty-object-type -- Livepeer's code, kept as written */
import { createHmac } from 'node:crypto';

const SIGNATURE_HEADER = 'Livepeer-Signature';

export function sign(data: string, secret: string) {
  const hmac = createHmac('sha256', secret);
  hmac.update(Buffer.from(data));
  return hmac.digest('hex');
}

export function signatureHeaders(
  payload: string,
  sharedSecret: string,
  timestamp: number,
): { [key: string]: string } | {} {
  if (!sharedSecret) return {};
  let signature = sign(payload, sharedSecret);
  return { [SIGNATURE_HEADER]: `t=${timestamp},v1=${signature}` };
}

/** A stream event as `_fireHook` sends it: its body and its headers (names as Livepeer writes them). */
export function fireHook(
  event: { id: string; timestamp: number; event: string },
  webhook: { id: string; sharedSecret: string },
  stream: object,
  timestamp: number,
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({
    id: event.id,
    webhookId: webhook.id,
    createdAt: event.timestamp,
    timestamp,
    event: event.event,
    stream,
    payload: undefined,
  });
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'livepeer.studio',
    ...signatureHeaders(body, webhook.sharedSecret, timestamp),
  };
  return { body, headers };
}
