import { WiringError } from '../cli/connect/context';

/** What a vendor's error code means for the user, and what to do. */
export interface ErrorHints {
  /** The variables that hold the credentials, and the permission the calls need. */
  credentials: string;
  permission: string;
  /** Codes that mean the credentials were refused. */
  refused: RegExp;
  /** Codes that mean the calls were throttled. */
  throttled: RegExp;
  /** Code patterns with their fix. */
  known?: [RegExp, string][];
}

/** One line for a vendor's refusal of a call: what it said, and the fix. */
export function vendorFailure(vendor: string, action: string, code: string, message: string, hints: ErrorHints) {
  const said = `${vendor} ${action} refused: ${code}${message ? ` (${message.split('\n')[0]!.slice(0, 200)})` : ''}`;
  if (hints.refused.test(code)) {
    return new WiringError(`${said}: check ${hints.credentials}; the key needs ${hints.permission}`);
  }
  if (hints.throttled.test(code))
    return new WiringError(`${said}: ${vendor} throttled the call; run the command again in a minute`);
  for (const [pattern, fix] of hints.known ?? []) if (pattern.test(code)) return new WiringError(`${said}: ${fix}`);
  return new WiringError(said);
}

/** One line for missing credentials: the variables to set. */
export const missingCredentials = (vendor: string, variables: string, permission: string) =>
  new WiringError(`no ${vendor} API credentials: set ${variables} (a key allowed ${permission})`);

/** One line for a vendor API that could not be reached. */
export const unreachable = (vendor: string, endpoint: string, error: unknown) =>
  new WiringError(
    `${vendor}'s API at ${endpoint} did not answer (${(error as Error).message.split('\n')[0]}): check the network, or the endpoint override`,
  );
