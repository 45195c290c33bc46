import { createHandler } from '../shared/handler';
import { volcengine } from '../shared/providers/volcengine';

/** The volcengine callback receiver (Volcengine and BytePlus Live), behind its Lambda Function URL. */
export const handler = createHandler(volcengine);
