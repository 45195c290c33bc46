import { createApiHandler } from '../shared/api';
import { createDynamoClient } from '../shared/store/dynamo-store';
import { createStoreReader, readLegacyIndexesSetting } from '../shared/store/reader';

/** The read API (docs/observability.md), behind its Function URL with AWS_IAM auth. */
export const handler = createApiHandler(
  createStoreReader(process.env.LIVEHOOKS_TABLE || 'livehooks', createDynamoClient(), {
    readLegacyIndexes: readLegacyIndexesSetting(process.env),
  }),
);
