import { ReadAnswer } from './read-answer.util';

const init = {
  status: 200,
  headers: { 'content-type': 'application/json' },
};

describe('ReadAnswer', () => {
  it('is a Response with the status and headers it was given', () => {
    const answer = new ReadAnswer('{"a":1}', { ...init, status: 400 });
    expect(answer).toBeInstanceOf(Response);
    expect(answer.status).toBe(400);
    expect(answer.ok).toBe(false);
    expect(answer.headers.get('content-type')).toBe('application/json');
  });

  it('answers json() and text() from the text it holds, and only once', async () => {
    const answer = new ReadAnswer('{"access_token":"x"}', init);
    expect(answer.bodyUsed).toBe(false);
    await expect(answer.json()).resolves.toEqual({ access_token: 'x' });
    expect(answer.bodyUsed).toBe(true);
    await expect(answer.text()).rejects.toThrow(TypeError);
    expect(() => answer.clone()).toThrow(TypeError);
  });

  it('rejects json() on a body that is not JSON, as fetch does', async () => {
    await expect(new ReadAnswer('<html>', init).json()).rejects.toThrow(
      SyntaxError,
    );
  });

  it('clones into an answer of its own, readable independently', async () => {
    const answer = new ReadAnswer('{"n":2}', init);
    const copy = answer.clone();
    await expect(copy.json()).resolves.toEqual({ n: 2 });
    await expect(answer.text()).resolves.toBe('{"n":2}');
  });

  it('gives a body stream on demand, and a null body for no body', async () => {
    const answer = new ReadAnswer('abc', init);
    const reader = answer.body!.getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toBe('abc');
    await expect(answer.text()).rejects.toThrow(TypeError); // the stream holds it
    const empty = new ReadAnswer(null, { status: 204 });
    expect(empty.body).toBeNull();
    await expect(empty.text()).resolves.toBe('');
  });

  it('reads as bytes and as a form too', async () => {
    const bytes = await new ReadAnswer('hi', init).arrayBuffer();
    expect(new TextDecoder().decode(bytes)).toBe('hi');
    const form = await new ReadAnswer('a=1&b=2', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }).formData();
    expect(form.get('b')).toBe('2');
  });
});
