import { Injectable, Logger } from '@nestjs/common';
import { redactText } from '../redaction/redact.util';
import { OAuthEventMap } from './oauth-hooks.interface';

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
