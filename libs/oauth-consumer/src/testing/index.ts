/** Testing kit: helpers for testing apps built on nest-dance (subpath `nest-dance/testing`). */
export * from './local-authorization-server';
export * from './local-authorization-server-options.interface';
export * from './local-authorization-server.error';
export * from './seed-token.util';
