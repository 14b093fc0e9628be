/** TypeORM storage for nest-dance (subpath `nest-dance/typeorm`). */
// First: a clear error when typeorm is not installed.
import './typeorm-peer.util';

export * from './oauth-token.entity';
export * from './owner-key.util';
export * from './typeorm-token.storage';
export * from './oauth-refresh-lock.entity';
export * from './typeorm-refresh.lock';
export * from './reencrypt-tokens.util';
