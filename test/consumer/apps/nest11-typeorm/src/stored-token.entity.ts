import { Entity } from 'typeorm';
import { OAuthTokenEntity } from 'nest-dance/typeorm';

/** The app's token table. */
@Entity('oauth_tokens')
export class StoredToken extends OAuthTokenEntity {}
