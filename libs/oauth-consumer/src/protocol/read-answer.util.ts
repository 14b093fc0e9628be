/**
 * A `Response` whose body was already read (under the transport's limits) and is kept as
 * text: what the protocol engine is handed. A `Response` built from a string wraps it in a web
 * `ReadableStream` that `json()` then reads back chunk by chunk; on a token request that
 * stream cost more CPU than the request's own socket work. This one answers `text()` and
 * `json()` from the string, is read once like any body, and makes a stream only if `body` is
 * asked for.
 */
export class ReadAnswer extends Response {
  readonly #text: string | null;
  #used = false;
  #stream: Response['body'] | undefined;

  constructor(text: string | null, init: ResponseInit) {
    super(null, init);
    this.#text = text;
  }

  override get bodyUsed(): boolean {
    return this.#used;
  }

  override get body(): Response['body'] {
    if (this.#stream === undefined)
      this.#stream = this.#text === null ? null : new Response(this.#text).body;
    return this.#stream;
  }

  override text(): Promise<string> {
    return this.#take().then((text) => text ?? '');
  }

  override json(): Promise<unknown> {
    return this.#take().then((text) => JSON.parse(text ?? '') as unknown);
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.#take().then((text) => new Response(text).arrayBuffer());
  }

  override blob(): Promise<Blob> {
    return this.#take().then((text) => new Response(text).blob());
  }

  override formData(): Promise<FormData> {
    return this.#take().then((text) =>
      new Response(text, { headers: this.headers }).formData(),
    );
  }

  override clone(): ReadAnswer {
    if (this.#used)
      throw new TypeError('Response.clone: the body was already read');
    return new ReadAnswer(this.#text, {
      status: this.status,
      statusText: this.statusText,
      headers: this.headers,
    });
  }

  #take(): Promise<string | null> {
    if (this.#used || this.#stream?.locked)
      return Promise.reject(
        new TypeError('Body is unusable: the body was already read'),
      );
    this.#used = true;
    return Promise.resolve(this.#text);
  }
}
