import { Inject, Injectable, InjectionToken, Type } from '@nestjs/common';
import { DataSource, EntityMetadata, EntityTarget } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { TokenStorageError } from '../errors/token-storage.error';
import { TokenOperation } from '../errors/user-required.error';
import { OAuthToken } from '../storage/oauth-token.interface';
import { TokenKey } from '../storage/token-key.interface';
import { TokenStorage } from '../storage/token-storage.interface';
import { copyToken } from '../storage/token-copy.util';
import {
  ExpiringTokenQuery,
  StoredToken,
  TokenListQuery,
} from '../storage/token-list.interface';
import { OAuthTokenEntity } from './oauth-token.entity';
import { pgNamedQuery } from './pg-named-query.util';
import { ownerKeyOf } from './owner-key.util';

/**
 * Options of `TypeOrmTokenStorage.forEntity()`.
 * @publicApi
 */
export interface TypeOrmTokenStorageOptions {
  /**
   * The injection token of the DataSource holding the entity (default: the `DataSource` class,
   * which is how `TypeOrmModule.forRoot()` provides the default one). For a named connection
   * pass `getDataSourceToken('name')` from `@nestjs/typeorm`.
   */
  dataSource?: InjectionToken;
}

/** The rows of a token SELECT: one `token` column. */
type TokenRows = Array<{ token: unknown }>;

/** Runs one SQL statement, built once, with `values` for its parameters. */
type PreparedQuery = (values: unknown[]) => Promise<unknown>;

/** The values of a token row's write, by the property names of `OAuthTokenEntity`. */
interface RowValues {
  provider: string;
  userId: string | null;
  providerUserId: string | null;
  ownerKey: string;
  token: OAuthToken;
  expiresAt: number | null;
}

/** The upsert's SQL, built once by TypeORM's query builder, and the column of each parameter. */
interface PreparedUpsert {
  readonly run: PreparedQuery;
  readonly columns: readonly ColumnMetadata[];
}

/** SQL built once per storage from the entity's metadata (table name, naming strategy, quoting). */
interface PreparedStatements {
  readonly metadata: EntityMetadata;
  /** Runs the token SELECT with `[ownerKey]`; resolves to its rows. */
  readonly selectToken: PreparedQuery;
  /** The write as one prepared statement, or `undefined` where the query builder must run it. */
  readonly upsert: PreparedUpsert | undefined;
  readonly deleteToken: string;
  /** What the upsert writes into an existing row: `token`, `expiresAt`, `updatedAt`. */
  readonly overwriteColumns: readonly string[];
  readonly ownerKeyColumn: string;
}

/** Error codes that mean "another writer got in the way: try again", per driver. */
const RETRYABLE_CODES = new Set([
  '40P01', // PostgreSQL deadlock_detected
  '40001', // PostgreSQL serialization_failure
  'ER_LOCK_DEADLOCK', // MySQL / MariaDB 1213
  'SQLITE_BUSY',
]);
const WRITE_ATTEMPTS = 3;
const REQUIRED_COLUMNS = [
  'provider',
  'userId',
  'providerUserId',
  'ownerKey',
  'expiresAt',
];
const entityStorages = new WeakMap<
  Type<OAuthTokenEntity>,
  Map<InjectionToken, Type<TypeOrmTokenStorage>>
>();

/**
 * Stores tokens as rows of an entity that extends `OAuthTokenEntity`, through the app's own
 * TypeORM DataSource (the library never calls `TypeOrmModule.forRoot`). One row per provider,
 * user and account; a write is one atomic upsert on the entity's unique `ownerKey`, updating
 * `token` and `updatedAt` in place, so the app's own columns survive refreshes and concurrent
 * writes never duplicate a row. Reads are one indexed, parameterized SELECT of the token
 * column, without entity hydration. Database failures throw `TokenStorageError`, never `null`.
 * @publicApi
 * @example OAuthConsumerModule.forRoot({ storage: TypeOrmTokenStorage.forEntity(OAuth), blueprints })
 */
export class TypeOrmTokenStorage extends TokenStorage {
  private prepared: PreparedStatements | undefined;

  constructor(
    /** The DataSource the entity is registered in. */
    protected readonly dataSource: DataSource,
    /** The app's entity class, extending `OAuthTokenEntity`. */
    protected readonly entity: EntityTarget<OAuthTokenEntity>,
  ) {
    super();
  }

  /**
   * An injectable storage class for `entity`, taking the DataSource by dependency injection:
   * bind it with `forRoot({ storage })` or a blueprint's `storage`. Returns the same class for
   * the same entity and DataSource token.
   */
  static forEntity(
    entity: Type<OAuthTokenEntity>,
    options: TypeOrmTokenStorageOptions = {},
  ): Type<TypeOrmTokenStorage> {
    const dataSourceToken = options.dataSource ?? DataSource;
    let byDataSource = entityStorages.get(entity);
    if (!byDataSource) {
      byDataSource = new Map();
      entityStorages.set(entity, byDataSource);
    }
    const existing = byDataSource.get(dataSourceToken);
    if (existing) return existing;

    @Injectable()
    class EntityTokenStorage extends TypeOrmTokenStorage {
      constructor(@Inject(dataSourceToken) dataSource: DataSource) {
        super(dataSource, entity);
      }
    }
    Object.defineProperty(EntityTokenStorage, 'name', {
      value: `TypeOrmTokenStorage<${entity.name}>`,
    });
    byDataSource.set(dataSourceToken, EntityTokenStorage);
    return EntityTokenStorage;
  }

  /** The token stored under `key`, or `null`; throws `TokenStorageError` when the database fails. */
  async get(key: TokenKey): Promise<OAuthToken | null> {
    const statements = this.statements('get', key);
    let rows: TokenRows;
    try {
      rows = (await statements.selectToken([ownerKeyOf(key)])) as TokenRows;
    } catch (error) {
      throw this.failure('get', key, error);
    }
    if (!rows.length) return null;
    return parseToken(rows[0].token, 'get', key);
  }

  /** Stores `token` under `key` with one atomic upsert that updates `token` and `updatedAt` in place. */
  async set(key: TokenKey, token: OAuthToken): Promise<void> {
    const statements = this.statements('set', key);
    const values: RowValues = {
      provider: key.provider,
      userId: key.userId,
      providerUserId: key.accountId ?? null,
      ownerKey: ownerKeyOf(key),
      // A snapshot: the driver must not see later changes to the caller's object.
      token: copyToken(token),
      expiresAt: expiresAtOf(token),
    };
    for (let attempt = 1; ; attempt++) {
      try {
        await this.upsert(statements, values);
        return;
      } catch (error) {
        if (attempt < WRITE_ATTEMPTS && RETRYABLE_CODES.has(codeOf(error)))
          continue;
        throw this.failure('set', key, error, token);
      }
    }
  }

  /**
   * The write: the prepared statement with this row's parameters, each prepared by the driver
   * as the query builder prepares it (transformers, JSON); else the query builder itself.
   */
  private upsert(
    statements: PreparedStatements,
    values: RowValues,
  ): Promise<unknown> {
    const { upsert } = statements;
    if (upsert) {
      const { driver } = this.dataSource;
      return upsert.run(
        upsert.columns.map((column) =>
          driver.preparePersistentValue(
            values[column.propertyName as keyof RowValues],
            column,
          ),
        ),
      );
    }
    return this.upsertBuilder(statements, values).execute();
  }

  /** The upsert as TypeORM's query builder writes it for this driver. */
  private upsertBuilder(
    statements: Omit<PreparedStatements, 'upsert'>,
    values: RowValues,
  ) {
    return this.dataSource
      .createQueryBuilder()
      .insert()
      .into(statements.metadata.target)
      .values(values)
      .orUpdate([...statements.overwriteColumns], [statements.ownerKeyColumn])
      .updateEntity(false);
  }

  /** Deletes the row of `key`; deleting a missing token is fine. Touches no other owner's row. */
  async delete(key: TokenKey): Promise<void> {
    const statements = this.statements('delete', key);
    try {
      await this.dataSource.query(statements.deleteToken, [ownerKeyOf(key)]);
    } catch (error) {
      throw this.failure('delete', key, error);
    }
  }

  /** Every token of `query.userId` (of `query.provider`, when given): one SELECT on the (userId, provider) index. */
  override async list(query: TokenListQuery): Promise<StoredToken[]> {
    const key = { provider: query.provider ?? '*', userId: query.userId };
    const statements = this.statements('get', key);
    const select = this.rowSelect(statements);
    if (query.userId === null) select.where('owner.userId IS NULL');
    else select.where('owner.userId = :userId', { userId: query.userId });
    if (query.provider !== undefined)
      select.andWhere('owner.provider = :provider', {
        provider: query.provider,
      });
    return this.storedTokens(select, key);
  }

  /** Tokens of every owner expiring before `query.before`, soonest first: one SELECT on the `expiresAt` index. */
  override async listExpiring(
    query: ExpiringTokenQuery,
  ): Promise<StoredToken[]> {
    const key = { provider: '*', userId: null };
    const statements = this.statements('get', key);
    const select = this.rowSelect(statements).where(
      'owner.expiresAt < :before',
      { before: Math.ceil(query.before) },
    );
    if (query.after !== undefined)
      select.andWhere('owner.expiresAt >= :after', {
        after: Math.floor(query.after),
      });
    select
      .orderBy('owner.expiresAt', 'ASC')
      .limit(Math.max(0, Math.floor(query.limit)));
    return this.storedTokens(select, key);
  }

  private rowSelect(statements: PreparedStatements) {
    return this.dataSource
      .createQueryBuilder()
      .select('owner.provider', 'provider')
      .addSelect('owner.userId', 'userId')
      .addSelect('owner.providerUserId', 'accountId')
      .addSelect('owner.token', 'token')
      .from(statements.metadata.target, 'owner');
  }

  private async storedTokens(
    select: ReturnType<TypeOrmTokenStorage['rowSelect']>,
    key: TokenKey,
  ): Promise<StoredToken[]> {
    let rows: Array<{
      provider: string;
      userId: string | number | null;
      accountId: string | null;
      token: unknown;
    }>;
    try {
      rows = await select.getRawMany();
    } catch (error) {
      throw this.failure('get', key, error);
    }
    return rows.map((row) => {
      const rowKey: TokenKey = {
        provider: row.provider,
        userId: row.userId === null ? null : String(row.userId),
      };
      if (row.accountId !== null) rowKey.accountId = row.accountId;
      return { key: rowKey, token: parseToken(row.token, 'get', rowKey) };
    });
  }

  private statements(
    operation: TokenOperation,
    key: TokenKey,
  ): PreparedStatements {
    const entityName = nameOf(this.entity);
    if (!this.dataSource.isInitialized) {
      throw new TokenStorageError(
        operation,
        key.provider,
        `the TypeORM DataSource for ${entityName} is not initialized (or was destroyed): ` +
          'initialize it before tokens are used (TypeOrmModule.forRoot() does this at start-up) ' +
          'and do not destroy it while the app runs.',
      );
    }
    if (this.prepared) return this.prepared;
    if (!this.dataSource.hasMetadata(this.entity)) {
      throw new TokenStorageError(
        operation,
        key.provider,
        `${entityName} is not an entity of this DataSource: add it to its entities ` +
          `(TypeOrmModule.forRoot({ entities: [${entityName}] }), or autoLoadEntities with ` +
          `TypeOrmModule.forFeature([${entityName}])) and decorate it with @Entity().`,
      );
    }
    const metadata = this.dataSource.getMetadata(this.entity);
    const missing = [...REQUIRED_COLUMNS, 'token'].filter(
      (property) => !metadata.findColumnWithPropertyName(property),
    );
    if (missing.length) {
      throw new TokenStorageError(
        operation,
        key.provider,
        `${entityName} has no column(s) ${missing.join(', ')}: make it extend ` +
          `OAuthTokenEntity from nest-dance/typeorm.`,
      );
    }
    const column = (property: string) =>
      metadata.findColumnWithPropertyName(property)!.databaseName;
    const [selectToken] = this.dataSource
      .createQueryBuilder()
      .select('owner.token', 'token')
      .from(metadata.target, 'owner')
      .where('owner.ownerKey = :ownerKey', { ownerKey: '' })
      .getQueryAndParameters();
    const [deleteToken] = this.dataSource
      .createQueryBuilder()
      .delete()
      .from(metadata.target)
      .where(
        `${this.dataSource.driver.escape(column('ownerKey'))} = :ownerKey`,
        {
          ownerKey: '',
        },
      )
      .getQueryAndParameters();
    const updatedAt = metadata.updateDateColumn?.databaseName;
    const statements = {
      metadata,
      selectToken: this.preparedQuery(selectToken),
      deleteToken,
      overwriteColumns: [
        column('token'),
        column('expiresAt'),
        ...(updatedAt ? [updatedAt] : []),
      ],
      ownerKeyColumn: column('ownerKey'),
    };
    this.prepared = { ...statements, upsert: this.preparedUpsert(statements) };
    return this.prepared;
  }

  /**
   * The query builder's upsert built once, with a marker value per column, and each of its
   * parameters traced back to the column whose marker it holds: a write then costs the
   * driver's preparation of six values instead of the query builder's work (about a third of
   * a write's CPU on PostgreSQL). `undefined`, so the builder runs each write, when the
   * DataSource has subscribers (they expect the builder's insert events) or a parameter does
   * not trace back to exactly one column.
   */
  private preparedUpsert(
    statements: Omit<PreparedStatements, 'upsert'>,
  ): PreparedUpsert | undefined {
    if (this.dataSource.subscribers.length) return undefined;
    // Plain ASCII: the token's marker must read the same inside its JSON text.
    const marker = (property: string) => `nest-dance-marker:${property}`;
    const markers: RowValues = {
      provider: marker('provider'),
      userId: marker('userId'),
      providerUserId: marker('providerUserId'),
      ownerKey: marker('ownerKey'),
      token: { access_token: marker('token') },
      // A string: SQLite's builder writes numbers into the SQL itself, not as parameters.
      expiresAt: marker('expiresAt') as unknown as number,
    };
    const [sql, parameters] = this.upsertBuilder(
      statements,
      markers,
    ).getQueryAndParameters();
    const columns: ColumnMetadata[] = [];
    for (const parameter of parameters as unknown[]) {
      const property = (Object.keys(markers) as Array<keyof RowValues>).find(
        (name) => holdsMarker(parameter, markers[name]),
      );
      const column =
        property && statements.metadata.findColumnWithPropertyName(property);
      if (!column || columns.includes(column)) return undefined;
      columns.push(column);
    }
    if (columns.length !== Object.keys(markers).length) return undefined;
    return { run: this.preparedQuery(sql), columns };
  }

  /**
   * The hot paths (the token SELECT, the upsert): on PostgreSQL a named prepared statement on
   * the DataSource's pool (`pgNamedQuery`), elsewhere `dataSource.query`.
   */
  private preparedQuery(sql: string): PreparedQuery {
    return (
      pgNamedQuery(this.dataSource, sql) ??
      ((values) => this.dataSource.query(sql, values))
    );
  }

  private failure(
    operation: TokenOperation,
    key: TokenKey,
    error: unknown,
    token?: OAuthToken,
  ): TokenStorageError {
    if (error instanceof TokenStorageError) return error;
    const entityName = nameOf(this.entity);
    const code = codeOf(error);
    const driverMessage = redact(messageOf(error), token);
    const cause = Object.assign(new Error(driverMessage), {
      name: errorName(error),
      code: code || undefined,
    });
    return new TokenStorageError(
      operation,
      key.provider,
      `the database failed (${code || errorName(error)}: ${driverMessage}). ${fixFor(
        code,
        driverMessage,
        entityName,
      )}`,
      { cause },
    );
  }
}

/** Whether a prepared parameter carries `marker` (as it is, or inside the token's JSON). */
function holdsMarker(parameter: unknown, marker: unknown): boolean {
  if (typeof marker === 'string') return parameter === marker;
  const tokenMarker = (marker as OAuthToken).access_token;
  if (typeof parameter === 'string')
    return parameter !== tokenMarker && parameter.includes(tokenMarker);
  return (
    typeof parameter === 'object' &&
    parameter !== null &&
    (parameter as OAuthToken).access_token === tokenMarker
  );
}

/** The `expiresAt` column of a token: its whole `expires_at` seconds, or null. */
function expiresAtOf(token: OAuthToken): number | null {
  const expiresAt = token.expires_at;
  return typeof expiresAt === 'number' && Number.isFinite(expiresAt)
    ? Math.floor(expiresAt)
    : null;
}

function parseToken(
  raw: unknown,
  operation: TokenOperation,
  key: TokenKey,
): OAuthToken {
  // PostgreSQL and MySQL's drivers parse JSON columns; MariaDB and SQLite hand back text.
  let token: unknown = raw;
  if (typeof raw === 'string') {
    try {
      token = JSON.parse(raw);
    } catch {
      token = undefined;
    }
  }
  if (
    token === null ||
    typeof token !== 'object' ||
    typeof (token as OAuthToken).access_token !== 'string'
  ) {
    throw new TokenStorageError(
      operation,
      key.provider,
      'the stored token is not a JSON object with an access_token: fix or delete the row ' +
        '(it was not written by TypeOrmTokenStorage).',
    );
  }
  return token as OAuthToken;
}

function fixFor(code: string, message: string, entityName: string): string {
  const text = `${code} ${message}`.toLowerCase();
  if (
    /42p01|er_no_such_table|no such table|doesn't exist|does not exist/.test(
      text,
    )
  ) {
    return `Create the table of ${entityName}: run your migrations (or use synchronize: true in development).`;
  }
  if (/42703|er_bad_field_error|no such column|unknown column/.test(text)) {
    return `The table of ${entityName} lacks columns of OAuthTokenEntity: generate and run a migration.`;
  }
  if (
    /econnrefused|econnreset|etimedout|enotfound|ehostunreach|connection|terminat|closed|pool/.test(
      text,
    )
  ) {
    return 'Check that the database is running and reachable with the DataSource options.';
  }
  return `Check the database and the table of ${entityName}.`;
}

function nameOf(entity: EntityTarget<OAuthTokenEntity>): string {
  if (typeof entity === 'function') return entity.name;
  if (typeof entity === 'string') return entity;
  return (entity as { name?: string }).name ?? 'the token entity';
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' || typeof code === 'number'
    ? String(code)
    : '';
}

// Duck-typed rather than `instanceof Error`: driver errors may come from another realm.
function errorName(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : 'Error';
}

function messageOf(error: unknown): string {
  const text = (error as { message?: unknown } | null)?.message;
  const message = typeof text === 'string' ? text : String(error);
  // Only the first line: some drivers append the failing row or query below it.
  return message.split('\n')[0].slice(0, 300);
}

/** Removes every string of the token (access, refresh, id token...) from a driver message. */
function redact(message: string, token: OAuthToken | undefined): string {
  if (!token) return message;
  let redacted = message;
  const secrets: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string' && value.length >= 6) secrets.push(value);
    else if (value && typeof value === 'object')
      Object.values(value).forEach(collect);
  };
  collect(token);
  for (const secret of secrets)
    redacted = redacted.split(secret).join('[redacted]');
  return redacted;
}
