import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { OAuthConsumerModuleOptions } from '../oauth-consumer-options.interface';
import { OAUTH_CONSUMER_OPTIONS } from '../oauth-consumer.module-definition';
import { redactText } from '../redaction/redact.util';
import { ConnectionEvent, OAuthEventMap } from './oauth-hooks.interface';

type Listener<K extends keyof OAuthEventMap> = (
  event: OAuthEventMap[K],
) => void | Promise<void>;

/**
 * The dance's hooks as events, for code that only listens: `events.on('authorized', fn)`.
 * A failing listener is logged (its message only) and never breaks the dance.
 * @publicApi
 */
@Injectable()
export class OAuthEvents {
  private readonly logger = new Logger('nest-dance');
  private readonly listeners = new Map<
    keyof OAuthEventMap,
    Set<Listener<never>>
  >();

  constructor(
    @Optional()
    @Inject(OAUTH_CONSUMER_OPTIONS)
    private readonly options?: OAuthConsumerModuleOptions,
  ) {}

  /**
   * Tells the `connection` hook, then the `connection.<type>` listeners, that a connection
   * changed. A failing hook is logged and changes nothing.
   */
  async emitConnection(event: ConnectionEvent): Promise<void> {
    try {
      await this.options?.hooks?.connection?.(event);
    } catch (error) {
      this.logger.warn(
        `The connection hook failed (${event.type}): ${redactText(String((error as Error)?.message))}`,
      );
    }
    await this.emit(`connection.${event.type}`, event);
  }

  /** Listens to `event`; returns a function that stops listening. */
  on<K extends keyof OAuthEventMap>(
    event: K,
    listener: Listener<K>,
  ): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as Listener<never>);
    return () => set.delete(listener as Listener<never>);
  }

  /** Calls every listener of `event` and waits for them. */
  async emit<K extends keyof OAuthEventMap>(
    event: K,
    payload: OAuthEventMap[K],
  ): Promise<void> {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of set) {
      try {
        await (listener as Listener<K>)(payload);
      } catch (error) {
        this.logger.warn(
          `An '${event}' listener failed: ${redactText(String((error as Error)?.message))}`,
        );
      }
    }
  }
}
