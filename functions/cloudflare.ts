import { createHandler } from '../shared/handler';
import { cloudflare } from '../shared/providers/cloudflare';

/** The cloudflare callback receiver, behind its Lambda Function URL. */
export const handler = createHandler(cloudflare);
