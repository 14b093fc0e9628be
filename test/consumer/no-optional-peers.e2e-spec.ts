import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import { freePort } from '../support/free-port';
import {
  ConsumerApp,
  RunningConsumer,
  createConsumerApp,
} from './support/consumer-app';
import {
  danceAndReadBack,
  expectSameBearerToken,
} from './support/consumer-dance';

const run = promisify(execFile);

/** Every optional peer of nest-dance; `oauth` also comes with passport-oauth2 (a dependency). */
const OPTIONAL_PEERS = [
  '@nestjs/cache-manager',
  'cache-manager',
  'express-session',
  'oidc-provider',
  'passport-oauth1',
  'redis',
  'typeorm',
  '@nestjs/platform-fastify',
  '@fastify/cookie',
  '@fastify/session',
  '@fastify/secure-session',
  '@nestjs/passport',
  'passport',
];

/** A script that creates and initializes an app of `OAuthConsumerModule.forRoot(options)`. */
function startUpScript(options: string, before = ''): string {
  return `
    require('reflect-metadata');
    const { NestFactory } = require('@nestjs/core');
    const nd = require('nest-dance');
    ${before}
    NestFactory.create(
      nd.OAuthConsumerModule.forRoot({
        publicUrl: 'http://127.0.0.1:3000',
        storage: nd.MemoryTokenStorage,
        stateSecret: 'consumer-app-state-secret-of-32-chars!',
        ...${options},
      }),
      { logger: false, abortOnError: false },
    ).then((app) => app.init()).then(
      () => { console.log('started'); process.exit(0); },
      (error) => { console.error(error.name + ': ' + error.message); process.exit(1); },
    );`;
}

// (d) A Nest 12 app (CommonJS, Node 20) with nest-dance and nothing else: no optional peer.
// It loads, runs a dance with MemoryTokenStorage, and every feature whose peer is missing
// fails at start-up with the npm install command.
describe('consumer app: no optional peer installed', () => {
  let consumer: ConsumerApp;
  let server: LocalAuthorizationServer;
  let app: RunningConsumer;

  beforeAll(async () => {
    consumer = await createConsumerApp({
      app: 'minimal',
    });
    const port = await freePort();
    // This app has no oidc-provider: the provider runs in the suite's own process.
    server = await LocalAuthorizationServer.start({
      redirectUris: [`http://127.0.0.1:${port}/login/local/authorized`],
    });
    app = await consumer.start({
      PORT: String(port),
      ISSUER: server.issuer,
      CLIENT_ID: server.clientId,
      CLIENT_SECRET: server.clientSecret ?? '',
    });
  }, 10 * 60_000);

  afterAll(async () => {
    await app?.stop();
    await server?.stop();
    consumer?.remove();
  });

  it('has none of the optional peers installed, only the peers and nest-dance', () => {
    for (const peer of OPTIONAL_PEERS) {
      expect({
        peer,
        installed: existsSync(join(consumer.dir, 'node_modules', peer)),
      }).toEqual({ peer, installed: false });
    }
    const manifest = JSON.parse(
      readFileSync(join(consumer.dir, 'package.json'), 'utf8'),
    ) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies).sort()).toEqual([
      '@nestjs/common',
      '@nestjs/core',
      '@nestjs/platform-express',
      'nest-dance',
      'reflect-metadata',
      'rxjs',
    ]);
  });

  it("require('nest-dance') loads, and so does nest-dance/testing", async () => {
    const { code, stdout, stderr } = await consumer.exec(
      `const nd = require('nest-dance');
       const testing = require('nest-dance/testing');
       console.log(typeof nd.OAuthConsumerModule.forRoot, typeof nd.RedisRefreshLock,
         typeof nd.OAuth1Client, typeof testing.LocalAuthorizationServer.start,
         require('@nestjs/core/package.json').version);`,
    );
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    const [forRoot, redisLock, oauth1Client, start, nest] = stdout
      .trim()
      .split(' ');
    expect([forRoot, redisLock, oauth1Client, start]).toEqual([
      'function',
      'function',
      'function',
      'function',
    ]);
    expect(nest).toMatch(/^12\./);
  });

  it('dances with MemoryTokenStorage and reads the token back through TokenStorage and @InjectBlueprint', async () => {
    const { tokens } = await danceAndReadBack(
      app.url,
      app.issuer,
      'erin',
      (url) => server.completeAuthorization(url),
    );
    expectSameBearerToken(tokens);
  });

  it.each([
    [
      'RedisRefreshLock',
      startUpScript(
        '{ blueprints: [], refreshLock: nd.RedisRefreshLock.forUrl("redis://127.0.0.1:6379") }',
      ),
      "RedisRefreshLock needs the package 'redis': npm install redis",
    ],
    [
      'an OAuth 1.0a blueprint',
      startUpScript(`{ blueprints: [nd.oauth1({
        name: 'legacy', consumerKey: 'key', consumerSecret: 'secret', signatureMethod: 'HMAC-SHA1',
        requestTokenUrl: 'https://legacy.example/request', authorizationUrl: 'https://legacy.example/authorize',
        accessTokenUrl: 'https://legacy.example/access' })] }`),
      "OAuth 1.0a blueprints (oauth1) needs the package 'passport-oauth1': npm install oauth passport-oauth1",
    ],
    [
      'cache: true',
      startUpScript('{ blueprints: [], cache: true }'),
      'npm install @nestjs/cache-manager cache-manager',
    ],
    [
      'nest-dance/typeorm',
      "require('nest-dance/typeorm')",
      "nest-dance/typeorm needs the package 'typeorm': npm install typeorm",
    ],
    [
      'LocalAuthorizationServer',
      `require('nest-dance/testing').LocalAuthorizationServer.start().then(
         () => process.exit(0),
         (error) => { console.error(error.message); process.exit(1); });`,
      'npm install --save-dev oidc-provider',
    ],
  ])(
    '%s fails at start-up naming the package to install',
    async (_feature, script, message) => {
      const { code, stdout, stderr } = await consumer.exec(script);
      expect(stdout).not.toContain('started');
      expect(code).not.toBe(0);
      expect(stderr).toContain(message);
    },
  );

  it('gives a minimal app a small node_modules', async () => {
    const { stdout } = await run('du', [
      '-sk',
      join(consumer.dir, 'node_modules'),
    ]);
    const kib = Number(stdout.split('\t')[0]);
    const { stdout: withoutTools } = await run('du', [
      '-sk',
      '--exclude=typescript',
      '--exclude=@types',
      join(consumer.dir, 'node_modules'),
    ]);
    const runtimeKib = Number(withoutTools.split('\t')[0]);
    console.log(
      `minimal consumer node_modules: ${(kib / 1024).toFixed(1)} MiB, ` +
        `${(runtimeKib / 1024).toFixed(1)} MiB without typescript and @types`,
    );
    expect(consumer.tarball.unpackedSize).toBeLessThan(2 * 1024 * 1024);
    expect(runtimeKib).toBeLessThan(40 * 1024);
  });
});
