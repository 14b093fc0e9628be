import type { Request } from 'express';
import {
  ClassProvider,
  ExistingProvider,
  FactoryProvider,
  Type,
} from '@nestjs/common';
import { BlueprintOptions } from './blueprint/blueprint-options.interface';
import { TokenStorage } from './storage/token-storage.interface';

/**
 * Finds the current user of a request (default: `request.user`, as Passport sets it).
 * Return `null` or `undefined` for an anonymous visitor.
 * @publicApi
 */
export type UserResolver = (request: Request) => unknown;

/**
 * Finds a user's id (default: `user.id`).
 * @publicApi
 */
export type UserIdResolver = (
  user: unknown,
) => string | number | null | undefined;

/**
 * How the module-wide storage is bound to `TOKEN_STORAGE`: a class (bound with `useClass`,
 * with full dependency injection) or a provider without its `provide` key.
 * @publicApi
 */
export type TokenStorageBinding =
  | Type<TokenStorage>
  | Omit<ClassProvider<TokenStorage>, 'provide'>
  | Omit<FactoryProvider<TokenStorage>, 'provide'>
  | Omit<ExistingProvider<TokenStorage>, 'provide'>;

/**
 * Options of `OAuthConsumerModule.forRoot()` (and the result of `forRootAsync`'s factory).
 * @publicApi
 */
export interface OAuthConsumerModuleOptions {
  /** One blueprint per provider, made by a preset or `oauth2({...})`. */
  blueprints: BlueprintOptions[];
  /** Finds the current user of a request (default: `request.user`). */
  user?: UserResolver;
  /** Finds a user's id (default: `user.id`). */
  userId?: UserIdResolver;
  /**
   * Refuse token operations without a user. Default: true when `user` is given, false otherwise
   * (as in Flask-Dance).
   */
  userRequired?: boolean;
  /** Route prefix of the dance (default `/login`): `/login/{name}` and `/login/{name}/authorized`. */
  loginPath?: string;
  /** Where the browser goes after the dance, unless the blueprint says otherwise (default `/`). */
  redirectTo?: string;
}

/**
 * Options that shape the module itself, given beside `forRoot` options or `forRootAsync`'s factory.
 * @publicApi
 */
export interface OAuthConsumerModuleExtras {
  /** The storage bound to `TOKEN_STORAGE` (default `SessionTokenStorage`). */
  storage?: TokenStorageBinding;
}
