import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
} from 'typeorm';

/** A demo user: signing in by name creates one; its id owns the user's tokens. */
@Entity('demo_user')
export class DemoUser {
  /** The id tokens are stored under (`TokenKey.userId`). */
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The name the user signed in with, unique. */
  @Column({ type: 'varchar', length: 60, unique: true })
  name: string;

  /** When the user first signed in. */
  @CreateDateColumn()
  createdAt: Date;
}
