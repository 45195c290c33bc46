import { createHandler } from '../shared/handler';
import { twitch } from '../shared/providers/twitch';

/** The twitch callback receiver, behind its Lambda Function URL. */
export const handler = createHandler(twitch);
