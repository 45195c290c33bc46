import { credentialsOf, defaultCredentialNames, type Credentials } from './redact';
import { compileStreamPatterns, type StreamPatterns } from './stream-patterns';
import type { TimeWindow } from './time-window';
import { readLogicalStreams, type LogicalStreams } from './logical-streams';

/** Where a deployed provider's keys and tokens live, and how long they are trusted. */
export interface SecretParameters {
  /** An SSM path ending in `/`: its parameters `keys` and `tokens` (comma-separated) are read. */
  path: string;
  /** How long values read are used before they are read again: a revocation's delay. */
  maxAgeSeconds: number;
}

/** What one provider's handler is configured with, read once per cold start. */
export interface ProviderConfig {
  /** Signing keys, newest first; a signature made with any of them passes. */
  keys: readonly string[];
  /** URL tokens (query parameter `token`); when any are set, one must match. */
  tokens: readonly string[];
  /** True only when the operator set `LIVEHOOKS_<PROVIDER>_AUTH=off`. */
  authOff: boolean;
  /**
   * True only when the operator set `LIVEHOOKS_AGORA_LEGACY_SIGNATURE=accept` (read by
   * Agora's adapter): its older HMAC-SHA1 header is taken when the current one is absent.
   */
  legacySignature?: boolean;
  /**
   * Kick's `LIVEHOOKS_KICK_BROADCASTERS` (read by Kick's adapter): the broadcasters' user
   * ids whose events are taken. Every Kick app shares one signer, so a delivery meant for
   * another app verifies too; absent, any broadcaster's.
   */
  broadcasters?: ReadonlySet<string>;
  /** Ingest domains that a signature may be made over (Alibaba). */
  domains: readonly string[];
  /**
   * How far the vendor's signed time may lie before now (`past`), and how far any vendor
   * time, signed or the event's own, may lie after it (`future`), in seconds.
   */
  window: TimeWindow;
  /**
   * `LIVEHOOKS_<PROVIDER>_STALE_AFTER`, seconds: an open push started longer ago is flagged
   * stale (never closed) in the state, the read API and the `stalePushes` metric. Off when absent.
   */
  staleAfter?: number;
  /** The logical streams of `LIVEHOOKS_LOGICAL_STREAMS`, by member stream key. */
  logical: LogicalStreams;
  /** Where a deployed function reads its keys and tokens: SSM parameters `keys` and `tokens` under a path. */
  parameters?: SecretParameters;
  /** Stream names a push may start under (`*` matches anything); absent: any name. */
  allowStreams?: StreamPatterns;
  /** Publisher parameters that are push credentials: redacted before storing. */
  credentials: Credentials;
}

/** Environment variables, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The environment-variable prefix of a provider: `nginx-rtmp` → `LIVEHOOKS_NGINX_RTMP_`. */
export function envPrefix(provider: string): string {
  return `LIVEHOOKS_${provider.toUpperCase().replace(/-/g, '_')}_`;
}

/** The variables that turn a provider's checks on: keys where the vendor signs, tokens always. */
export function credentialVariables(provider: string, signed: boolean): string {
  const prefix = envPrefix(provider);
  return signed ? `${prefix}KEYS or ${prefix}TOKENS` : `${prefix}TOKENS`;
}

/** A comma-separated list, items trimmed, empty ones dropped. */
export function commaList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * A whole-number setting (`unit` names it in the message), or `fallback` when unset. Throws
 * on anything else, so that a typo fails the cold start instead of weakening a check.
 */
export function wholeNumberSetting(env: Env, name: string, fallback: number, unit = ''): number {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return fallback;
  if (!/^\d{1,9}$/.test(text)) {
    throw new Error(`${name} must be a whole number${unit && ` of ${unit}`}, got "${text}"`);
  }
  return Number(text);
}

/**
 * A setting that is one of two words, case-insensitively (`on` / `off`, `accept` /
 * `refuse`): true for the first, `fallback` when unset. Throws on anything else.
 */
export function switchSetting(
  env: Env,
  name: string,
  [yes, no]: readonly [string, string],
  fallback: boolean,
): boolean {
  const text = env[name]?.trim().toLowerCase() ?? '';
  if (text === '') return fallback;
  if (text === yes || text === no) return text === yes;
  throw new Error(`${name} must be "${yes}" or "${no}", got "${text}"`);
}

/** For vendors that sign no time: how far ahead of now their event times may lie. */
const unsignedWindow: TimeWindow = { past: 300, future: 60 };

/**
 * Reads a provider's settings from the environment. Throws on a malformed value, so that a
 * typo fails the cold start loudly instead of silently weakening a check.
 *
 * @param defaultWindow - the provider's documented window for its signed time, used
 *   unless overridden; vendors that sign no time get 60 s ahead for their event times
 */
export function readProviderConfig(provider: string, env: Env, defaultWindow = unsignedWindow): ProviderConfig {
  const prefix = envPrefix(provider);
  const config: ProviderConfig = {
    keys: commaList(env[`${prefix}KEYS`]),
    tokens: commaList(env[`${prefix}TOKENS`]),
    authOff: !switchSetting(env, `${prefix}AUTH`, ['on', 'off'], true),
    domains: commaList(env[`${prefix}DOMAINS`]),
    window: {
      past: wholeNumberSetting(env, `${prefix}WINDOW_PAST`, defaultWindow.past, 'seconds'),
      future: wholeNumberSetting(env, `${prefix}WINDOW_FUTURE`, defaultWindow.future, 'seconds'),
    },
    logical: readLogicalStreams(env),
    credentials: credentialsOf(
      env.LIVEHOOKS_REDACT_PARAMS?.trim() ? commaList(env.LIVEHOOKS_REDACT_PARAMS) : defaultCredentialNames,
    ),
  };
  const path = env[`${prefix}PARAMETERS_PATH`]?.trim();
  if (path) {
    if (!/^\/.*\/$/.test(path)) throw new Error(`${prefix}PARAMETERS_PATH must begin and end with "/", got "${path}"`);
    if (config.keys.length > 0 || config.tokens.length > 0) {
      throw new Error(`set ${prefix}KEYS and ${prefix}TOKENS or ${prefix}PARAMETERS_PATH, not both`);
    }
    config.parameters = { path, maxAgeSeconds: wholeNumberSetting(env, 'LIVEHOOKS_SECRETS_MAX_AGE', 300, 'seconds') };
  }
  const staleAfter = wholeNumberSetting(env, `${prefix}STALE_AFTER`, 0, 'seconds');
  if (staleAfter > 0) config.staleAfter = staleAfter;
  const patterns = commaList(env[`${prefix}ALLOW_STREAMS`]);
  if (patterns.length > 0) config.allowStreams = compileStreamPatterns(patterns);
  return config;
}
