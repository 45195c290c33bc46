import type { Env } from '../../../shared/config';
import { masked } from './secret';

/** A failure told in one line with its fix: exit status 1, or 2 for wrong usage. */
export class WiringError extends Error {
  constructor(
    message: string,
    readonly status: 1 | 2 = 1,
  ) {
    super(message);
  }
}

/** The vendor options `connect`, `status` and `rotate` take (each vendor needs some of them). */
export interface WiringOptions {
  /** Alibaba, Tencent, Huawei, JD Cloud, Volcengine: the ingest (push) domain. */
  domain?: string;
  /** Tencent: the push path (AppName) the callback rule binds; empty binds the whole domain. */
  app?: string;
  /**
   * Huawei: the region of its endpoint (`cn-north-4`); Alibaba: the region id (`cn-shanghai`);
   * Volcengine: `cn-north-1` (the default), or BytePlus's `ap-singapore-1`.
   */
  region?: string;
  /** Cloudflare: the account id. */
  account?: string;
  /** Cloudflare: live input ids the policy is limited to (none: every input). */
  inputs?: string[];
  /** Huawei: where the notification server is, `mainland_china` (default) or `outside_mainland_china`. */
  area?: string;
  /** Tencent: the stream whose deliveries `status` reads from Tencent's log (the log is per stream). */
  stream?: string;
  /** JD Cloud: an http:// relay that forwards to the Function URL, when JD refuses https. */
  relay?: string;
  /** Twitch: the broadcaster's user id whose stream.online and stream.offline are subscribed. */
  broadcaster?: string;
}

/** What a wiring command runs with: where, for which provider, how to print and call. */
export interface Context {
  stage: string;
  provider: string;
  options: WiringOptions;
  /** The provider's Function URL, once read from the stack (or --url). */
  url?: string;
  env: Env;
  /** Print the calls that change something instead of making them. */
  dryRun: boolean;
  /** Secrets known so far, masked wherever a call or a line is printed. */
  secrets: string[];
  /** Prints a line on stdout, secrets masked (nothing in --json mode). */
  say(line: string): void;
  /** Prints a line as it is: the steps holding a secret the user asked to see (--reveal). */
  reveal(line: string): void;
}

/** A vendor call that changes something: made and shown, or with --dry-run only shown. */
export async function change<T>(
  ctx: Context,
  what: string,
  params: unknown,
  run: () => Promise<T>,
): Promise<T | undefined> {
  const shown = `${what} ${params === undefined ? '' : masked(JSON.stringify(params), ctx.secrets)}`.trimEnd();
  if (ctx.dryRun) {
    ctx.say(`would call ${shown}`);
    return undefined;
  }
  ctx.say(`call ${shown}`);
  return run();
}
