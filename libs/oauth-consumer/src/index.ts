/**
 * nest-dance: OAuth consumer blueprints and pluggable token storage for NestJS.
 * This is the only public barrel; TypeORM and testing helpers live at `nest-dance/typeorm`
 * and `nest-dance/testing`.
 */
export * from './oauth-consumer.module';
export * from './oauth-consumer.constants';
export * from './oauth-consumer-options.interface';
export { OAUTH_CONSUMER_OPTIONS } from './oauth-consumer.module-definition';
export type {
  OAuthConsumerAsyncOptions,
  OAuthConsumerRootOptions,
} from './oauth-consumer.module-definition';

export * from './blueprint/blueprint';
export * from './blueprint/blueprint-options.interface';
export * from './blueprint/oauth-profile.interface';
export * from './blueprint/blueprint.registry';
export * from './blueprint/blueprint-source.interface';
export { InjectBlueprint } from './blueprint/inject-blueprint.decorator';
export * from './blueprint/require-token.decorator';
export { askableScopes } from './blueprint/scope-request.util';
export * from './blueprint/oauth2.blueprint';
export * from './blueprint/oidc.blueprint';
export * from './oauth1/oauth1.blueprint';
export { OAuth1Client } from './oauth1/oauth1.client';
export type { OAuth1Params } from './oauth1/oauth1.client';
export * from './oauth1/oauth1.strategy';

export * from './dance/oauth-hooks.interface';
export * from './dance/oauth.events';
export { DanceService } from './dance/dance.service';
export * from './dance/dance-passport.strategy';
export * from './dance/blueprint.strategy';
export * from './protocol/token-endpoint.client';
export { readLimitedBody } from './protocol/limited-body.util';
export * from './protocol/apple-client-secret.util';
export * from './dance/redirect.util';
export * from './dance/pkce.util';

export * from './refresh/refresh-lock.interface';
export * from './refresh/refresh-lock.constants';
export * from './refresh/refresh-options.interface';
export * from './refresh/in-process-refresh.lock';
export * from './refresh/redis-refresh.lock';
export * from './refresh/token-refresher';
export { APP_TOKEN_OWNER } from './refresh/app-token.issuer';
export * from './refresh/refresh-due.interface';
export { BackgroundRefresh } from './refresh/background-refresh.service';

export * from './connections/connection.interface';
export * from './connections/connection-status.util';
export * from './connections/oauth-connections.service';

export * from './context/oauth-user.context';
export * from './context/oauth-context.middleware';

export type {
  EdgeCookieOptions,
  EdgeSession,
  HttpExchange,
  HttpPlatformName,
  PlatformRequest,
} from './platform/http-edge.interface';
export { HttpPlatform } from './platform/http-platform.service';
export * from './platform/sign-in.util';

export * from './storage/oauth-token.interface';
export * from './storage/token-key.interface';
export * from './storage/token-key.util';
export * from './storage/token-storage.interface';
export * from './storage/token-list.interface';
export * from './storage/token-connection.util';
export { listTokens, listExpiringTokens } from './storage/token-list.util';
export * from './storage/base-token.storage';
export * from './storage/session-token.storage';
export * from './storage/memory-token.storage';
export * from './storage/null-token.storage';
export * from './storage/token-expiry.util';
export * from './storage/fresh-read.util';
export * from './storage/token-identity.util';
export * from './storage/cached-token.storage';
export * from './storage/redis-token.cache';
export { EncryptedTokenStorage } from './storage/encrypted-token.storage';
export * from './storage/token-encryption.interface';
export * from './storage/token-cipher.util';
export * from './storage/secret-sealer.util';

export * from './redaction/redact.util';

export * from './errors/oauth-consumer.error';
export * from './errors/user-required.error';
export * from './errors/unknown-blueprint.error';
export * from './errors/blueprint-source.error';
export * from './errors/duplicate-blueprint.error';
export * from './errors/invalid-options.error';
export * from './errors/session-unavailable.error';
export * from './errors/token-storage.error';
export * from './errors/token-listing-unsupported.error';
export * from './errors/token-endpoint.error';
export * from './errors/device-authorization.error';
export * from './errors/token-missing.error';
export * from './errors/token-refresh.error';
export * from './errors/refresh-lock-timeout.error';
export * from './errors/refresh-lock.error';
export * from './errors/missing-peer.error';

export * from './presets';
