import { ConfigurableModuleBuilder } from '@nestjs/common';
import {
  OAuthConsumerModuleExtras,
  OAuthConsumerModuleOptions,
} from './oauth-consumer-options.interface';

/** The generated base of the core module, its options token and option types. */
export const {
  ConfigurableModuleClass: ConfigurableOAuthConsumerModule,
  MODULE_OPTIONS_TOKEN: OAUTH_CONSUMER_OPTIONS,
  OPTIONS_TYPE: OAUTH_CONSUMER_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: OAUTH_CONSUMER_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<OAuthConsumerModuleOptions>({
  moduleName: 'OAuthConsumer',
})
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createOAuthConsumerOptions')
  .setExtras<OAuthConsumerModuleExtras>(
    { storage: undefined, loginPath: undefined, refreshLock: undefined },
    (definition) => definition,
  )
  .build();

/** What `forRoot` accepts. */
export type OAuthConsumerRootOptions = typeof OAUTH_CONSUMER_OPTIONS_TYPE;
/** What `forRootAsync` accepts. */
export type OAuthConsumerAsyncOptions =
  typeof OAUTH_CONSUMER_ASYNC_OPTIONS_TYPE;
