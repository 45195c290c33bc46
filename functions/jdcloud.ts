import { createHandler } from '../shared/handler';
import { jdcloud } from '../shared/providers/jdcloud';

/** The jdcloud callback receiver, behind its Lambda Function URL. */
export const handler = createHandler(jdcloud);
