import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { MemoryTokenStorage, OAuthConsumerModule } from 'nest-dance';
import request from 'supertest';
import {
  buildCase,
  caseName,
  CLIENT_ID,
  PRESET_CASES,
} from './support/preset-cases';

const PUBLIC_URL = 'http://127.0.0.1:3000';
/** Parameters the dance adds itself; checked on their own below. */
const PER_REQUEST = [
  'state',
  'nonce',
  'code_challenge',
  'code_challenge_method',
];

describe('authorization redirects of every preset (GET /login/{name})', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        OAuthConsumerModule.forRoot({
          blueprints: PRESET_CASES.map(buildCase),
          publicUrl: PUBLIC_URL,
          stateSecret: 'preset-authorization-test-secret-0123456789',
          storage: MemoryTokenStorage,
        }),
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(() => app.close());

  it.each(PRESET_CASES.map((c) => [caseName(c), c] as const))(
    '%s redirects to the provider with every parameter and quirk',
    async (name, c) => {
      const response = await request(app.getHttpServer())
        .get(`/login/${name}`)
        .expect(302);
      const location = new URL(response.headers.location);
      expect(`${location.origin}${location.pathname}`).toBe(c.authorize.url);

      const query = location.searchParams;
      for (const key of new Set(query.keys())) {
        expect([key, query.getAll(key).length]).toEqual([key, 1]);
      }
      const sent = Object.fromEntries(
        [...query].filter(([key]) => !PER_REQUEST.includes(key)),
      );
      expect(sent).toEqual({
        response_type: 'code',
        client_id: CLIENT_ID,
        redirect_uri: `${PUBLIC_URL}/login/${name}/authorized`,
        ...c.authorize.params,
      });

      // At least 128 bits of state (RFC 9700 §4.7.1).
      expect(query.get('state')).toMatch(/^[\w.~-]{22,}$/);
      // An OpenID Connect nonce, when the dance adds one, is as unguessable as the state.
      if (query.has('nonce')) {
        expect(query.get('nonce')).toMatch(/^[\w.~-]{22,}$/);
      }
      if (c.pkce) {
        expect(query.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect(query.get('code_challenge_method')).toBe('S256');
      } else {
        expect(query.has('code_challenge')).toBe(false);
        expect(query.has('code_challenge_method')).toBe(false);
      }
    },
  );
});
