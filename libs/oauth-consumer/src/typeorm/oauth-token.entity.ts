import { inspect } from 'node:util';
import {
  Column,
  CreateDateColumn,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { OAuthToken } from '../storage/oauth-token.interface';

/**
 * The base of an app's token entity, the analog of Flask-Dance's OAuthConsumerMixin. Extend it
 * with `@Entity()` and add what the app needs (a `user` relation, its own columns):
 *
 * ```ts
 * @Entity()
 * class OAuth extends OAuthTokenEntity {
 *   @ManyToOne(() => User, { nullable: true, onDelete: 'CASCADE' })
 *   user: User | null;
 * }
 * ```
 *
 * One row per owner (provider, user, provider account). SQL treats NULLs as distinct, so a
 * unique index on (provider, userId, providerUserId) would let two userless rows of one
 * provider coexist (and MySQL's case- and trailing-space-insensitive collations would merge
 * different owners). Instead the owner is also stored as `ownerKey`, a NOT NULL hash of the
 * whole key (see `ownerKeyOf`), and *that* column carries the unique index: it holds for NULL
 * users and accounts alike, on every database, and is the column the storage reads and upserts
 * by. `provider`, `userId` and `providerUserId` stay readable for queries and foreign keys.
 *
 * `(userId, provider)` is indexed for listing a user's connections, `expiresAt` for the
 * background refresh.
 *
 * `token` uses TypeORM's `json` type: `json` on PostgreSQL and MySQL, JSON (LONGTEXT with a
 * validity check) on MariaDB, text on SQLite and better-sqlite3.
 * The token never appears in `String(row)`, `util.inspect(row)` or `JSON.stringify(row)`.
 * @publicApi
 */
@Index(['userId', 'provider'])
export abstract class OAuthTokenEntity {
  /** Surrogate primary key. */
  @PrimaryGeneratedColumn()
  id: number;

  /** The blueprint name the token belongs to (e.g. `github`). */
  @Column({ type: 'varchar', length: 50 })
  provider: string;

  /**
   * The owning user's id, or NULL for the userless token. When the subclass declares a
   * `user` relation (`@ManyToOne(() => User) user`), TypeORM uses this column as its join
   * column and gives it the type of User's primary key.
   */
  @Column({ type: 'varchar', nullable: true })
  userId: string | null;

  /** Which of the user's accounts at the provider (`TokenKey.accountId`), or NULL for the only one. */
  @Column({ type: 'varchar', nullable: true })
  providerUserId: string | null;

  /** Unique, never NULL: `ownerKeyOf({ provider, userId, accountId: providerUserId })`. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  ownerKey: string;

  /** The token endpoint's response plus `expires_at`. */
  @Column({ type: 'json' })
  token: OAuthToken;

  /**
   * The token's `expires_at` (epoch seconds), or NULL when it does not expire: indexed, so the
   * background refresh finds due tokens without reading every row. Kept in step with `token`.
   */
  @Index()
  @Column({
    type: 'bigint',
    nullable: true,
    transformer: {
      to: (value: number | null | undefined) => value ?? null,
      from: (value: string | number | null) =>
        value === null || value === undefined ? null : Number(value),
    },
  })
  expiresAt: number | null;

  /** When the row was first stored. */
  @CreateDateColumn()
  createdAt: Date;

  /** When the token was last written (each refresh updates it in place). */
  @UpdateDateColumn()
  updatedAt: Date;

  /** `OAuth<provider=github id=3>`: never the token. */
  toString(): string {
    return `${this.constructor.name}<provider=${this.provider} id=${this.id}>`;
  }

  /** What `JSON.stringify` (and Nest's response serialization) sees: every field but the token. */
  toJSON(): Record<string, unknown> {
    const { token: _token, ...visible } = this as Record<string, unknown>;
    return visible;
  }

  /** What `console.log` and `util.inspect` show: the same as `toString()`. */
  [inspect.custom](): string {
    return this.toString();
  }
}
