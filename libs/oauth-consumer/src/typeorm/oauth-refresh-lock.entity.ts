import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per refresh lock held by a process: add it to your DataSource's `entities` (or
 * create the table with a migration) to use `TypeOrmRefreshLock`.
 * @publicApi
 */
@Entity('nest_dance_refresh_locks')
export class OAuthRefreshLockEntity {
  /** The SHA-256 (64 hex digits) of the lock's name (the token's serialized key, of any length). */
  @PrimaryColumn({ type: 'varchar', length: 191 })
  name: string;

  /** A random id of the holder, so only the holder can release it. */
  @Column({ type: 'varchar', length: 64 })
  owner: string;

  /** When the lock frees itself, in epoch milliseconds (a crashed holder cannot block forever). */
  @Column({ type: 'bigint' })
  expiresAt: string;
}
