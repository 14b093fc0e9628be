/** Internal: one token lock held by an async context, until its lease is released. */
export interface HeldTokenLock {
  held: boolean;
}

/** Internal: the token locks an async context holds, by token identity. */
export type HeldTokenLocks = ReadonlyMap<string, HeldTokenLock>;
