import { generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  createServer,
  IncomingMessage,
  Server,
  ServerResponse,
} from 'node:http';
import { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, jwtVerify } from 'jose';

export const TEAM_ID = 'A1B2C3D4E5';
export const KEY_ID = 'KEY1234567';
export const CLIENT_ID = 'com.example.web';
export const APPLE_USER = {
  name: { firstName: 'John', lastName: 'Appleseed' },
  email: 'john@privaterelay.appleid.com',
};

/** The key Apple lets a developer download once (AuthKey_<keyId>.p8): a P-256 key in PKCS#8. */
export const appleKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
export const P8 = appleKey.privateKey
  .export({ type: 'pkcs8', format: 'pem' })
  .toString();

/**
 * A stand-in for appleid.apple.com: /auth/authorize answers with the auto-submitting form Apple
 * sends (response_mode=form_post: code, state and, on the first sign-in, `user`), /auth/token
 * takes client_secret only as an ES256 JWT it verifies with the developer key's public half,
 * and ID tokens are signed with its own key, published at /auth/keys.
 */
export class AppleStandIn {
  readonly secrets: string[] = [];
  readonly refused: string[] = [];
  private readonly codes = new Map<string, string>();
  private server!: Server;
  private signingKey!: CryptoKey;
  private jwk!: Record<string, unknown>;
  url = '';

  async start(): Promise<void> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    this.signingKey = privateKey as CryptoKey;
    this.jwk = {
      ...(await exportJWK(publicKey)),
      kid: 'stand-in',
      alg: 'RS256',
      use: 'sig',
    };
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error) => {
        res.writeHead(500).end(String(error));
      });
    });
    await new Promise<void>((resolve) =>
      this.server.listen(0, '127.0.0.1', resolve),
    );
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url!, this.url);
    if (url.pathname === '/auth/keys') {
      return json(res, 200, { keys: [this.jwk] });
    }
    if (url.pathname === '/auth/authorize') {
      const q = url.searchParams;
      if (
        q.get('response_mode') !== 'form_post' ||
        q.get('client_id') !== CLIENT_ID
      ) {
        return json(res, 400, { error: 'invalid_request' });
      }
      const code = randomBytes(16).toString('hex');
      this.codes.set(code, q.get('redirect_uri')!);
      const fields: Record<string, string> = { code, state: q.get('state')! };
      if (q.get('scope')?.includes('name'))
        fields.user = JSON.stringify(APPLE_USER);
      const inputs = Object.entries(fields)
        .map(
          ([k, v]) => `<input type="hidden" name="${k}" value="${escape(v)}">`,
        )
        .join('');
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(
        `<html><body onload="document.forms[0].submit()"><form method="POST" action="${escape(q.get('redirect_uri')!)}">${inputs}</form></body></html>`,
      );
    }
    if (url.pathname === '/auth/token' && req.method === 'POST') {
      const body = new URLSearchParams(await readBody(req));
      const secret = body.get('client_secret') ?? '';
      try {
        const { protectedHeader } = await jwtVerify(
          secret,
          appleKey.publicKey,
          {
            algorithms: ['ES256'],
            issuer: TEAM_ID,
            subject: CLIENT_ID,
            audience: 'https://appleid.apple.com',
          },
        );
        if (protectedHeader.kid !== KEY_ID) throw new Error('kid');
      } catch {
        this.refused.push(secret);
        return json(res, 400, { error: 'invalid_client' });
      }
      this.secrets.push(secret);
      if (body.get('client_id') !== CLIENT_ID)
        return json(res, 400, { error: 'invalid_client' });
      if (body.get('grant_type') === 'authorization_code') {
        const redirect = this.codes.get(body.get('code') ?? '');
        this.codes.delete(body.get('code') ?? '');
        if (!redirect || redirect !== body.get('redirect_uri')) {
          return json(res, 400, { error: 'invalid_grant' });
        }
      } else if (body.get('grant_type') !== 'refresh_token') {
        return json(res, 400, { error: 'unsupported_grant_type' });
      }
      const idToken = await new SignJWT({
        email: APPLE_USER.email,
        email_verified: true,
        is_private_email: true,
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'stand-in' })
        .setIssuer('https://appleid.apple.com')
        .setAudience(CLIENT_ID)
        .setSubject('001234.abcdef')
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(this.signingKey);
      return json(res, 200, {
        access_token: randomBytes(16).toString('hex'),
        token_type: 'Bearer',
        expires_in: 3600,
        refresh_token:
          body.get('refresh_token') ?? randomBytes(16).toString('hex'),
        id_token: idToken,
      });
    }
    json(res, 404, { error: 'not_found' });
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (data += chunk));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}
