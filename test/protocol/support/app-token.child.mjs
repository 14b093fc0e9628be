// One app process for the app token test: nest-dance as built for the demo (`nest build
// demo`), tokens in Redis (a small custom storage), RedisRefreshLock. On { go: n } it asks n
// times at once for the app token and calls the API as the app once; it reports what it got.
import 'reflect-metadata';
import { createRequire } from 'node:module';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createClient } from 'redis';

const require = createRequire(import.meta.url);
const lib = require(
  fileURLToPath(
    new URL(
      '../../../dist/apps/demo/libs/oauth-consumer/src/index.js',
      import.meta.url,
    ),
  ),
);
const {
  ISSUER,
  AUTHORIZATION_URL,
  TOKEN_URL,
  CLIENT_ID,
  CLIENT_SECRET,
  REDIS_URL,
  PREFIX,
} = process.env;

/** Tokens as JSON in Redis: the store every process shares. */
class RedisTokenStorage {
  constructor(client) {
    this.client = client;
  }
  key(key) {
    return `${PREFIX}token:${key.provider}|${key.userId ?? '-'}|${key.accountId ?? ''}`;
  }
  async get(key) {
    const value = await this.client.get(this.key(key));
    return value ? JSON.parse(value) : null;
  }
  async set(key, token) {
    await this.client.set(this.key(key), JSON.stringify(token));
  }
  async delete(key) {
    await this.client.del(this.key(key));
  }
}

async function main() {
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  const storage = new RedisTokenStorage(redis);
  class AppModule {}
  Module({
    imports: [
      lib.OAuthConsumerModule.forRoot({
        publicUrl: 'http://127.0.0.1:1',
        storage: { useFactory: () => storage },
        refreshLock: lib.RedisRefreshLock.forUrl(REDIS_URL, `${PREFIX}lock:`),
        blueprints: [
          lib.oauth2({
            name: 'local',
            clientId: CLIENT_ID,
            clientSecret: CLIENT_SECRET,
            authorizationUrl: AUTHORIZATION_URL,
            tokenUrl: TOKEN_URL,
            baseUrl: ISSUER,
          }),
        ],
      }),
    ],
  })(AppModule);
  const app = await NestFactory.createApplicationContext(AppModule, {
    logger: false,
  });
  const blueprint = app.get(lib.BlueprintRegistry).get('local');
  process.on('message', (message) => {
    if (message.go) {
      Promise.all(
        Array.from({ length: message.go }, () =>
          blueprint.appToken().then((token) => token.access_token),
        ),
      )
        .then(async (tokens) => {
          const api = await blueprint.fetch('/api/user', { as: 'app' });
          await api.body?.cancel();
          process.send({ tokens: [...new Set(tokens)], api: api.status });
        })
        .catch((error) =>
          process.send({ error: String(error?.message ?? error) }),
        );
    } else if (message.stop) {
      app
        .close()
        .then(() => redis.quit())
        .finally(() => process.exit(0));
    }
  });
  process.send({ ready: true });
}

process.on('disconnect', () => process.exit(0));
main().catch((error) => {
  process.send?.({ error: String(error?.stack ?? error) });
  process.exit(1);
});
