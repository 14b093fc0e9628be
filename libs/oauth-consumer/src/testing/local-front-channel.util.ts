import { CompleteAuthorizationOptions } from './local-authorization-server-options.interface';
import { LocalAuthorizationServerError } from './local-authorization-server.error';

const MAX_HOPS = 20;
const INTERACTION_PATH = /^\/interaction\/([\w-]+)$/;

/** Cookies of one headless user agent; paths and domains are ignored (one origin, short-lived). */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(setCookies: string[]): void {
    for (const line of setCookies) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (!value || attributes.some((a) => isExpiry(a.trim()))) {
        this.cookies.delete(name);
      } else {
        this.cookies.set(name, value);
      }
    }
  }

  header(): string {
    return [...this.cookies]
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
  }
}

function isExpiry(attribute: string): boolean {
  const [key, value = ''] = attribute.split('=');
  if (/^max-age$/i.test(key)) return Number(value) <= 0;
  if (/^expires$/i.test(key)) return Date.parse(value) <= Date.now();
  return false;
}

async function describeFailure(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as {
      error?: string;
      error_description?: string;
    };
    if (body.error) {
      return `${body.error}${body.error_description ? `: ${body.error_description}` : ''}`;
    }
  } catch {
    // not JSON: fall through
  }
  return text.slice(0, 200) || '(empty body)';
}

/**
 * Drives the front channel of `issuer` from `authorizationUrl` through login and consent, as a
 * headless user agent with its own cookie jar, and returns the redirect to the client.
 */
export async function completeAuthorizationFlow(
  issuer: string,
  authorizationUrl: string,
  options: CompleteAuthorizationOptions = {},
): Promise<string> {
  const origin = new URL(issuer).origin;
  let url = new URL(authorizationUrl);
  if (url.origin !== origin) {
    throw new LocalAuthorizationServerError(
      `completeAuthorization() got a URL of ${url.origin}, not of this server (${origin}): ` +
        'pass the authorization redirect the client produced for this server',
    );
  }
  const jar = new CookieJar();
  const approve = options.approve ?? true;

  const send = async (
    target: URL,
    init: RequestInit = {},
  ): Promise<Response> => {
    const response = await fetch(target, {
      ...init,
      redirect: 'manual',
      headers: {
        accept: 'application/json',
        cookie: jar.header(),
        ...init.headers,
      },
    });
    jar.store(response.headers.getSetCookie());
    return response;
  };
  const nextHop = async (response: Response, step: string): Promise<URL> => {
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) {
      throw new LocalAuthorizationServerError(
        `completeAuthorization(): ${step} answered ${response.status} without a redirect ` +
          `(${await describeFailure(response)}); check the client_id, redirect_uri, scope and PKCE parameters`,
      );
    }
    await response.body?.cancel();
    return new URL(location, url);
  };

  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    const next = await nextHop(await send(url), `GET ${url.pathname}`);
    if (next.origin !== origin) return next.href;
    const interaction = INTERACTION_PATH.exec(next.pathname);
    if (!interaction) {
      url = next;
      continue;
    }
    const details = await send(next);
    if (!details.ok) {
      throw new LocalAuthorizationServerError(
        `completeAuthorization(): the sign-in step answered ${details.status} (${await describeFailure(details)})`,
      );
    }
    const { prompt } = (await details.json()) as { prompt: string };
    const action = !approve
      ? 'abort'
      : prompt === 'login'
        ? 'login'
        : 'confirm';
    const form = new URLSearchParams(
      action === 'login' && options.user ? { username: options.user } : {},
    );
    url = next;
    url = await nextHop(
      await send(new URL(`${next.pathname}/${action}`, origin), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      }),
      `POST ${next.pathname}/${action}`,
    );
  }
  throw new LocalAuthorizationServerError(
    `completeAuthorization(): more than ${MAX_HOPS} redirects without reaching the client's redirect_uri`,
  );
}
