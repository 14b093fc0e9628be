import { requireOptionalPeer } from '../optional-peer.util';

/**
 * Throws `MissingPeerError` (`npm install typeorm`) when TypeORM is not installed. Imported
 * first by the `nest-dance/typeorm` barrel, so its error comes before any `typeorm` import.
 */
export function assertTypeOrmInstalled(): void {
  requireOptionalPeer({
    packageName: 'typeorm',
    feature: 'nest-dance/typeorm',
  });
}

assertTypeOrmInstalled();
