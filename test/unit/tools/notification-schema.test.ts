import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { notificationJsonSchema, schemaFile } from '../../../tools/notification-schema';

it('docs/notification.schema.json is what shared/notification.ts generates (npm run schema)', () => {
  expect(readFileSync(schemaFile, 'utf8')).toBe(notificationJsonSchema());
});
