import { OAuthTokenEntity } from 'nest-dance/typeorm';
import { Entity } from 'typeorm';

/** The demo's token table: one row per provider and demo user (see `OAuthTokenEntity`). */
@Entity('demo_oauth_token')
export class DemoToken extends OAuthTokenEntity {}
