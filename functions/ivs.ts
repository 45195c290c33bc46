import { createEventHandler } from '../shared/handler';
import { ivs } from '../shared/providers/ivs';

/** The Amazon IVS receiver, invoked by its EventBridge rule. */
export const handler = createEventHandler(ivs);
