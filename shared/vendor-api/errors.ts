/**
 * A vendor API's refusal or silence, in one line that says how to fix it. `retryable`
 * tells a caller that runs again by itself (reconciliation) whether waiting can help:
 * throttling, a vendor's server error or no answer can; refused credentials cannot.
 */
export class VendorApiError extends Error {
  override readonly name = 'VendorApiError';
  constructor(
    message: string,
    readonly retryable: boolean,
    /** The vendor's own error code (`Throttling.User`, `HTTP 429`), when it gave one. */
    readonly code?: string,
  ) {
    super(message);
  }
}

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

/** A vendor's server failing rather than refusing: worth another try. */
const serverSide = /^HTTP 5\d\d$|^InternalError|^InternalServer|^ServiceUnavailable|^INTERNAL$|^UNAVAILABLE$/i;

/**
 * One line for a vendor's refusal of a call: what it said, and the fix. `httpStatus`, when
 * given, makes a 5xx retryable whatever the vendor's code.
 */
export function vendorFailure(
  vendor: string,
  action: string,
  code: string,
  message: string,
  hints: ErrorHints,
  httpStatus?: number,
): VendorApiError {
  const said = `${vendor} ${action} refused: ${code}${message ? ` (${message.split('\n')[0]!.slice(0, 200)})` : ''}`;
  if (hints.refused.test(code)) {
    return new VendorApiError(`${said}: check ${hints.credentials}; the key needs ${hints.permission}`, false, code);
  }
  if (hints.throttled.test(code))
    return new VendorApiError(`${said}: ${vendor} throttled the call; run the command again in a minute`, true, code);
  for (const [pattern, fix] of hints.known ?? [])
    if (pattern.test(code)) return new VendorApiError(`${said}: ${fix}`, false, code);
  return new VendorApiError(said, serverSide.test(code) || (httpStatus ?? 0) >= 500, code);
}

/** One line for missing credentials: the variables to set. */
export const missingCredentials = (vendor: string, variables: string, permission: string) =>
  new VendorApiError(`no ${vendor} API credentials: set ${variables} (a key allowed ${permission})`, false);

/** One line for a vendor API that could not be reached. */
export const unreachable = (vendor: string, endpoint: string, error: unknown) =>
  new VendorApiError(
    `${vendor}'s API at ${endpoint} did not answer (${(error as Error).message.split('\n')[0]}): check the network, or the endpoint override`,
    true,
  );
