import { createHandler } from '../shared/handler';
import { mux } from '../shared/providers/mux';

/** The mux callback receiver, behind its Lambda Function URL. */
export const handler = createHandler(mux);
