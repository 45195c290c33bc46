/**
 * What `livehooks --help` says of wiring, apart from the wiring itself: `--help` loads this
 * module alone, not the vendors' SDKs the commands need.
 */

/** The commands tools/cli/connect/command.ts runs. */
export const wiringCommands = new Set(['connect', 'status', 'rotate']);

/** The vendors wired by API (tools/cli/connect/flows.ts holds their wiring), in `--help`'s order. */
export const apiWiredVendors = [
  'alibaba',
  'tencent',
  'huawei',
  'jdcloud',
  'volcengine',
  'mux',
  'cloudflare',
  'twitch',
] as const;

/** A vendor wired by API. */
export type ApiWiredVendor = (typeof apiWiredVendors)[number];

/** Their lines of `livehooks --help`. */
export const wiringUsage = `  livehooks connect <vendor> --stage S [--domain D] [--app A] [--region R] [--area A] [--account ID] [--input ID]...
                    [--relay URL] [--broadcaster ID] [--url URL] [--dry-run] [--reveal] [--secret-stdin] [--secrets-max-age N]
                                                 point the vendor at the stage's function with a new key, stored
                                                 in SSM; vendors without an API: the steps to paste
  livehooks status [<vendor>] --stage S [--stream NAME] [--json]
                                                 what the vendor holds, whether its key is ours, whether the
                                                 function takes a signed sample; exit 1 when anything is wrong
  livehooks rotate <vendor> --stage S [--finish [--force]] [--dry-run]
                                                 a new key beside the old, the vendor switched; --finish drops the old
  wired by API: ${apiWiredVendors.join(', ')}`;
