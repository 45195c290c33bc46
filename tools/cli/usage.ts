import { httpProviderNames, providerNames, signsWithKey } from '../providers';
import { wiringUsage } from './connect/usage';

/** `livehooks --help`, which docs/cli.md shows (tools/wiring.ts writes it there). */
export const usage = `livehooks: read what the receivers stored, and play a vendor

  livehooks streams [--live] [--logical] [--json]  each stream (--logical: each logical stream): live or
                                                 not, since when, open pushes, the current one
  livehooks events [--stream KEY] [--json]       stored records, newest first
  livehooks sessions --stream KEY [--json]       a stream's sessions: start, stop, duration
  livehooks tail [--provider P] [--stream KEY] [--json]
                                                 accepted and refused callbacks as they come, one line each
  livehooks notifications [--follow] [--json]    take what npm start sent to its notification queue and print
                                                 it (--follow: keep waiting; --json: one notification per line)
  livehooks sample <provider> [--kind start|stop] [--stream NAME] [--session S]
                                                 a vendor's callback fields, as JSON, to edit and sign
  livehooks sign <provider> <file.json> [--key K] [--token T] [--http]
                                                 the fields in file.json (or the body of the Function URL
                                                 event in it, events/<provider>/*.json) signed for now, as a
                                                 Function URL event (or, with --http, as the HTTP request);
                                                 for ivs, the EventBridge event (nothing to sign)
  livehooks send <provider> [<url>] [--key K] [--token T] [--kind start|stop] [--stream NAME] [--session S]
                                                 send a signed sample callback (to npm start unless a URL
                                                 is given), print the answer and the stream key
  livehooks reconcile <provider> [--dry-run] [--grace SECONDS] [--table NAME]
                                                 compare the vendor's live list with the table (npm start's
                                                 unless --table) and repair, or with --dry-run print what
                                                 would be repaired; credentials from LIVEHOOKS_<P>_API_<FIELD>
${wiringUsage}

  --table NAME   read a DynamoDB table (usual AWS credentials and region) instead of the local store
  --url URL      read a stage's read API (its ApiLambdaFunctionUrl output; requests signed with the usual AWS
                 credentials) instead of the local store; streams, events, sessions and tail
  --key K        the provider's signing key; --token T: the URL token (the only check of ${httpProviderNames.filter((name) => !signsWithKey(name)).join(', ')})
  --session S    when the push began, Unix seconds (default: the start of this hour)
  providers: ${providerNames.join(', ')}
  exit status: 0 done, 1 refused by the receiver or the store could not be read, 2 wrong usage`;
