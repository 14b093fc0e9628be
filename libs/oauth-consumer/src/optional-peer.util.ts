import { MissingPeerError } from './errors/missing-peer.error';

/** What the feature needs: the package and the install command's package list. */
export interface OptionalPeer {
  /** The package to load, e.g. `redis`. */
  packageName: string;
  /** What needs it, named in the error, e.g. `RedisRefreshLock`. */
  feature: string;
  /** Packages for `npm install` (default: `packageName`). */
  install?: string;
}

/**
 * Loads an optional peer dependency when a feature needs it, so that `require('nest-dance')`
 * works without any of them; a missing one throws `MissingPeerError` naming `npm install <pkg>`.
 */
export function requireOptionalPeer<T>(peer: OptionalPeer): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(peer.packageName) as T;
  } catch (error) {
    if (isMissing(error, peer.packageName)) {
      throw new MissingPeerError(peer.feature, peer.packageName, peer.install);
    }
    throw error;
  }
}

/**
 * A base class for classes that extend a class of an optional peer: the peer's class when the
 * package is installed, else a class whose constructor throws `MissingPeerError`. The module
 * that declares the subclass then loads without the peer, and fails only when it is used.
 */
export function optionalPeerClass<M, T>(
  peer: OptionalPeer,
  pick: (peerModule: M) => T,
): T {
  try {
    return pick(requireOptionalPeer<M>(peer));
  } catch (error) {
    if (!(error instanceof MissingPeerError)) throw error;
    return class MissingPeer {
      constructor() {
        throw new MissingPeerError(
          peer.feature,
          peer.packageName,
          peer.install,
        );
      }
    } as T;
  }
}

function isMissing(error: unknown, packageName: string): boolean {
  const { code, message } = (error ?? {}) as {
    code?: string;
    message?: string;
  };
  return (
    code === 'MODULE_NOT_FOUND' &&
    typeof message === 'string' &&
    message.includes(`'${packageName}'`)
  );
}
