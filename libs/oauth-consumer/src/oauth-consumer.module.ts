import { DynamicModule, Module } from '@nestjs/common';
import { OAuthConsumerCoreModule } from './oauth-consumer-core.module';
import {
  OAuthConsumerAsyncOptions,
  OAuthConsumerRootOptions,
} from './oauth-consumer.module-definition';

/**
 * Registers OAuth blueprints and the token storage for the whole app.
 * @publicApi
 * @example OAuthConsumerModule.forRoot({ blueprints: [github({ clientId, clientSecret })] })
 */
@Module({})
export class OAuthConsumerModule {
  /** Registers blueprints and storage from static options. */
  static forRoot(options: OAuthConsumerRootOptions): DynamicModule {
    return {
      module: OAuthConsumerModule,
      imports: [OAuthConsumerCoreModule.forRoot(options)],
    };
  }

  /** Registers blueprints from options made by a factory (e.g. from ConfigService). */
  static forRootAsync(options: OAuthConsumerAsyncOptions): DynamicModule {
    return {
      module: OAuthConsumerModule,
      imports: [OAuthConsumerCoreModule.forRootAsync(options)],
    };
  }
}
