import { createHandler } from '../shared/handler';
import { livepeer } from '../shared/providers/livepeer';

/** The livepeer callback receiver, behind its Lambda Function URL. */
export const handler = createHandler(livepeer);
