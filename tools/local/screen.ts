/**
 * What `npm start` prints: the engines' and each provider's URL, and whether its checks are
 * on. tools/wiring.ts writes docs/local.md's copy of this screen with the same functions.
 */
import { credentialVariables, envPrefix, type Env } from '../../shared/config';
import { isEventBridgeAdapter, sampleOrigin, type AnyAdapter } from '../../shared/provider';

/** A provider's checks as the screen says them, `env` being the server's (AUTH already defaulted). */
export function checksOf(name: string, adapter: AnyAdapter, env: Env): string {
  // No secret to configure: the event's source, account and region are checked.
  if (isEventBridgeAdapter(adapter)) {
    return `EventBridge events, as a rule in account ${sampleOrigin.account}, ${sampleOrigin.region} delivers them`;
  }
  const prefix = envPrefix(name);
  if (env[`${prefix}AUTH`]?.toLowerCase() === 'off') {
    return `checks OFF (set ${credentialVariables(name, adapter.signed)} to turn them on)`;
  }
  const configured = [
    env[`${prefix}KEYS`] && `${env[`${prefix}KEYS`]!.split(',').length} key(s)`,
    env[`${prefix}TOKENS`] && `${env[`${prefix}TOKENS`]!.split(',').length} token(s)`,
  ].filter(Boolean);
  return `checks on: ${configured.join(', ') || 'nothing configured'}`;
}

/** Where `npm start` runs what. */
export interface StartScreen {
  store: string;
  tableName: string;
  /** `data in <dir>`, or why nothing is written. */
  stored: string;
  queue: string;
  receivers: string;
  /** Each provider's name and checks (checksOf), in the registry's order. */
  providers: readonly (readonly [name: string, checks: string])[];
}

/** The screen's lines. */
export function startScreen({ store, tableName, stored, queue, receivers, providers }: StartScreen): string[] {
  const width = Math.max('store'.length, ...providers.map(([name]) => name.length));
  return [
    'livehooks local receiver',
    `  ${'store'.padEnd(width)}  ${store}  (dynalite, table ${tableName}, ${stored})`,
    `  ${'queue'.padEnd(width)}  ${queue}  (local-aws-sqs, in memory)`,
    ...providers.map(([name, checks]) => `  ${name.padEnd(width)}  ${receivers}/${name}  ${checks}`),
    `  ${'inspector'.padEnd(width)}  ${receivers}/  (the read API at ${receivers}/api)`,
    'Ctrl-C stops it; `npx livehooks streams` shows what it stored, `npx livehooks notifications` what it sent.',
  ];
}
