/**
 * A user agent with one cookie jar across every process of a test (cookies ignore ports),
 * speaking plain `fetch` so it can reach child processes by URL.
 */
export class CookieAgent {
  private readonly cookies = new Map<string, string>();

  /** Sends a request with the jar's cookies and keeps the cookies the answer sets. */
  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return response;
  }

  /** Sends a request that must succeed (2xx) and returns its JSON. */
  async json(url: string, init: RequestInit = {}): Promise<unknown> {
    const response = await this.request(url, init);
    expect(response.status).toBeLessThan(300);
    return response.json();
  }

  /** Signs in to the demo at `url` as `name`. */
  async signIn(url: string, name: string): Promise<void> {
    await this.json(`${url}/auth/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `name=${encodeURIComponent(name)}`,
    });
  }
}
