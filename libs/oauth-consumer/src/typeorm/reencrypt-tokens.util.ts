import { DataSource, EntityTarget } from 'typeorm';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import { OAuthToken } from '../storage/oauth-token.interface';
import {
  OpenedToken,
  TokenCipher,
  isSealedToken,
} from '../storage/token-cipher.util';
import { plaintextMode } from '../storage/encrypted-token.storage';
import {
  PlaintextTokenMode,
  TokenEncryptionKeyInput,
  UnreadableTokenReason,
} from '../storage/token-encryption.interface';
import { TokenKey } from '../storage/token-key.interface';
import { OAuthTokenEntity } from './oauth-token.entity';

/**
 * Options of `reencryptTokens()`.
 * @publicApi
 */
export interface ReencryptTokensOptions {
  /** The key ring, exactly as the app's `encryption.keys`: the first key is the target. */
  keys: readonly TokenEncryptionKeyInput[];
  /**
   * Rows that are not encrypted: `'refuse'` (default) leaves them untouched and reports them as
   * unreadable (`reason: 'plaintext'`), so a token planted in the table is never sealed into a
   * valid one; `'migrate'` seals them, once, when encryption is turned on over an existing table.
   */
  plaintext?: PlaintextTokenMode;
  /** Rows read and written per batch (default 100). */
  batchSize?: number;
  /** Called after each batch with the totals so far (for progress output). */
  onBatch?: (progress: Readonly<ReencryptTokensResult>) => void;
}

/**
 * A row `reencryptTokens()` left alone because it could not be decrypted: its id and why,
 * never its value.
 * @publicApi
 */
export interface UnreadableTokenRow {
  /** The row's primary key. */
  id: number;
  /** The row's provider. */
  provider: string;
  /** Why it could not be decrypted. */
  reason: UnreadableTokenReason;
  /** The key id the envelope names, if any. */
  keyId?: string;
}

/**
 * What `reencryptTokens()` did.
 * @publicApi
 */
export interface ReencryptTokensResult {
  /** Rows read. */
  scanned: number;
  /** Rows moved from an older key to the current one. */
  reencrypted: number;
  /** Plaintext rows (stored before encryption was on) now sealed (with `plaintext: 'migrate'`). */
  encrypted: number;
  /** Rows already on the current key, not written. */
  current: number;
  /** Rows the app rewrote while the helper ran: left as the app wrote them. */
  changed: number;
  /** Rows that could not be decrypted, and refused plaintext rows, left untouched. */
  unreadable: UnreadableTokenRow[];
}

interface RawRow {
  id: number | string;
  provider: string;
  userId: string | number | null;
  providerUserId: string | null;
  raw: string | null;
}

const DEFAULT_BATCH_SIZE = 100;

/**
 * Re-encrypts every row of a TypeORM token table with the current (first) key of `keys`, in
 * batches by primary key: rows on an older key are re-sealed, rows already on the current key
 * are skipped, undecryptable rows are left untouched and reported, and so are plaintext rows
 * unless `plaintext: 'migrate'` seals them.
 * Each write is a compare-and-set on the row's stored value, so a token the app rewrites
 * meanwhile is never overwritten, and `updatedAt` is kept. Safe to re-run; run it after
 * deploying a new first key and before removing a retired one.
 * @publicApi
 * @example const result = await reencryptTokens(dataSource, OAuth, { keys: [k2, k1] });
 */
export async function reencryptTokens(
  dataSource: DataSource,
  entity: EntityTarget<OAuthTokenEntity>,
  options: ReencryptTokensOptions,
): Promise<ReencryptTokensResult> {
  const cipher = new TokenCipher(options.keys);
  const plaintext = plaintextMode(options);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new InvalidOptionsError(
      `reencryptTokens({ batchSize: ${batchSize} }): use a whole number from 1 (default ${DEFAULT_BATCH_SIZE}).`,
    );
  }
  const table = describeTable(dataSource, entity);
  const result: ReencryptTokensResult = {
    scanned: 0,
    reencrypted: 0,
    encrypted: 0,
    current: 0,
    changed: 0,
    unreadable: [],
  };
  let after: number | null = null;
  for (;;) {
    const query = dataSource
      .createQueryBuilder()
      .select(table.column('id'), 'id')
      .addSelect(table.column('provider'), 'provider')
      .addSelect(table.column('userId'), 'userId')
      .addSelect(table.column('providerUserId'), 'providerUserId')
      .addSelect(`CAST(${table.column('token')} AS ${table.textType})`, 'raw')
      .from(table.target, table.alias)
      .orderBy(table.column('id'), 'ASC')
      .limit(batchSize);
    if (after !== null)
      query.where(`${table.column('id')} > :after`, { after });
    const rows: RawRow[] = await query.getRawMany();
    for (const row of rows) await reencryptRow(row);
    options.onBatch?.(result);
    if (rows.length < batchSize) return result;
    after = Number(rows[rows.length - 1].id);
  }

  async function reencryptRow(row: RawRow): Promise<void> {
    result.scanned++;
    const id = Number(row.id);
    const stored = parse(row.raw);
    const key: TokenKey = {
      provider: row.provider,
      userId: row.userId === null ? null : String(row.userId),
      ...(row.providerUserId === null ? {} : { accountId: row.providerUserId }),
    };
    let opened: OpenedToken = usable(stored)
      ? cipher.open(key, stored)
      : { kind: 'unreadable', reason: 'malformed' };
    if (opened.kind === 'plaintext' && plaintext === 'refuse')
      opened = { kind: 'unreadable', reason: 'plaintext' };
    if (opened.kind === 'unreadable') {
      result.unreadable.push({
        id,
        provider: row.provider,
        reason: opened.reason,
        ...(opened.keyId === undefined ? {} : { keyId: opened.keyId }),
      });
      return;
    }
    if (opened.kind === 'sealed' && opened.current) {
      result.current++;
      return;
    }
    const written = await table.compareAndSet(
      id,
      row.raw!,
      cipher.seal(key, opened.token),
    );
    if (!written) result.changed++;
    else if (opened.kind === 'plaintext') result.encrypted++;
    else result.reencrypted++;
  }
}

/** The entity's table as this helper needs it: escaped columns and a compare-and-set write. */
function describeTable(
  dataSource: DataSource,
  entity: EntityTarget<OAuthTokenEntity>,
) {
  const name =
    typeof entity === 'function'
      ? entity.name
      : typeof entity === 'string'
        ? entity
        : 'the token entity';
  if (!dataSource.isInitialized) {
    throw new InvalidOptionsError(
      `reencryptTokens(): the DataSource for ${name} is not initialized: call await dataSource.initialize() first.`,
    );
  }
  if (!dataSource.hasMetadata(entity)) {
    throw new InvalidOptionsError(
      `reencryptTokens(): ${name} is not an entity of this DataSource: pass the entity class your ` +
        'TypeOrmTokenStorage uses, and list it in the DataSource entities.',
    );
  }
  const metadata = dataSource.getMetadata(entity);
  const escape = (name: string) => dataSource.driver.escape(name);
  const databaseName = (property: string): string => {
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) {
      throw new InvalidOptionsError(
        `reencryptTokens(): ${metadata.name} has no '${property}' column: it must extend OAuthTokenEntity.`,
      );
    }
    return column.databaseName;
  };
  for (const property of [
    'id',
    'provider',
    'userId',
    'providerUserId',
    'token',
  ]) {
    databaseName(property);
  }
  const alias = 'owner';
  const type = dataSource.options.type;
  const textType =
    type === 'mysql' || type === 'mariadb' || type === 'aurora-mysql'
      ? 'CHAR'
      : 'TEXT';
  const updatedAt = metadata.updateDateColumn;
  return {
    target: metadata.target,
    alias,
    textType,
    column: (property: string) =>
      `${escape(alias)}.${escape(databaseName(property))}`,
    async compareAndSet(
      id: number,
      raw: string,
      envelope: OAuthToken,
    ): Promise<boolean> {
      const values: Record<string, unknown> = { token: envelope };
      // Re-encryption is not a new token: keep updatedAt as it was.
      if (updatedAt) {
        const column = escape(updatedAt.databaseName);
        values[updatedAt.propertyName] = () => column;
      }
      const update = await dataSource
        .createQueryBuilder()
        .update(metadata.target)
        .set(values)
        .where(`${escape(databaseName('id'))} = :id`, { id })
        .andWhere(
          `CAST(${escape(databaseName('token'))} AS ${textType}) = :raw`,
          {
            raw,
          },
        )
        .updateEntity(false)
        .execute();
      return (update.affected ?? 0) > 0;
    },
  };
}

/** A sealed envelope, or a plaintext token worth sealing (with a non-empty access_token). */
function usable(stored: OAuthToken | null): stored is OAuthToken {
  if (!stored) return false;
  if (isSealedToken(stored)) return true;
  return typeof stored.access_token === 'string' && stored.access_token !== '';
}

function parse(raw: string | null): OAuthToken | null {
  if (typeof raw !== 'string') return null;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as OAuthToken)
      : null;
  } catch {
    return null;
  }
}
