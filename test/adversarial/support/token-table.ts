import { randomBytes } from 'node:crypto';
import { BlueprintOptions, OAuthToken, TokenStorageBinding } from 'nest-dance';
import { LocalAuthorizationServer } from 'nest-dance/testing';
import { OAuthTokenEntity, TypeOrmTokenStorage } from 'nest-dance/typeorm';
import { DataSource, Entity } from 'typeorm';
import { localBlueprint } from '../../support/dance-app';

/** The adversarial suites' token table (each suite in its own schema or SQLite file). */
@Entity('nd_adv_token')
export class AdvToken extends OAuthTokenEntity {}

/** A row as it lies in the database: the token column as raw text. */
export interface RawTokenRow {
  id: number;
  provider: string;
  userId: string | null;
  raw: string;
  updatedAt: Date;
}

/** A storage binding over `dataSource`'s AdvToken table, for `forRoot({ storage })`. */
export function advStorage(dataSource: DataSource): TokenStorageBinding {
  return { useFactory: () => new TypeOrmTokenStorage(dataSource, AdvToken) };
}

/** Every row with its token column as stored text (no entity hydration, no decryption). */
export async function rawRows(dataSource: DataSource): Promise<RawTokenRow[]> {
  const rows: Array<Record<string, unknown>> = await dataSource
    .createQueryBuilder()
    .select('t.id', 'id')
    .addSelect('t.provider', 'provider')
    .addSelect('t.userId', 'userId')
    .addSelect('CAST(t.token AS TEXT)', 'raw')
    .addSelect('t.updatedAt', 'updatedAt')
    .from(AdvToken, 't')
    .orderBy('t.id')
    .getRawMany();
  return rows.map((row) => ({
    id: Number(row.id),
    provider: String(row.provider),
    userId: row.userId === null ? null : String(row.userId),
    raw: String(row.raw),
    updatedAt: new Date(row.updatedAt as string),
  }));
}

/** The raw token text of one owner's row. */
export async function rawOf(
  dataSource: DataSource,
  userId: string,
  provider = 'local',
): Promise<string> {
  const row = (await rawRows(dataSource)).find(
    (r) => r.userId === userId && r.provider === provider,
  );
  if (!row) throw new Error(`no ${provider} row for ${userId}`);
  return row.raw;
}

/** Overwrites one owner's token column with `raw` text, as an attacker with SQL access would. */
export async function writeRaw(
  dataSource: DataSource,
  userId: string,
  raw: string,
  provider = 'local',
): Promise<void> {
  const value =
    dataSource.options.type === 'postgres' ? 'CAST(:raw AS json)' : ':raw';
  await dataSource
    .createQueryBuilder()
    .update(AdvToken)
    .set({ token: () => value })
    .where(`${dataSource.driver.escape('userId')} = :userId`, { userId })
    .andWhere(`${dataSource.driver.escape('provider')} = :provider`, {
      provider,
    })
    .setParameter('raw', raw)
    .execute();
}

/** A token whose every field (id_token and a nested extra included) carries a findable marker. */
export function plantedToken(label: string): OAuthToken {
  return {
    access_token: `PLANT-AT-${label}-${marker}`,
    refresh_token: `PLANT-RT-${label}-${marker}`,
    id_token: `PLANT-ID-${label}-${marker}`,
    token_type: 'Bearer',
    expires_in: 3600,
    scope: `PLANT-SCOPE-${label}`,
    plant_extra: { nested: [`PLANT-EXTRA-${label}-${marker}`] },
  };
}

/**
 * The local blueprint for dances that store a `plantedToken`: without an `issuer`, so the
 * planted `id_token` (no JWT) is left out by the protocol engine instead of failing the dance,
 * as an ID token nobody can validate must be. What is stored is still every other planted field.
 */
export function plantingBlueprint(
  server: LocalAuthorizationServer,
): BlueprintOptions {
  return localBlueprint(server, { issuer: undefined });
}

/** Matches anything of a planted token. */
export const PLANTED = /PLANT-/;

const marker = randomBytes(4).toString('hex');

/** A fresh AES-256 key, base64. */
export function newKey(): string {
  return randomBytes(32).toString('base64');
}

/** The parts of a v1 envelope found in raw text. */
export function envelopeOf(raw: string): {
  keyId: string;
  data: Buffer;
  sealed: string;
} {
  const stored = JSON.parse(raw) as { nest_dance_sealed?: string };
  const sealed = stored.nest_dance_sealed;
  if (typeof sealed !== 'string') throw new Error('not an envelope');
  const [, keyId, data] = sealed.split('.');
  return { keyId, data: Buffer.from(data, 'base64url'), sealed };
}
