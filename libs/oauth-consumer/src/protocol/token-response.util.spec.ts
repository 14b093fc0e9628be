import {
  conformTokenResponse,
  TokenResponseNotes,
} from './token-response.util';
import { ReadResponse } from './http-transport.util';

const read = (
  status: number,
  parsed: Record<string, unknown> | null,
  text = parsed ? JSON.stringify(parsed) : '',
): ReadResponse => ({ status, headers: new Headers(), text, parsed });

describe('conformTokenResponse: what the engine is handed', () => {
  const options = {
    name: 'p',
    clientId: 'c',
    issuer: 'https://issuer.example',
  };

  it('turns an HTTP 200 with an error (GitHub, Slack) into an error answer', () => {
    const answer = conformTokenResponse(
      options,
      read(200, { error: 'bad_verification_code' }),
      {},
    );
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ error: 'bad_verification_code' });
  });

  it('reads a missing token_type as Bearer, and notes that the provider sent none', () => {
    const notes: TokenResponseNotes = {};
    const answer = conformTokenResponse(
      options,
      read(200, { access_token: 'a', expires_in: '3600' }),
      notes,
    );
    expect(JSON.parse(answer.body)).toEqual({
      access_token: 'a',
      token_type: 'Bearer',
      expires_in: 3600,
    });
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(notes.tokenType).toBeUndefined();
  });

  it('leaves out an id_token when the blueprint has no issuer to validate it with', () => {
    const notes: TokenResponseNotes = {};
    const answer = conformTokenResponse(
      { name: 'p', clientId: 'c' },
      read(200, { access_token: 'a', token_type: 'bearer', id_token: 'x.y.z' }),
      notes,
    );
    expect(JSON.parse(answer.body)).not.toHaveProperty('id_token');
    expect(notes).toMatchObject({ droppedIdToken: true, hasIdToken: false });
  });

  it('drops nest-dance’s own fields and unusable values, and joins array scopes', () => {
    const answer = conformTokenResponse(
      options,
      read(200, {
        access_token: 'a',
        token_type: 'Bearer',
        nest_dance_dpop_key: { d: 'planted' },
        expires_in: 'soon',
        scope: ['read', 'write'],
        refresh_token: '',
      }),
      {},
    );
    expect(JSON.parse(answer.body)).toEqual({
      access_token: 'a',
      token_type: 'Bearer',
      scope: 'read write',
    });
  });

  it('hands on what is neither JSON nor a form unchanged (the engine refuses it)', () => {
    const answer = conformTokenResponse(options, read(200, null, '<html>'), {});
    expect(answer).toMatchObject({ status: 200, body: '<html>' });
  });
});
