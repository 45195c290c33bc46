import { createHandler } from '../shared/handler';
import { srs } from '../shared/providers/srs';

/** The srs callback receiver, behind its Lambda Function URL. */
export const handler = createHandler(srs);
