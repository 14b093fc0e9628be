/** The bench's browsers: cookie jars logging in to an app through the instant provider. */
import { Agent, get as httpGet } from 'node:http';
import { USER_HEADER } from './bench-env';

/** A browser: its cookies, sent with node's `http` on a keep-alive agent (cheaper than `fetch`). */
export class Browser {
  private readonly cookies = new Map<string, string>();

  /** GET `url` with this browser's cookies (and `headers`); keeps the cookies it sets. */
  get(
    url: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; location?: string }> {
    const cookie = [...this.cookies]
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
    return new Promise((resolve, reject) => {
      const request = httpGet(
        url,
        { agent, headers: cookie ? { ...headers, cookie } : headers },
        (response) => {
          for (const line of response.headers['set-cookie'] ?? []) {
            const [pair] = line.split(';');
            const eq = pair.indexOf('=');
            this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
          }
          response.resume();
          response.once('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              location: response.headers.location,
            }),
          );
          response.once('error', reject);
        },
      );
      request.once('error', reject);
    });
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** One login as `user` in `browser`: login route, the provider's redirect, the callback. */
export async function login(
  app: { ready: { url: string } },
  browser: Browser,
  user: string,
): Promise<boolean> {
  const headers = { [USER_HEADER]: user };
  try {
    const start = await browser.get(`${app.ready.url}/login/local`, headers);
    if (start.status !== 302 || !start.location) return false;
    const back = await browser.get(start.location);
    if (back.status !== 302 || !back.location) return false;
    const done = await browser.get(
      new URL(back.location, app.ready.url).href,
      headers,
    );
    return done.status === 302 && done.location === '/';
  } catch {
    return false;
  }
}
