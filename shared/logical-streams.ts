/** The setting that declares logical streams (docs/behaviour.md §4). */
export const logicalStreamsSetting = 'LIVEHOOKS_LOGICAL_STREAMS';

/** A logical stream a stream key is a member of: its name and every member. */
export interface LogicalStream {
  name: string;
  members: readonly string[];
}

/** Stream key → the logical stream it is a member of. */
export type LogicalStreams = ReadonlyMap<string, LogicalStream>;

/** A logical stream's name: it is part of a key and of a FIFO message group. */
const namePattern = /^[A-Za-z0-9._-]{1,64}$/;
/** A stream key: provider, domain, app and stream, a `/` inside a part written `%2F`. */
const streamKeyPattern = /^[a-z0-9-]+\/[^/]*\/[^/]*\/[^/]+$/;
/** Members one logical stream may have: each callback of a member writes its state once. */
export const maxMembers = 16;

/**
 * Reads `LIVEHOOKS_LOGICAL_STREAMS`: a JSON object from each logical stream's name to the
 * stream keys that are one show, as `{"show":["tencent/push.example.com/live/cam1",
 * "alibaba/live.example.com/live/cam1"]}`. Read at cold start; a malformed rule throws one
 * line naming it, so the function does not start.
 */
export function readLogicalStreams(env: Readonly<Record<string, string | undefined>>): LogicalStreams {
  const text = env[logicalStreamsSetting]?.trim();
  const streams = new Map<string, LogicalStream>();
  if (!text) return streams;
  const example = `as {"show":["tencent/push.example.com/live/cam1","alibaba/live.example.com/live/cam1"]}`;
  let rules: unknown;
  try {
    rules = JSON.parse(text);
  } catch {
    throw new Error(`${logicalStreamsSetting} must be a JSON object of names and stream keys, ${example}`);
  }
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) {
    throw new Error(`${logicalStreamsSetting} must be a JSON object of names and stream keys, ${example}`);
  }
  for (const [name, members] of Object.entries(rules)) {
    const rule = `${logicalStreamsSetting}: "${name}"`;
    if (!namePattern.test(name)) throw new Error(`${rule}: a name is 1 to 64 letters, digits, ".", "_" or "-"`);
    if (!Array.isArray(members) || members.length === 0 || members.length > maxMembers) {
      throw new Error(`${rule}: give a list of 1 to ${maxMembers} stream keys, ${example}`);
    }
    for (const member of members) {
      if (typeof member !== 'string' || !streamKeyPattern.test(member)) {
        throw new Error(
          `${rule}: ${JSON.stringify(member)} is not a stream key (provider/domain/app/stream, as livehooks streams shows it)`,
        );
      }
      const other = streams.get(member);
      if (other)
        throw new Error(
          `${rule}: ${member} is already a member of "${other.name}"; a stream belongs to one logical stream`,
        );
      streams.set(member, { name, members });
    }
  }
  return streams;
}
