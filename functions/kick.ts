import { createHandler } from '../shared/handler';
import { kick } from '../shared/providers/kick';

/** The kick callback receiver, behind its Lambda Function URL. */
export const handler = createHandler(kick);
