/**
 * What a vendor says is live now, read from its own API (issue 31: reconciliation).
 * Each vendor with a list call has a {@link LiveListSource}; the reconcile function of
 * that vendor compares its answer with the table and repairs what callbacks lost.
 */

/** One push the vendor reports live, in the terms its callback adapter normalizes to. */
export interface LivePush {
  /** As the vendor's callback adapter sets `EventDraft.domain` for this push. */
  domain: string;
  /** As the adapter sets `EventDraft.app`. */
  app: string;
  /** As the adapter sets `EventDraft.stream`. */
  stream: string;
  /** The push-session value, when the list gives the same one the callbacks carry. */
  sessionId?: string;
  /**
   * For a vendor paired by time: the value its callbacks carry as `EventDraft.pairingKey`
   * (nginx-rtmp's client id), when the list gives it; it tells overlapping pushes apart.
   */
  pairingKey?: string;
  /** When the vendor says the push began (ms since the epoch), when its list says. */
  startedAtMs?: number;
}

/** A vendor's live list, ready to read. */
export interface LiveList {
  /**
   * Every push live now, every page read in order. Rejects with a `VendorApiError`
   * (retryable or not) when the vendor refuses, throttles or cannot be reached, and
   * with an `AbortError` when `signal` aborts; never returns a partial list.
   */
  list(signal: AbortSignal): Promise<LivePush[]>;
}

/** How to build a vendor's live list from its API credentials. */
export interface LiveListSource {
  /** The provider's route, as in the registry (`mux`, `nginx-rtmp`). */
  provider: string;
  /** The credential fields this source needs, e.g. `['accessKeyId', 'accessKeySecret']`. */
  credentials: readonly string[];
  /** Fields read when present and never required, e.g. a temporary credential's token. */
  optionalCredentials?: readonly string[];
  /**
   * For an AWS service's list: the IAM actions its reconcile function's role is granted. Its
   * credentials are then the role's own, as the Lambda runtime gives them (`accessKeyId`,
   * `secretAccessKey`, `sessionToken`, `region` from `AWS_ACCESS_KEY_ID`, ...), never
   * parameters in SSM.
   */
  awsActions?: readonly string[];
  /**
   * The list, given the credentials (read from SSM, or the CLI's environment) and where
   * to send requests (`endpoint` overrides the vendor's URL: stand-ins and local origins).
   */
  create(credentials: Readonly<Record<string, string>>, options?: { endpoint?: string }): LiveList;
}
