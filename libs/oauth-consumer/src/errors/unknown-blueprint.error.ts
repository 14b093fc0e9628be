import { OAuthConsumerError } from './oauth-consumer.error';

/**
 * A blueprint was asked for by a name that was never registered.
 * @publicApi
 */
export class UnknownBlueprintError extends OAuthConsumerError {
  constructor(
    readonly blueprintName: string,
    known: readonly string[],
    requestedBy?: string,
  ) {
    const where = requestedBy ? ` (asked for by ${requestedBy})` : '';
    const list = known.length ? known.map((n) => `'${n}'`).join(', ') : 'none';
    super(
      `Unknown provider '${blueprintName}'${where}: register it in ` +
        `OAuthConsumerModule.forRoot({ blueprints }). Registered: ${list}.`,
    );
  }
}
