import { CACHE_MANAGER, CacheModule } from '@nestjs/cache-manager';
import {
  Controller,
  Delete,
  Get,
  Inject,
  Injectable,
  MiddlewareConsumer,
  Module,
  NestMiddleware,
  NestModule,
  Type,
  UnauthorizedException,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule, TypeOrmModuleOptions } from '@nestjs/typeorm';
import type { Cache } from 'cache-manager';
import type { NextFunction, Request, Response } from 'express';
import {
  Blueprint,
  BlueprintRegistry,
  InjectBlueprint,
  OAuthConsumerModule,
  OAuthErrorEvent,
  OAuthHooks,
  OAuthToken,
  UserRequiredError,
  UserResolver,
  tokenCacheKey,
} from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import { OAuthTokenEntity, TypeOrmTokenStorage } from 'nest-dance/typeorm';
import request from 'supertest';
import {
  Column,
  DataSource,
  DataSourceOptions,
  Entity,
  ManyToOne,
  PrimaryGeneratedColumn,
  Logger as TypeOrmLogger,
} from 'typeorm';
import { localBlueprint, walkDance } from './support/dance-app';
import {
  DatabaseKind,
  TestDatabase,
  isolatedDataSourceOptions,
} from './support/databases';
import { freePort } from './support/free-port';
import { SignInController, useTestSession } from './support/session-app';

@Entity('nd_scenario_user')
class ScenarioUser {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 100, unique: true })
  name: string;
}

/** Tokens with user accounts: Flask-Dance's OAuth model with a `user` relationship. */
@Entity('nd_scenario_oauth')
class OAuth extends OAuthTokenEntity {
  @ManyToOne(() => ScenarioUser, { nullable: true, onDelete: 'CASCADE' })
  user: ScenarioUser | null;
}

/** Tokens without user columns of the app's own (scenario 1). */
@Entity('nd_scenario_plain_oauth')
class PlainOAuth extends OAuthTokenEntity {}

const ENTITIES = [ScenarioUser, OAuth, PlainOAuth];
const NAMESPACE = 'nd_scenarios';
const SCENARIO_ENTITY = Symbol('SCENARIO_ENTITY');

/** Counts the SELECTs TypeORM sends for one table (the query logger of the app's DataSource). */
class SelectCounter implements TypeOrmLogger {
  private readonly queries: string[] = [];

  constructor(private readonly table: string) {}

  /** SELECTs of the table since the last reset. */
  get selects(): number {
    return this.queries.filter(
      (query) => /^\s*SELECT/i.test(query) && query.includes(this.table),
    ).length;
  }

  reset(): void {
    this.queries.length = 0;
  }

  logQuery(query: string): void {
    this.queries.push(query);
  }
  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}

/** Signs the session's user in from the database, as Passport's deserializeUser would. */
@Injectable()
class DatabaseUserMiddleware implements NestMiddleware {
  constructor(private readonly dataSource: DataSource) {}

  async use(
    request: Request,
    _response: Response,
    next: NextFunction,
  ): Promise<void> {
    const name = (request.session as { userName?: string } | undefined)
      ?.userName;
    if (name) {
      const user = await this.dataSource
        .getRepository(ScenarioUser)
        .findOneBy({ name });
      if (user) (request as Request & { user?: ScenarioUser }).user = user;
    }
    next();
  }
}

/** The app's pages about the connected account. */
@Controller()
class ConnectionController {
  constructor(
    @InjectBlueprint('local') private readonly local: Blueprint,
    private readonly dataSource: DataSource,
    @Inject(SCENARIO_ENTITY) private readonly entity: Type<OAuthTokenEntity>,
  ) {}

  // A test fixture only: real apps never send a token to the browser.
  @Get('token')
  async token(): Promise<{ token: OAuthToken | null }> {
    return { token: await this.signedIn(() => this.local.getToken()) };
  }

  @Delete('token')
  async disconnect(): Promise<{ deleted: true }> {
    await this.signedIn(() => this.local.deleteToken());
    return { deleted: true };
  }

  /** The stored rows as an admin page would list them. */
  @Get('connections')
  async connections(): Promise<{ labels: string[]; rows: unknown[] }> {
    const rows = await this.dataSource.getRepository(this.entity).find();
    return { labels: rows.map(String), rows };
  }

  private async signedIn<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof UserRequiredError)
        throw new UnauthorizedException(error.message);
      throw error;
    }
  }
}

interface ScenarioAppOptions {
  entity?: Type<OAuthTokenEntity>;
  user?: UserResolver;
  userRequired?: boolean;
  hooks?: OAuthHooks;
  cache?: boolean;
}

interface ScenarioApp {
  url: string;
  blueprint: Blueprint;
  selects: SelectCounter;
  cache?: Cache;
  browser(): ReturnType<typeof request.agent>;
  close(): Promise<void>;
}

const TOKEN_OF_SECRET = /access_token|refresh_token/;

describe.each<DatabaseKind>(['postgres', 'mariadb', 'sqlite-file'])(
  'Flask-Dance storage scenarios with TypeOrmTokenStorage on %s, over HTTP',
  (kind) => {
    let server: LocalAuthorizationServer;
    let database: TestDatabase;
    let appOptions: DataSourceOptions;
    let app: ScenarioApp | undefined;

    beforeAll(async () => {
      server = await LocalAuthorizationServer.start();
      const isolated = await isolatedDataSourceOptions(
        kind,
        NAMESPACE,
        ENTITIES,
      );
      const dataSource = await new DataSource(isolated.options).initialize();
      database = {
        dataSource,
        close: async () => {
          await dataSource.destroy();
          await isolated.cleanup();
        },
      };
      // The apps use the tables as they stand.
      appOptions = {
        ...isolated.options,
        synchronize: false,
        dropSchema: false,
      } as DataSourceOptions;
    });

    afterAll(async () => {
      await database?.close();
      await server?.stop();
    });

    afterEach(async () => {
      await app?.close();
      app = undefined;
      const { dataSource } = database;
      for (const entity of [OAuth, PlainOAuth, ScenarioUser])
        await dataSource.createQueryBuilder().delete().from(entity).execute();
    });

    async function startApp(
      options: ScenarioAppOptions = {},
    ): Promise<ScenarioApp> {
      const entity = options.entity ?? OAuth;
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const blueprint = localBlueprint(server);
      await server.registerClient({
        clientId: blueprint.clientId,
        clientSecret: blueprint.clientSecret,
        redirectUris: [`${url}/login/local/authorized`],
      });
      const selects = new SelectCounter(
        database.dataSource.getMetadata(entity).tableName,
      );

      @Module({
        imports: [
          TypeOrmModule.forRoot({
            ...appOptions,
            logger: selects,
            retryAttempts: 0,
          } as TypeOrmModuleOptions),
          ...(options.cache ? [CacheModule.register({ isGlobal: true })] : []),
          OAuthConsumerModule.forRoot({
            storage: TypeOrmTokenStorage.forEntity(entity),
            publicUrl: url,
            blueprints: [blueprint],
            user: options.user,
            userRequired: options.userRequired,
            hooks: options.hooks,
            cache: options.cache,
          }),
        ],
        controllers: [SignInController, ConnectionController],
        providers: [
          DatabaseUserMiddleware,
          { provide: SCENARIO_ENTITY, useValue: entity },
        ],
      })
      class ScenarioAppModule implements NestModule {
        configure(consumer: MiddlewareConsumer): void {
          consumer.apply(DatabaseUserMiddleware).forRoutes('{*splat}');
        }
      }

      const moduleRef = await Test.createTestingModule({
        imports: [ScenarioAppModule],
      }).compile();
      const nestApp = moduleRef.createNestApplication({ logger: false });
      useTestSession(nestApp);
      await nestApp.listen(port, '127.0.0.1');
      return {
        url,
        blueprint: nestApp.get(BlueprintRegistry).get('local'),
        selects,
        cache: options.cache ? nestApp.get<Cache>(CACHE_MANAGER) : undefined,
        browser: () => request.agent(url),
        close: () => nestApp.close(),
      };
    }

    const users = () => database.dataSource.getRepository(ScenarioUser);
    const oauthRows = () =>
      database.dataSource
        .getRepository(OAuth)
        .find({ relations: { user: true }, order: { id: 'ASC' } });
    const createUser = (name: string) => users().save({ name });
    const currentUser: UserResolver = (req) =>
      (req as Request & { user?: ScenarioUser }).user;
    const signedIn = async (name: string) => {
      const browser = app!.browser();
      await browser.post('/auth/signin').send({ name }).expect(201);
      return browser;
    };
    const tokenFor = async (browser: ReturnType<typeof request.agent>) =>
      (await browser.get('/token').expect(200)).body.token as OAuthToken | null;
    const seeded = (label: string): OAuthToken => ({
      access_token: `${label}-access`,
      token_type: 'Bearer',
    });

    it('1. no user columns, no user: the dance stores exactly one row with the token as JSON, and redirects', async () => {
      app = await startApp({ entity: PlainOAuth, userRequired: false });
      const { response } = await walkDance(app.browser(), server, {
        user: 'nobody',
      });
      expect(response.status).toBe(302);
      expect(response.headers.location).toBe('/');

      const rows = await database.dataSource.getRepository(PlainOAuth).find();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        provider: 'local',
        userId: null,
        providerUserId: null,
      });
      expect(rows[0].token.access_token).toEqual(expect.any(String));
      expect(rows[0].token.token_type).toMatch(/bearer/i);
      expect(rows[0].token.expires_at).toEqual(expect.any(Number));
    });

    it('2. a row’s string form shows class, provider and id, never the token (also as JSON over HTTP)', async () => {
      app = await startApp({ entity: PlainOAuth, userRequired: false });
      await walkDance(app.browser(), server, { user: 'nobody' });
      const [row] = await database.dataSource.getRepository(PlainOAuth).find();

      expect(String(row)).toBe(`PlainOAuth<provider=local id=${row.id}>`);
      const page = await app.browser().get('/connections').expect(200);
      expect(page.body.labels).toEqual([
        `PlainOAuth<provider=local id=${row.id}>`,
      ]);
      expect(page.text).not.toMatch(TOKEN_OF_SECRET);
      expect(page.text).not.toContain(row.token.access_token);
    });

    it('3. a fixed user: the row the dance stores belongs to that user', async () => {
      const alice = await createUser('alice');
      app = await startApp({ user: () => alice });
      const { response } = await walkDance(app.browser(), server, {
        user: 'alice-at-provider',
      });
      expect(response.status).toBe(302);

      const rows = await oauthRows();
      expect(rows).toHaveLength(1);
      expect(rows[0].user?.name).toBe('alice');
      expect(rows[0].userId).toEqual(alice.id);
    });

    it('4. a configured user: no user sees no user rows; switching users shows each their own; delete removes only that user’s', async () => {
      const [alice, bob, sue] = await Promise.all(
        ['alice', 'bob', 'sue'].map(createUser),
      );
      let configured: ScenarioUser | null = null;
      app = await startApp({ user: () => configured, userRequired: false });
      await app.blueprint.setToken(seeded('alice'), { user: alice });
      await app.blueprint.setToken(seeded('bob'), { user: bob });
      const browser = app.browser();

      expect(await tokenFor(browser)).toBeNull();
      for (const [user, expected] of [
        [alice, 'alice'],
        [bob, 'bob'],
        [alice, 'alice'],
      ] as const) {
        configured = user;
        expect(await tokenFor(browser)).toMatchObject(seeded(expected));
      }
      configured = sue;
      expect(await tokenFor(browser)).toBeNull();

      configured = bob;
      await browser.delete('/token').expect(200);
      const rows = await oauthRows();
      expect(rows.map((row) => row.user?.name)).toEqual(['alice']);
      configured = alice;
      expect(await tokenFor(browser)).toMatchObject(seeded('alice'));
    });

    it('5. current-user mode: alice then bob dance, two rows, each their own; a third user has none', async () => {
      await Promise.all(['alice', 'bob', 'sue'].map(createUser));
      app = await startApp({ user: currentUser });
      const tokens: Record<string, OAuthToken | null> = {};
      for (const name of ['alice', 'bob']) {
        const browser = await signedIn(name);
        await walkDance(browser, server, { user: `${name}-at-provider` });
        tokens[name] = await tokenFor(browser);
      }

      const rows = await oauthRows();
      expect(rows.map((row) => row.user?.name)).toEqual(['alice', 'bob']);
      expect(rows[0].token).toEqual(tokens.alice);
      expect(rows[1].token).toEqual(tokens.bob);
      expect(tokens.alice?.access_token).not.toBe(tokens.bob?.access_token);
      expect(await tokenFor(await signedIn('sue'))).toBeNull();
    });

    it('6. current-user mode, nobody signed in: the callback still redirects, the error hook fires once, nothing is stored', async () => {
      const errors: OAuthErrorEvent[] = [];
      app = await startApp({
        user: currentUser,
        hooks: { error: (event) => void errors.push(event) },
      });
      const { response } = await walkDance(app.browser(), server, {
        user: 'someone',
      });

      expect(response.status).toBe(302);
      expect(errors).toHaveLength(1);
      expect(errors[0].description).toMatch(
        /cannot set OAuth token without an associated user/i,
      );
      expect(await oauthRows()).toHaveLength(0);
    });

    it('7. nobody signed in: the authorized hook calls the API with the new token, creates and signs in the user, who owns the token', async () => {
      app = await startApp({
        user: currentUser,
        hooks: {
          async authorized({ blueprint, token, request: req }) {
            const response = await blueprint.fetch(server.endpoints.userinfo, {
              token,
            });
            const me = (await response.json()) as { sub: string };
            const user = await createUser(`provider-${me.sub}`);
            (req.session as unknown as { userName: string }).userName =
              user.name;
            return { user };
          },
        },
      });
      const browser = app.browser();
      const { response } = await walkDance(browser, server, {
        user: 'carol',
      });
      expect(response.status).toBe(302);

      expect((await users().find()).map((u) => u.name)).toEqual([
        'provider-carol',
      ]);
      const rows = await oauthRows();
      expect(rows).toHaveLength(1);
      expect(rows[0].user?.name).toBe('provider-carol');
      expect(await tokenFor(browser)).toEqual(rows[0].token);
    });

    it('8. each request gets its own user’s token, a third user none, and a signed-out request a clear error', async () => {
      const [alice, bob] = await Promise.all(
        ['alice', 'bob', 'sue'].map(createUser),
      );
      app = await startApp({ user: currentUser });
      await app.blueprint.setToken(seeded('alice'), { user: alice });
      await app.blueprint.setToken(seeded('bob'), { user: bob });

      const [aliceBrowser, bobBrowser, sueBrowser] = await Promise.all(
        ['alice', 'bob', 'sue'].map(signedIn),
      );
      const [aliceToken, bobToken, sueToken] = await Promise.all(
        [aliceBrowser, bobBrowser, sueBrowser].map(tokenFor),
      );
      expect(aliceToken).toMatchObject(seeded('alice'));
      expect(bobToken).toMatchObject(seeded('bob'));
      expect(sueToken).toBeNull();

      const signedOut = await app.browser().get('/token').expect(401);
      expect(signedOut.body.message).toMatch(
        /Cannot get OAuth token without an associated user/,
      );
    });

    it('9. no user required and anonymous: no error and no token, even when users have tokens', async () => {
      const alice = await createUser('alice');
      app = await startApp({ user: currentUser, userRequired: false });
      await app.blueprint.setToken(seeded('alice'), { user: alice });
      expect(await tokenFor(app.browser())).toBeNull();
    });

    it('10. a userless row is returned to anonymous requests, and deleting it empties the table', async () => {
      const alice = await createUser('alice');
      app = await startApp({ user: currentUser, userRequired: false });
      await app.blueprint.setToken(seeded('alice'), { user: alice });
      // An anonymous write: Flask-Dance deleted every user's row here.
      await app.blueprint.setToken(seeded('shared'), { userId: null });
      expect(await oauthRows()).toHaveLength(2);
      const browser = app.browser();
      expect(await tokenFor(browser)).toMatchObject(seeded('shared'));

      await browser.delete('/token').expect(200);
      expect((await oauthRows()).map((row) => row.user?.name)).toEqual([
        'alice',
      ]);
      await (await signedIn('alice')).delete('/token').expect(200);
      expect(await oauthRows()).toHaveLength(0);
    });

    it('11. a second dance for the same owner overwrites in place: one row, the new token', async () => {
      await createUser('alice');
      app = await startApp({ user: currentUser });
      const browser = await signedIn('alice');
      await walkDance(browser, server, { user: 'alice-at-provider' });
      const [first] = await oauthRows();
      await walkDance(browser, server, { user: 'alice-at-provider' });

      const rows = await oauthRows();
      expect(rows).toHaveLength(1);
      expect(rows[0].id).toBe(first.id);
      expect(rows[0].token.access_token).not.toBe(first.token.access_token);
      expect(await tokenFor(browser)).toEqual(rows[0].token);
    });

    it('12. with a cache: after the dance the cache is empty, the first read queries once and fills it, the second does not query', async () => {
      const alice = await createUser('alice');
      app = await startApp({ user: currentUser, cache: true });
      const browser = await signedIn('alice');
      await walkDance(browser, server, { user: 'alice-at-provider' });
      const cacheKey = tokenCacheKey({
        provider: 'local',
        userId: String(alice.id),
      });
      expect(await app.cache!.get(cacheKey)).toBeUndefined();

      app.selects.reset();
      const first = await tokenFor(browser);
      expect(app.selects.selects).toBe(1);
      expect(await app.cache!.get(cacheKey)).toEqual(first);

      const second = await tokenFor(browser);
      expect(app.selects.selects).toBe(1);
      expect(second).toEqual(first);
      expect(first?.access_token).toEqual(expect.any(String));
    });
  },
);
