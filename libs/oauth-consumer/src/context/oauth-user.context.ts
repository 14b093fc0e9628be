import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable } from '@nestjs/common';
import type { PlatformRequest } from '../platform/http-edge.interface';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import {
  TokenOperation,
  UserRequiredError,
} from '../errors/user-required.error';
import {
  OAuthConsumerModuleOptions,
  UserIdResolver,
  UserResolver,
} from '../oauth-consumer-options.interface';
import { OAUTH_CONSUMER_OPTIONS } from '../oauth-consumer.module-definition';
import type { HeldTokenLocks } from '../refresh/held-token-lock.interface';
import { TokenStorage } from '../storage/token-storage.interface';

/**
 * One frame of context: the request being handled, when set by `runAs` an explicit user, and
 * the token locks held (`TokenRefresher`'s re-entry). One AsyncLocalStorage carries all three:
 * on Node 20 and 22 every enabled AsyncLocalStorage costs every promise of the process a copy
 * of its store, so the library keeps one.
 */
interface ContextFrame {
  readonly request?: PlatformRequest;
  readonly explicitUser?: { readonly value: unknown };
  readonly heldLocks?: HeldTokenLocks;
}

/**
 * Whose token a call is about, when it is not the current user's: an explicit user id
 * (`null` for the userless token) or a user object.
 * @publicApi
 */
export interface TokenOwner {
  /** A string, finite number or bigint (other values are refused: they have no faithful text). */
  userId?: string | number | bigint | null;
  user?: unknown;
  /**
   * Which of the user's accounts at the provider, when a user connects several (e.g. a
   * personal and a work GitHub account); omitted means the user's one account.
   */
  accountId?: string;
}

const defaultUserResolver: UserResolver = (request) =>
  (request as { user?: unknown }).user;
const defaultUserIdResolver: UserIdResolver = (user) =>
  (user as { id?: string | number | bigint | null }).id;

/**
 * Who the current user is, per request, without request-scoped providers: a singleton over
 * `AsyncLocalStorage` that keeps the request and resolves the user lazily, when a token is
 * asked for (guards such as Passport's run after middleware, so `req.user` is set late).
 * @publicApi
 */
@Injectable()
export class OAuthUserContext {
  private readonly frames = new AsyncLocalStorage<ContextFrame>();
  private readonly resolveUser: UserResolver;
  private readonly resolveUserId: UserIdResolver;
  /** `userRequired` as given (undefined: decided per storage). */
  private readonly explicitUserRequired?: boolean;
  private readonly hasUserOption: boolean;

  constructor(
    @Inject(OAUTH_CONSUMER_OPTIONS) options: OAuthConsumerModuleOptions,
  ) {
    this.resolveUser = options.user ?? defaultUserResolver;
    this.resolveUserId = options.userId ?? defaultUserIdResolver;
    this.explicitUserRequired = options.userRequired;
    this.hasUserOption = options.user !== undefined;
  }

  /** Runs `fn` with `request` as the current request (the module's middleware does this). */
  runWithRequest<T>(request: PlatformRequest, fn: () => T): T {
    const heldLocks = this.frames.getStore()?.heldLocks;
    return this.frames.run(
      heldLocks ? { request, heldLocks } : { request },
      fn,
    );
  }

  /**
   * Runs `fn` as `user` (or anonymously, with `null`): for jobs, queues and tests.
   * The current request, if any, stays available (session storage still works).
   */
  runAs<T>(user: unknown, fn: () => T): T {
    const frame = this.frames.getStore();
    return this.frames.run(
      {
        request: frame?.request,
        explicitUser: { value: user },
        heldLocks: frame?.heldLocks,
      },
      fn,
    );
  }

  /** @internal The token locks the current async context holds (`TokenRefresher`). */
  get heldLocks(): HeldTokenLocks | undefined {
    return this.frames.getStore()?.heldLocks;
  }

  /**
   * @internal Runs `fn` holding `heldLocks` (`TokenRefresher`), with the current request and
   * user kept.
   */
  runHoldingLocks<T>(heldLocks: HeldTokenLocks, fn: () => T): T {
    return this.frames.run({ ...this.frames.getStore(), heldLocks }, fn);
  }

  /** The request being handled, or `undefined` outside a request. */
  get request(): PlatformRequest | undefined {
    return this.frames.getStore()?.request;
  }

  /** The current user, or `null` when anonymous or outside any context. */
  getUser(): unknown {
    const frame = this.frames.getStore();
    if (!frame) return null;
    const user = frame.explicitUser
      ? frame.explicitUser.value
      : frame.request
        ? this.resolveUser(frame.request)
        : null;
    return isAnonymous(user) ? null : user;
  }

  /** The current user's id as a string, or `null` when there is no user. */
  getUserId(): string | null {
    const user = this.getUser();
    return user === null ? null : this.idOf(user);
  }

  /**
   * Whether token operations through `storage` need a user: `userRequired` when the app gave
   * it; else yes, unless the storage keeps tokens per session (`perSession`, as
   * `SessionTokenStorage` does) and no `user` option is given. A userless token in any other
   * storage is one token for every visitor without a user, so it must be asked for.
   */
  userRequiredFor(storage: TokenStorage): boolean {
    return (
      this.explicitUserRequired ??
      (this.hasUserOption || storage.perSession !== true)
    );
  }

  /**
   * The user id that owns the token for `operation`: the explicit owner when given, else the
   * current user. Throws `UserRequiredError` when there is none and a user is `required`
   * (default: `userRequired`, on unless set to false; blueprints pass their storage's answer).
   */
  ownerIdFor(
    operation: TokenOperation,
    provider: string,
    owner?: TokenOwner,
    required: boolean = this.explicitUserRequired ?? true,
  ): string | null {
    let userId: string | null;
    if (owner && 'userId' in owner && owner.userId !== undefined) {
      userId =
        owner.userId === null ? null : ownerIdString(owner.userId, 'userId');
    } else if (owner && 'user' in owner && owner.user !== undefined) {
      userId = isAnonymous(owner.user) ? null : this.idOf(owner.user);
    } else {
      userId = this.getUserId();
    }
    if (userId === null && required) {
      throw new UserRequiredError(operation, provider);
    }
    return userId;
  }

  private idOf(user: unknown): string {
    const id = this.resolveUserId(user);
    if (id === null || id === undefined || id === '') {
      throw new InvalidOptionsError(
        'The current user has no id: tell nest-dance how to find it with ' +
          'OAuthConsumerModule.forRoot({ userId: (user) => user.sub }).',
      );
    }
    return ownerIdString(id, 'user id');
  }
}

/**
 * An owner id as the string tokens are keyed by. Only strings, finite numbers and bigints
 * have one faithful text: `String()` of an object is '[object Object]' for every object, of a
 * Buffer a lossy decoding, of a symbol its description, so two users could share a key.
 */
function ownerIdString(id: unknown, source: 'user id' | 'userId'): string {
  if (typeof id === 'string') return id;
  if (typeof id === 'bigint') return id.toString();
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  // The kind only: the value may be personal or secret.
  const kind =
    typeof id === 'number'
      ? `the number ${String(id)}`
      : Buffer.isBuffer(id)
        ? 'a Buffer'
        : Array.isArray(id)
          ? 'an array'
          : id instanceof Date
            ? 'a Date'
            : typeof id === 'object'
              ? 'an object'
              : `a ${typeof id}`;
  throw new InvalidOptionsError(
    `The ${source} ${source === 'userId' ? 'given' : 'of the current user'} is ${kind}: owner ids must be strings, ` +
      'finite numbers or bigints, so that no two users share a token. Map the user to one with ' +
      'OAuthConsumerModule.forRoot({ userId: (user) => user._id.toHexString() }) (a MongoDB ' +
      'ObjectId, say), or pass { userId: string } explicitly.',
  );
}

/** Anonymous means no user at all, or a user object that says it is anonymous. */
function isAnonymous(user: unknown): boolean {
  if (user === null || user === undefined || user === false) return true;
  return (
    typeof user === 'object' &&
    (user as { isAnonymous?: unknown }).isAnonymous === true
  );
}
