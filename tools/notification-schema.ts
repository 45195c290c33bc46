/**
 * docs/notification.schema.json, generated from the valibot schema in
 * shared/notification.ts (the one source) by @valibot/to-json-schema. `npm run schema`
 * rewrites it; test/unit/tools/notification-schema.test.ts fails while it is stale.
 */
import { toJsonSchema } from '@valibot/to-json-schema';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { StreamNotificationSchema } from '../shared/notification';
import { StreamEventSchema } from '../shared/record';

/** Where the generated schema lives. */
export const schemaFile = fileURLToPath(new URL('../docs/notification.schema.json', import.meta.url));

/** The notification's JSON Schema (draft-07), the record a definition of its own, as text. */
export function notificationJsonSchema(): string {
  const schema = toJsonSchema(StreamNotificationSchema, {
    target: 'draft-07',
    definitions: { StreamEvent: StreamEventSchema },
  });
  return `${JSON.stringify(schema, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeFileSync(schemaFile, notificationJsonSchema());
