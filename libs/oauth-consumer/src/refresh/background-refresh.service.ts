import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { BlueprintRegistry } from '../blueprint/blueprint.registry';
import { InvalidOptionsError } from '../errors/invalid-options.error';
import { TokenListingUnsupportedError } from '../errors/token-listing-unsupported.error';
import { TokenStorage } from '../storage/token-storage.interface';
import { OAuthConsumerModuleOptions } from '../oauth-consumer-options.interface';
import { OAUTH_CONSUMER_OPTIONS } from '../oauth-consumer.module-definition';
import { redactText } from '../redaction/redact.util';
import { TokenRefresher } from './token-refresher';

const DEFAULT_EVERY_MS = 60_000;
const DEFAULT_WITHIN_MS = 300_000;
const DEFAULT_LIMIT = 500;

/**
 * The opt-in background refresh (`refresh: { background: { every, within } }`): once the app
 * has started, runs `TokenRefresher.refreshDue()` every `every` ms (one sweep at a time, across
 * processes too); stops when the app shuts down, waiting for a sweep in progress.
 */
@Injectable()
export class BackgroundRefresh
  implements OnApplicationBootstrap, OnModuleDestroy
{
  private readonly logger = new Logger('nest-dance');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    @Inject(OAUTH_CONSUMER_OPTIONS)
    private readonly options: OAuthConsumerModuleOptions,
    private readonly refresher: TokenRefresher,
    private readonly registry: BlueprintRegistry,
  ) {}

  /** Starts the interval when `refresh.background` is set. */
  onApplicationBootstrap(): void {
    const background = this.options.refresh?.background;
    if (!background) return;
    const every = background.every ?? DEFAULT_EVERY_MS;
    const within = background.within ?? DEFAULT_WITHIN_MS;
    if (!(every > 0) || !(within > 0) || !Number.isFinite(every)) {
      throw new InvalidOptionsError(
        'refresh.background needs positive every and within, in milliseconds ' +
          '(e.g. { every: 60_000, within: 300_000 }), or set it to false.',
      );
    }
    for (const blueprint of this.registry.all()) {
      const storage = innermost(blueprint.storage);
      if (typeof storage.listExpiring !== 'function') {
        throw new TokenListingUnsupportedError(
          storage.constructor.name,
          'listExpiring',
        );
      }
    }
    const limit = background.limit ?? DEFAULT_LIMIT;
    this.timer = setInterval(() => {
      // One sweep at a time here; the sweep lock does the same across processes.
      if (this.running) return;
      this.running = this.refresher
        .refreshDue({ within, limit })
        .then(
          () => undefined,
          (error: unknown) =>
            this.logger.warn(
              `The background token refresh failed: ${redactText(
                error instanceof Error
                  ? `${error.name}: ${error.message}`
                  : 'unknown error',
              )}`,
            ),
        )
        .finally(() => (this.running = undefined));
    }, every);
    // Never keeps the process alive by itself.
    this.timer.unref();
  }

  /** Stops the interval and waits for a sweep in progress. */
  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Whether the interval is on (for tests and health checks). */
  get active(): boolean {
    return this.timer !== undefined;
  }
}

/** The storage under the cache and encryption wrappers (they expose it as `storage`). */
function innermost(storage: TokenStorage): TokenStorage {
  let current = storage;
  for (;;) {
    const inner = (current as { storage?: unknown }).storage;
    if (!(inner instanceof TokenStorage)) return current;
    current = inner;
  }
}
