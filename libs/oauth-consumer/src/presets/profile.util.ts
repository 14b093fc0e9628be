import { OAuthProfile } from '../blueprint/oauth-profile.interface';
import { OAuthConsumerError } from '../errors/oauth-consumer.error';

/** The fields a preset picks out of a user-info response. */
export interface ProfileFields {
  id: unknown;
  name?: unknown;
  email?: unknown;
  avatarUrl?: unknown;
}

/**
 * Reads a value at a dotted path (`data.0.id`), or `undefined` when any step is missing.
 */
export function pick(source: unknown, path: string): unknown {
  let current: unknown = source;
  for (const key of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** A non-empty string from a string or a number, else `undefined`. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value;
  return undefined;
}

/** Words joined by a space, skipping the missing ones (`first last`). */
export function joined(...parts: unknown[]): string | undefined {
  const words = parts.map(text).filter((part) => part !== undefined);
  return words.length > 0 ? words.join(' ') : undefined;
}

/**
 * Builds an `OAuthProfile` from picked fields; a response without an id is refused with a
 * message that says where to look.
 */
export function toProfile(
  provider: string,
  raw: Record<string, unknown>,
  fields: ProfileFields,
): OAuthProfile {
  const id = text(fields.id);
  if (id === undefined) {
    throw new OAuthConsumerError(
      `The ${provider} user-info response has no user id: check the preset's userInfoUrl ` +
        `and that the token was granted the scopes that endpoint needs.`,
    );
  }
  const profile: OAuthProfile = { id, raw };
  const name = text(fields.name);
  const email = text(fields.email);
  const avatarUrl = text(fields.avatarUrl);
  if (name !== undefined) profile.name = name;
  if (email !== undefined) profile.email = email;
  if (avatarUrl !== undefined) profile.avatarUrl = avatarUrl;
  return profile;
}
