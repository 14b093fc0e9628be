/**
 * Generates docs/providers.md from the presets themselves, so the page cannot drift:
 * test/presets/providers-doc.e2e-spec.ts fails when the file differs from this output.
 * Regenerate: UPDATE_PROVIDERS_DOC=1 npx jest test/presets/providers-doc
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BlueprintOptions } from '../libs/oauth-consumer/src/blueprint/blueprint-options.interface';
import {
  Preset,
  PresetInfo,
  presets,
  PresetUnverified,
  PresetVerified,
} from '../libs/oauth-consumer/src/presets';

/** Where the generated page lives. */
export const PROVIDERS_DOC_PATH = join(__dirname, '..', 'docs', 'providers.md');

const COMMON_OPTIONS: readonly [string, string][] = [
  [
    'name',
    'blueprint name, route segment `/login/{name}` and token `provider` (default: the preset name)',
  ],
  ['clientId', "client id from the provider's console (required)"],
  ['clientSecret', 'client secret from the same console'],
  [
    'scope',
    "scopes, replacing the preset's defaults (array or space-separated string)",
  ],
  [
    'redirectUrl',
    'the registered callback URL (default `{publicUrl}{loginPath}/{name}/authorized`)',
  ],
  ['redirectTo', 'where the browser goes after the dance'],
  ['storage', 'a token storage class for this blueprint only'],
  [
    'authorizationParams',
    "extra authorization parameters, merged over the preset's own",
  ],
];

/** The blueprint a preset returns with placeholder credentials and its example options. */
function sample(preset: Preset<never>): BlueprintOptions {
  return preset({
    clientId: 'CLIENT_ID',
    clientSecret: 'CLIENT_SECRET',
    ...preset.info.example,
  } as never);
}

function code(value: string): string {
  return `\`${value}\``;
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

function clientAuth(blueprint: BlueprintOptions): string {
  if (blueprint.protocol === 'oauth1')
    return `OAuth 1.0a ${blueprint.signatureMethod} signature`;
  switch (blueprint.tokenAuthMethod) {
    case 'client_secret_basic':
      return 'Basic header';
    case 'none':
      return 'none (public)';
    default:
      return 'body';
  }
}

function scopeText(info: PresetInfo, separator: string): string {
  if (info.defaultScope.length === 0) return 'none';
  const kind =
    separator === ' ' ? 'space' : separator === ',' ? 'comma' : code(separator);
  return `${code(info.defaultScope.join(separator))} (${kind}-separated)`;
}

function refreshText(
  preset: Preset<never>,
  blueprint: BlueprintOptions,
): string {
  const rotating = verified(preset.info)?.rotating ? ', rotating' : '';
  if (blueprint.refreshUrl !== false) return `yes${rotating}`;
  return 'offline' in preset.info.options
    ? `with \`offline\`${rotating}`
    : 'no';
}

/** The verification record of a checked preset, or `undefined` for an unverified one. */
function verified(info: PresetInfo): PresetVerified | undefined {
  return 'page' in info.verification ? info.verification : undefined;
}

/** A documentation link shown by its host and path. */
function pageLink(url: string): string {
  const shown = url.replace(/^https?:\/\//, '').replace(/\/$/, '');
  return `[${shown}](${url})`;
}

/** Why a preset is not verified. */
function unverifiedReason(info: PresetInfo): string {
  return (info.verification as PresetUnverified).unverified;
}

/** The summary cell: the day and page a preset was checked against, or why it was not. */
function verifiedCell(info: PresetInfo): string {
  const record = verified(info);
  if (record) return `${record.checkedOn}, ${pageLink(record.page)}`;
  return `**not verified**: ${unverifiedReason(info)}`;
}

/** The section line on verification. */
function verifiedLine(info: PresetInfo): string {
  const record = verified(info);
  if (!record) {
    return `- **Not verified** against the provider's documentation: ${unverifiedReason(info)}`;
  }
  const notes = record.notes ? ` ${record.notes}` : '';
  return `- **Verified** on ${record.checkedOn} against ${record.page}.${notes}`;
}

/** The section of an OAuth 1.0a preset: its endpoints, signature method and options. */
function oauth1Section(preset: Preset<never>, b: BlueprintOptions): string {
  const { info } = preset;
  const lines: string[] = [];
  lines.push(`### ${code(info.name)}: ${info.title}`, '');
  lines.push(`- **Credentials:** ${info.console}.`);
  lines.push(`- **Scopes:** ${info.scopes}`);
  lines.push(
    `- **Protocol:** OAuth 1.0a (see [OAuth 1.0a](oauth1.md)), signed with ${b.signatureMethod}; no PKCE, no refresh.`,
  );
  const where = info.example?.baseUrl;
  lines.push(
    where
      ? `- **Endpoints** (with \`baseUrl: ${JSON.stringify(where)}\`):`
      : '- **Endpoints:**',
  );
  lines.push(`  - request token: ${b.requestTokenUrl}`);
  lines.push(`  - authorize: ${b.authorizationUrl}`);
  lines.push(`  - access token: ${b.tokenUrl}`);
  if (b.baseUrl) lines.push(`  - API root: ${b.baseUrl}`);
  if (b.userInfoUrl)
    lines.push(`  - user info (\`profile\`): ${b.userInfoUrl}`);
  lines.push('- **Options:**');
  for (const [option, meaning] of Object.entries(info.options)) {
    lines.push(`  - ${code(option)}: ${meaning}`);
  }
  lines.push(
    `  - ${code('name')}, ${code('redirectUrl')}, ${code('redirectTo')}, ${code('storage')}: as for every preset`,
  );
  if (info.notes) lines.push(`- **Notes:** ${info.notes}`);
  lines.push(verifiedLine(info));
  lines.push('');
  return lines.join('\n');
}

function providerSection(preset: Preset<never>): string {
  const { info } = preset;
  const b = sample(preset);
  if (b.protocol === 'oauth1') return oauth1Section(preset, b);
  const lines: string[] = [];
  lines.push(`### ${code(info.name)}: ${info.title}`, '');
  lines.push(`- **Credentials:** ${info.console}.`);
  lines.push(
    `- **Scopes:** ${info.scopes} Default: ${scopeText(info, b.scopeSeparator ?? ' ')}.`,
  );
  lines.push(
    `- **PKCE:** ${yesNo(b.pkce !== false)}. **Client authentication:** ${clientAuth(b)}.`,
  );
  if (info.example) {
    const example = Object.entries(info.example)
      .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
      .join(', ');
    lines.push(`- **Endpoints** (with \`${example}\`):`);
  } else {
    lines.push('- **Endpoints:**');
  }
  lines.push(`  - authorize: ${b.authorizationUrl}`);
  lines.push(`  - token: ${b.tokenUrl}`);
  lines.push(
    `  - refresh: ${b.refreshUrl === false ? (refreshText(preset, b) === 'no' ? 'none (no refresh tokens)' : 'the token endpoint, with `offline`') : (b.refreshUrl ?? b.tokenUrl)}`,
  );
  if (b.revocationUrl)
    lines.push(`  - revocation (RFC 7009): ${b.revocationUrl}`);
  if (b.baseUrl) lines.push(`  - API root: ${b.baseUrl}`);
  if (b.userInfoUrl)
    lines.push(`  - user info (\`profile\`): ${b.userInfoUrl}`);
  if (b.headers) {
    lines.push(
      `- **API headers:** ${Object.entries(b.headers)
        .map(([name, value]) => code(`${name}: ${value}`))
        .join(', ')}.`,
    );
  }
  const extraParams = Object.entries(b.authorizationParams ?? {});
  if (extraParams.length > 0) {
    lines.push(
      `- **Authorization parameters sent:** ${extraParams
        .map(([name, value]) => code(`${name}=${value}`))
        .join(', ')}.`,
    );
  }
  const options = Object.entries(info.options);
  if (options.length > 0) {
    lines.push('- **Options:**');
    for (const [option, meaning] of options) {
      lines.push(`  - ${code(option)}: ${meaning}`);
    }
  }
  if (b.tokenResponse) {
    lines.push('- **Token response:** normalized (see notes).');
  }
  if (info.notes) lines.push(`- **Notes:** ${info.notes}`);
  lines.push(verifiedLine(info));
  lines.push('');
  return lines.join('\n');
}

/** The whole page, from the `presets` registry. */
export function renderProvidersDoc(): string {
  const all = Object.values(presets) as Preset<never>[];
  const flaskDance = all.filter((preset) => preset.info.flaskDance);
  const lines: string[] = [];
  lines.push('# Providers', '');
  lines.push(
    '<!-- Generated by scripts/generate-providers-doc.ts from the presets; do not edit by hand.',
    '     Regenerate: UPDATE_PROVIDERS_DOC=1 npx jest test/presets/providers-doc -->',
    '',
  );
  lines.push(
    `nest-dance ships **${all.length} provider presets**, ${flaskDance.length} of them the providers of Flask-Dance 7.1 (all of them: its OAuth 2.0 ones, and \`jira\` over OAuth 1.0a). ` +
      'A preset is a function returning `BlueprintOptions`, so a provider takes three lines:',
    '',
    '```ts',
    "import { github, google, OAuthConsumerModule } from 'nest-dance';",
    '',
    'OAuthConsumerModule.forRoot({',
    "  publicUrl: 'https://app.example.com',",
    '  blueprints: [',
    '    github({ clientId: process.env.GITHUB_ID!, clientSecret: process.env.GITHUB_SECRET! }),',
    '    google({ clientId: process.env.GOOGLE_ID!, clientSecret: process.env.GOOGLE_SECRET!, offline: true }),',
    '  ],',
    '});',
    '```',
    '',
    "Register the callback `{publicUrl}/login/{name}/authorized` (e.g. `https://app.example.com/login/github/authorized`) in the provider's console. " +
      'Any provider not listed here works with `oauth2({ ... })` or `oidc({ issuer })`, or `oauth1({ ... })` for OAuth 1.0a ([OAuth 1.0a](oauth1.md)). ' +
      'Every preset is also listed in the `presets` registry (`presets.github`, ...), with its `info`.',
    '',
  );
  lines.push(
    '## Options every preset takes',
    '',
    'The OAuth 2.0 presets take these; `jira` (OAuth 1.0a) takes `name`, `redirectUrl`, `redirectTo` and `storage` with its own options (see its section).',
    '',
    '| Option | Meaning |',
    '| --- | --- |',
  );
  for (const [option, meaning] of COMMON_OPTIONS) {
    lines.push(`| ${code(option)} | ${meaning} |`);
  }
  lines.push(
    '',
    '**PKCE** (S256) is on where the provider documents it; it is off where the provider does not, ' +
      'since a provider that ignores it gains nothing from it and a strict one would refuse the unknown parameters. ' +
      '**Refresh** is `none` where the provider issues no refresh tokens: asking to refresh then fails with an error that says to connect again. ' +
      '**Token responses** that bend RFC 6749 (nested tokens, comma-separated or array scopes, custom token types, string or zero `expires_in`) are normalized by the preset before anything is stored.',
    '',
    '**PAR and DPoP** ([protocol](protocol.md)): no preset turns them on, since presets name their endpoints by hand and so read no ' +
      'metadata that would say the provider requires them. Of the providers here, Okta, Auth0 and Keycloak offer both pushed ' +
      'authorization requests (RFC 9126) and DPoP (RFC 9449), depending on the plan or version (DPoP is in early access at Auth0); ' +
      'the others document neither. For those three use `oidc({ issuer, ... })`: discovery finds the PAR endpoint and `require_pushed_authorization_requests` ' +
      '(PAR is then on by itself), and `dpop: true` binds the tokens. DPoP also works on a preset: `{ ...okta({ ... }), dpop: true }`.',
    '',
  );
  const unverified = all.filter((preset) => !verified(preset.info));
  lines.push('## Summary', '');
  lines.push(
    `Each preset was checked against its provider's own documentation: the page and the day are in the last column and in its section. ` +
      (unverified.length === 0
        ? 'Every preset could be checked.'
        : `${unverified.length} could not be checked; the column says why.`) +
      ' **Refresh** says `rotating` where the provider documents that each refresh issues a new refresh token and retires the old one.',
    '',
  );
  lines.push(
    '| Preset | Provider | PKCE | Refresh | Revocation | Profile | Client auth | Flask-Dance | Verified against |',
  );
  lines.push('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const preset of all) {
    const b = sample(preset);
    lines.push(
      `| [${code(preset.info.name)}](#${preset.info.name}-${anchor(preset.info.title)}) | ${preset.info.title} | ${yesNo(b.pkce !== false)} | ${refreshText(preset, b)} | ${yesNo(Boolean(b.revocationUrl))} | ${yesNo(Boolean(b.profile))} | ${clientAuth(b)} | ${yesNo(preset.info.flaskDance)} | ${verifiedCell(preset.info)} |`,
    );
  }
  lines.push('', '## Presets', '');
  for (const preset of all) lines.push(providerSection(preset));
  return lines.join('\n');
}

/** GitHub's heading anchor of `title` (lower case, punctuation dropped, spaces to dashes). */
function anchor(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s/g, '-');
}

/** Writes the page (used by the freshness test when UPDATE_PROVIDERS_DOC=1). */
export function writeProvidersDoc(): void {
  writeFileSync(PROVIDERS_DOC_PATH, renderProvidersDoc());
}

if (require.main === module) writeProvidersDoc();
