import { timingSafeEqual } from 'node:crypto';
import { Blueprint } from '../blueprint/blueprint';
import { OAuthProfile } from '../blueprint/oauth-profile.interface';
import {
  EdgeCookieOptions,
  HttpExchange,
} from '../platform/http-edge.interface';
import {
  DanceRequest,
  DanceStateRecord,
  DanceStateStore,
  DanceStateStoreConfig,
  exchangeOfDanceRequest,
} from './dance-state.store';
import { StateSealer } from './state-sealer.util';

/** How long the callback's answer waits for the browser's GET after the POST (one redirect). */
const HANDOVER_TTL_MS = 60_000;
/** The form fields a provider posts back (RFC 6749 §4.1.2, OAuth 2.0 Form Post Response Mode). */
const FIELDS: Record<string, number> = {
  code: 2048,
  state: 512,
  iss: 2048,
  error: 128,
  error_description: 1024,
  error_uri: 2048,
  // Sign in with Apple: the user's name and email, as JSON, on the first sign-in only.
  user: 4096,
};

/** Whether a blueprint asks for the answer as a form POST (`response_mode=form_post`). */
export function usesFormPost(blueprint: Blueprint): boolean {
  return blueprint.options.authorizationParams?.response_mode === 'form_post';
}

/** Where the cross-site POST's cookies live, per blueprint. */
export interface FormPostConfig {
  /** The callback path (`/login/apple/authorized`): both cookies are scoped to it. */
  callbackPath: string;
  /** Seals both cookies (the state sealer). */
  sealer: () => StateSealer;
  /** How long a dance may take (the cross-site cookie lives as long). */
  ttlMs: number;
  /** Whether the app is served over https (the hand-over cookie is then `Secure` too). */
  secure: boolean;
}

interface CrossSiteState {
  state: string;
  createdAt: number;
}

/**
 * The state store of a `form_post` blueprint: as any other (session, or a SameSite=Lax cookie),
 * plus the state in a second sealed cookie, `SameSite=None; Secure`, scoped to the callback path
 * and short-lived: the one cookie the provider's cross-site POST carries, so the POST can be
 * checked before anything is kept.
 */
export class FormPostStateStore extends DanceStateStore {
  constructor(
    blueprintName: string,
    config: DanceStateStoreConfig,
    private readonly formPost: FormPostConfig,
  ) {
    super(blueprintName, config);
  }

  override save(request: DanceRequest, record: DanceStateRecord): void {
    super.save(request, record);
    const name = crossSiteCookieName(record.blueprint);
    const value: CrossSiteState = {
      state: record.state,
      createdAt: record.createdAt,
    };
    exchangeOfDanceRequest(request).setCookie(
      name,
      this.formPost.sealer().seal(value, name),
      crossSiteCookie(this.formPost),
    );
  }
}

/**
 * The `form_post` callback of one blueprint. The provider's POST is cross-site, so the app's
 * own cookies (its session, SameSite=Lax) are not sent with it: the POST is only checked
 * against the `SameSite=None` state cookie, then its fields are handed over in a sealed,
 * one-minute `SameSite=Lax` cookie and the browser is sent (303) to the same path with GET, a
 * top-level navigation that carries the app's cookies. The GET then runs the usual callback
 * (state from the session or cookie, owner, code exchange, storage) on the handed-over fields.
 */
export class FormPostCallback {
  constructor(
    private readonly blueprintName: string,
    private readonly config: FormPostConfig,
  ) {}

  /**
   * The POST: resolves to a refusal (status and message) for a malformed or forged post, else
   * hands the fields over and redirects; nothing else happens on the POST.
   */
  accept(
    exchange: HttpExchange,
  ): { status: number; message: string } | undefined {
    const body = exchange.body();
    if (!body || typeof body !== 'object') {
      return {
        status: 400,
        message:
          'The provider posted no form: the app must parse application/x-www-form-urlencoded bodies ' +
          "(Nest's default body parser on Express; @fastify/formbody on Fastify).",
      };
    }
    const fields: Record<string, string> = {};
    for (const [field, max] of Object.entries(FIELDS)) {
      const value = (body as Record<string, unknown>)[field];
      if (value === undefined) continue;
      if (typeof value !== 'string' || value.length > max) {
        return {
          status: 400,
          message: `The '${field}' field is malformed or too long.`,
        };
      }
      fields[field] = value;
    }
    const name = crossSiteCookieName(this.blueprintName);
    const sealed = exchange.cookie(name);
    const expected = sealed
      ? this.config.sealer().open<CrossSiteState>(sealed, name)
      : null;
    if (
      !expected ||
      typeof expected.state !== 'string' ||
      !sameText(expected.state, fields.state) ||
      Date.now() - expected.createdAt > this.config.ttlMs
    ) {
      // Forged, replayed or from another browser: changes nothing (no cookie is cleared).
      return {
        status: 403,
        message:
          'This sign-in answer does not belong to a login started in this browser, or it has expired.',
      };
    }
    exchange.clearCookie(name, crossSiteCookie(this.config));
    const handover = handoverCookieName(this.blueprintName, this.config.secure);
    exchange.setCookie(
      handover,
      this.config.sealer().seal(fields, handover),
      handoverCookie(this.config),
    );
    exchange.redirect(this.config.callbackPath, 303);
    return undefined;
  }

  /**
   * The GET after the POST: the handed-over fields (the cookie is cleared), or `undefined` when
   * this GET did not come from a POST.
   */
  resume(exchange: HttpExchange): Record<string, string> | undefined {
    const name = handoverCookieName(this.blueprintName, this.config.secure);
    const sealed = exchange.cookie(name);
    if (!sealed) return undefined;
    exchange.clearCookie(name, handoverCookie(this.config));
    const fields = this.config
      .sealer()
      .open<Record<string, string>>(sealed, name);
    return fields && typeof fields === 'object' ? fields : undefined;
  }
}

/** The fields handed over to each callback request view (for the `user` field). */
const posted = new WeakMap<object, Record<string, string>>();

/** The request as the callback reads it, with the handed-over fields as its query. */
export function withQuery<T extends object>(
  request: T,
  query: Record<string, string>,
): T {
  const view = Object.create(request) as T;
  posted.set(view, query);
  Object.defineProperty(view, 'query', {
    value: query,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return view;
}

/**
 * The profile with the name Sign in with Apple posts once, on the user's first sign-in, in the
 * `user` field (`{"name":{"firstName","lastName"},"email"}`): the ID token never carries it.
 */
export function withPostedUser(
  profile: OAuthProfile | undefined,
  request: object,
): OAuthProfile | undefined {
  const fields = posted.get(request);
  if (!profile || !fields?.user) return profile;
  let user: unknown;
  try {
    user = JSON.parse(fields.user);
  } catch {
    return profile;
  }
  const name = (user as { name?: { firstName?: unknown; lastName?: unknown } })
    ?.name;
  const full = [name?.firstName, name?.lastName]
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join(' ')
    .slice(0, 200);
  return full && !profile.name ? { ...profile, name: full } : profile;
}

function crossSiteCookieName(blueprint: string): string {
  return `__Secure-nest-dance.fp.${blueprint}`;
}

function handoverCookieName(blueprint: string, secure: boolean): string {
  return `${secure ? '__Secure-' : ''}nest-dance.fp-answer.${blueprint}`;
}

/** `SameSite=None` needs `Secure` (browsers drop it otherwise; localhost counts as secure). */
function crossSiteCookie(config: FormPostConfig): EdgeCookieOptions {
  return {
    path: config.callbackPath,
    secure: true,
    sameSite: 'none',
    maxAgeMs: config.ttlMs,
  };
}

function handoverCookie(config: FormPostConfig): EdgeCookieOptions {
  return {
    path: config.callbackPath,
    secure: config.secure,
    sameSite: 'lax',
    maxAgeMs: HANDOVER_TTL_MS,
  };
}

function sameText(expected: string, given: string | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
