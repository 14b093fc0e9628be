/** TypeORM storage for nest-dance (subpath `nest-dance/typeorm`). */
export * from './oauth-token.entity';
export * from './owner-key.util';
export * from './typeorm-token.storage';
export * from './oauth-refresh-lock.entity';
export * from './typeorm-refresh.lock';
export * from './reencrypt-tokens.util';
