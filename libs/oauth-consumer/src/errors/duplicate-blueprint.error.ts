import { OAuthConsumerError } from './oauth-consumer.error';

/**
 * Two blueprints were registered with one name.
 * @publicApi
 */
export class DuplicateBlueprintError extends OAuthConsumerError {
  constructor(readonly blueprintName: string) {
    super(
      `Blueprint '${blueprintName}' is registered twice in OAuthConsumerModule.forRoot({ blueprints }): ` +
        `give each blueprint its own name (e.g. github({ name: 'github-work', ... })).`,
    );
  }
}
