/** A browser's cookie jar over plain `fetch` (cookies ignore ports, so one jar spans processes). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  /** The `cookie` header this browser sends. */
  get header(): string {
    return [...this.cookies]
      .map(([name, value]) => `${name}=${value}`)
      .join('; ');
  }

  /** Sends a request with the jar's cookies, keeps the cookies it sets; never follows redirects. */
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', this.header);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return response;
  }
}
