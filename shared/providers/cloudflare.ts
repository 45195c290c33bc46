import * as v from 'valibot';
import { jsonRequest, type ProviderAdapter, type VendorSamples } from '../provider';
import type { EventKind } from '../record';
import { rfc3339Field } from '../fields';
import { Rejection } from '../answer';

/** A Cloudflare Stream live input notification, `live_input.connected` or `.disconnected` (docs/vendors.md, Cloudflare). */
export const CloudflareNotificationSchema = v.object({
  data: v.object({
    event_type: v.picklist(['live_input.connected', 'live_input.disconnected']),
    input_id: v.pipe(v.string(), v.minLength(1)),
    updated_at: rfc3339Field,
  }),
});

/** A validated Cloudflare notification. */
export type CloudflareNotification = v.InferOutput<typeof CloudflareNotificationSchema>;

const kinds = new Map<string, EventKind>([
  ['live_input.connected', 'start'],
  ['live_input.disconnected', 'stop'],
]);

/**
 * Cloudflare Stream live input notifications (`POST /cloudflare`), sent by Cloudflare
 * Notifications to a webhook destination. They are not signed: the destination's secret
 * travels as it is in the `cf-webhook-auth` header, and is checked as a token
 * (`LIVEHOOKS_CLOUDFLARE_TOKENS`). There is no session value: a disconnection belongs to
 * the latest connection before it.
 */
export const cloudflare: ProviderAdapter<CloudflareNotification> = {
  name: 'cloudflare',
  method: 'POST',
  format: 'json',
  signed: false,
  tokenHeader: 'cf-webhook-auth',
  pairByTime: true,
  eventTimeField: 'updated_at',

  kindOf(fields) {
    const data = fields.data;
    // The test a destination is saved with carries only `text`; `live_input.errored`
    // reports a fault while the encoder may stay connected (its end is `disconnected`).
    if (data === undefined) return null;
    if (typeof data !== 'object' || data === null) throw new Rejection('bad_field', 'data: expected an object');
    const type = (data as Record<string, unknown>).event_type;
    if (type === undefined) throw new Rejection('missing_field', 'data.event_type is missing');
    return kinds.get(type as string) ?? null;
  },

  schema: CloudflareNotificationSchema,

  normalize({ data }, kind) {
    return {
      kind,
      // An input id is unique across accounts; `account_id` is not always sent.
      domain: '',
      app: '',
      stream: data.input_id,
      occurredAtMs: data.updated_at,
    };
  },
};

/** Cloudflare's sample notifications, for the CLI, the bench and the tests (not in a bundle). */
export const cloudflareSamples: VendorSamples = {
  vendor: 'Cloudflare Stream Live',
  sample: ({ kind, stream, timeSec }) => {
    const event = kind === 'start' ? 'live_input.connected' : 'live_input.disconnected';
    // Nanoseconds, as Cloudflare writes them; the notification itself follows a few seconds later.
    const updatedAt = new Date(timeSec * 1000).toISOString().replace('Z', '000000Z');
    return {
      name: 'Live Webhook Test',
      text: `Notification type: Stream Live Input\nInput ID: ${stream}\nEvent type: ${event}\nUpdated at: ${updatedAt}`,
      data: {
        notification_name: 'Stream Live Input',
        input_id: stream,
        event_type: event,
        updated_at: updatedAt,
      },
      ts: timeSec + 3,
    };
  },
  otherEvents: ({ stream, timeSec }) => [
    {
      text: 'Hello World! This is a test message sent from https://cloudflare.com. If you can see this, your webhook is configured properly.',
    },
    {
      name: 'Live Webhook Test',
      text: `Notification type: Stream Live Input\nInput ID: ${stream}\nEvent type: live_input.errored`,
      data: {
        notification_name: 'Stream Live Input',
        input_id: stream,
        event_type: 'live_input.errored',
        updated_at: new Date(timeSec * 1000).toISOString(),
        live_input_errored: {
          error: { code: 'ERR_GOP_OUT_OF_RANGE', message: 'Input GOP size or keyframe interval is out of range.' },
          video_codec: '',
          audio_codec: '',
        },
      },
      ts: timeSec + 3,
    },
  ],
  // Cloudflare cannot sign: the destination's secret, in `cf-webhook-auth` (or a URL token).
  sign: (fields) => jsonRequest(fields),
  exampleSecret: 'cloudflare-destination-secret',
  probe: { required: 'data.input_id', mistyped: { field: 'data', value: 'live_input.connected' } },
};
