/**
 * One provider's warm measurement in a process of its own (`bench/run.ts` starts one per
 * provider), so that no other part of the run (its heap, clients and timers) weighs on it.
 * Usage: tsx bench/warm-child.ts <provider> '<options as JSON>'; prints the result as JSON.
 */
import type { ProviderName } from './lib/callbacks';
import { measureWarm } from './warm';

const [provider, options] = process.argv.slice(2);
const result = await measureWarm(provider as ProviderName, JSON.parse(options!) as Parameters<typeof measureWarm>[1]);
process.stdout.write(`${JSON.stringify(result)}\n`);
