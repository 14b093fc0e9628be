import {
  ConnectedAccount,
  Connection,
  ProviderProfile,
} from './connections.service';
import { SafeHtml, html, raw } from './html.util';
import { MAX_NAME_LENGTH } from './demo-users.service';
import { SessionUser } from './session-user.guard';

/** What the demo runs on, as the page footer tells it (never a password or secret). */
export interface DemoSetup {
  database: string;
  cache: string;
  sessions: string;
  /** How tokens are kept at rest (`encrypted` or `plain`). */
  tokensAtRest: string;
  /** The built-in or external LocalAuthorizationServer's issuer, if any. */
  localIssuer?: string;
}

/** Everything the page shows. */
export interface PageState {
  user?: SessionUser;
  connections: Connection[];
  /** The result of "Load profile", or why it failed. */
  profile?:
    | { provider: string; result: ProviderProfile }
    | { provider: string; error: string };
  setup: DemoSetup;
  now: Date;
}

const STYLE = raw(`
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--bg:#f6f8fa;--accent:#0b57d0;--ok:#1a7f37;--danger:#cf222e}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header{background:#fff;border-bottom:1px solid var(--line)}
.bar{max-width:46rem;margin:0 auto;padding:.9rem 1rem;display:flex;align-items:center;gap:1rem}
.brand{font-weight:650;font-size:1.1rem}.brand small{font-weight:400;color:var(--muted);margin-left:.4rem}
.who{margin-left:auto;display:flex;align-items:center;gap:.6rem;color:var(--muted)}
.who strong{color:var(--fg)}
main{max-width:46rem;margin:1.5rem auto;padding:0 1rem}
h1{font-size:1.3rem;margin:0 0 .25rem}h2{font-size:1.05rem;margin:0}
p.lead{margin:0 0 1.25rem;color:var(--muted)}
.card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:1rem 1.1rem;margin-bottom:.9rem}
.row{display:flex;align-items:center;gap:.6rem;flex-wrap:wrap}
.grow{flex:1}
.pill{font-size:.8rem;padding:.1rem .55rem;border-radius:99px;border:1px solid var(--line);color:var(--muted);white-space:nowrap}
.pill.on{color:var(--ok);border-color:#aceebb;background:#dafbe1}
.pill.warn{color:#9a6700;border-color:#f5e0a0;background:#fff8c5}
.pill.bad{color:var(--danger);border-color:#ffcecb;background:#ffebe9}
.account{border-top:1px solid var(--line);margin-top:.8rem;padding-top:.8rem}
.name{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;color:var(--muted)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem .9rem;margin:.8rem 0 0}
dt{color:var(--muted)}dd{margin:0}
.chip{display:inline-block;font:12px ui-monospace,SFMono-Regular,Menlo,monospace;background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:0 .4rem;margin:0 .25rem .25rem 0}
form{margin:0}
.button,button{display:inline-block;font:inherit;font-size:.9rem;padding:.35rem .85rem;border-radius:6px;border:1px solid var(--line);background:#fff;color:var(--fg);cursor:pointer;text-decoration:none}
.button.primary,button.primary{background:var(--accent);border-color:var(--accent);color:#fff}
button.danger{color:var(--danger)}
.actions{display:flex;gap:.5rem;margin-top:.9rem}
input[type=text]{font:inherit;padding:.4rem .6rem;border:1px solid var(--line);border-radius:6px;min-width:14rem}
pre{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:.7rem;overflow:auto;font-size:12.5px;margin:.8rem 0 0}
.error{color:var(--danger);margin:.8rem 0 0}
footer{max-width:46rem;margin:1.5rem auto 2rem;padding:0 1rem;color:var(--muted);font-size:.85rem}
footer code{font-size:.8rem}
`);

/** The demo's one page: sign-in, or the user's connections. */
export function renderPage(state: PageState): string {
  const body = state.user ? connectionsView(state) : signInView();
  return `<!DOCTYPE html>${html`<html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>nest-dance demo</title>
      <style>
        ${STYLE}
      </style>
    </head>
    <body>
      <header>
        <div class="bar">
          <span class="brand">nest-dance<small>demo</small></span>
          ${
            state.user &&
            html`<span class="who"
              >Signed in as <strong id="user-name">${state.user.name}</strong>
              <form method="post" action="/auth/signout">
                <button type="submit">Sign out</button>
              </form></span
            >`
          }
        </div>
      </header>
      <main>${body}</main>
      ${footer(state.setup)}
    </body>
  </html>`}`;
}

function signInView(): SafeHtml {
  return html`<h1>Sign in</h1>
    <p class="lead">
      Pick any name: the demo creates the user. Each user connects their own
      accounts.
    </p>
    <div class="card">
      <form method="post" action="/auth/signin" class="row">
        <label for="name">Name</label>
        <input
          type="text"
          id="name"
          name="name"
          required
          maxlength="${MAX_NAME_LENGTH}"
          placeholder="alice"
          autocomplete="off"
          autofocus
        />
        <button type="submit" class="primary">Sign in</button>
      </form>
    </div>`;
}

function connectionsView(state: PageState): SafeHtml {
  const cards = state.connections.map((connection) =>
    connectionCard(connection, state),
  );
  return html`<h1>Connected accounts</h1>
    <p class="lead">
      Connect a provider to let this app call its API for you. Tokens are stored
      on the server and never shown.
    </p>
    ${cards.length ? cards : html`<div class="card">No provider is configured: see docs/demo.md.</div>`}`;
}

function connectionCard(connection: Connection, state: PageState): SafeHtml {
  const { provider } = connection;
  const profile =
    state.profile?.provider === provider ? state.profile : undefined;
  const login = `/login/${encodeURIComponent(provider)}?next=%2F`;
  // Another account (or the same one again): the provider asks who is signing in.
  const another = `/login/${encodeURIComponent(provider)}?account=new&next=%2F`;
  const accounts = connection.accounts.map((account) =>
    accountView(provider, account, another, state),
  );
  const actions = connection.accounts.length
    ? html`<div class="actions">
        ${
          connection.multipleAccounts &&
          html`<a class="button" href="${another}">Connect another account</a>`
        }
        ${
          connection.moreAccessUrl &&
          html`<a class="button" href="${connection.moreAccessUrl}"
            >Ask for more access</a
          >`
        }
      </div>`
    : html`<div class="actions">
        <a class="button primary" href="${login}">Connect</a>
      </div>`;
  return html`<section
    class="card"
    id="provider-${provider}"
    data-provider="${provider}"
  >
    <div class="row">
      <h2 class="grow">
        ${connection.title} <span class="name">${provider}</span>
      </h2>
      ${statusPill(connection.status)}
    </div>
    ${accounts} ${actions} ${profile && profileView(profile)}
  </section>`;
}

/** The pill of a card or an account: `connected` covers active and expired (refreshed on use). */
function statusPill(status: Connection['status']): SafeHtml {
  switch (status) {
    case 'not-connected':
      return html`<span class="pill" data-status="not-connected"
        >not connected</span
      >`;
    case 'refresh-failing':
      return html`<span class="pill warn" data-status="refresh-failing"
        >refresh failing</span
      >`;
    case 'reconnect-required':
      return html`<span class="pill bad" data-status="reconnect-required"
        >reconnect required</span
      >`;
    default:
      return html`<span class="pill on" data-status="connected"
        >connected</span
      >`;
  }
}

function accountView(
  provider: string,
  account: ConnectedAccount,
  login: string,
  state: PageState,
): SafeHtml {
  const hidden =
    account.accountId === undefined
      ? ''
      : html`<input
          type="hidden"
          name="account"
          value="${account.accountId}"
        />`;
  const dead = account.status === 'reconnect-required';
  return html`<div class="account" data-account="${account.accountId ?? ''}">
    <div class="row">
      <strong class="grow">${account.name ?? 'Account'}</strong>
      ${
        account.status === 'expired'
          ? html`<span class="name">expired: refreshed on next use</span>`
          : ''
      }
    </div>
    ${
      dead
        ? html`<p class="error" role="status">
            ${provider} no longer accepts this connection: reconnect it.
          </p>`
        : html`<dl>
            <dt>Expires</dt>
            <dd>${expiry(account.expiresAt, state.now)}</dd>
            <dt>Scopes</dt>
            <dd>
              ${
                account.scopes.length
                  ? account.scopes.map(
                      (scope) => html`<span class="chip">${scope}</span>`,
                    )
                  : html`<span class="name">not reported</span>`
              }
            </dd>
            ${
              account.status === 'refresh-failing' &&
              html`<dt>Refresh</dt>
                <dd>
                  failing (${account.lastError ?? 'error'}), next try
                  ${account.nextRetryAt?.slice(11, 19) ?? 'soon'} UTC
                </dd>`
            }
          </dl>`
    }
    <div class="actions">
      ${
        dead
          ? html`<a class="button primary" href="${login}">Reconnect</a>`
          : html`<form method="get" action="/">
              <input
                type="hidden"
                name="profile"
                value="${provider}"
              />${hidden}<button type="submit">Load profile</button>
            </form>`
      }
      <form
        method="post"
        action="/api/${encodeURIComponent(provider)}/disconnect"
      >
        ${hidden}<button type="submit" class="danger">Disconnect</button>
      </form>
    </div>
  </div>`;
}

function profileView(profile: NonNullable<PageState['profile']>): SafeHtml {
  if ('error' in profile) {
    return html`<p class="error" role="alert">${profile.error}</p>`;
  }
  return html`<pre
    class="profile"
    aria-label="Profile from ${profile.result.url}"
  >
${JSON.stringify(profile.result.body, null, 2)}</pre>`;
}

function expiry(expiresAt: string | null, now: Date): SafeHtml {
  if (!expiresAt)
    return html`<span class="name">does not expire (or not reported)</span>`;
  const at = new Date(expiresAt);
  const minutes = Math.round((at.getTime() - now.getTime()) / 60_000);
  const relative =
    minutes > 0
      ? `in ${minutes} min`
      : minutes === 0
        ? 'now'
        : `${-minutes} min ago (refreshed on next use)`;
  return html`<time datetime="${expiresAt}"
      >${at.toISOString().slice(0, 16).replace('T', ' ')} UTC</time
    >
    <span class="name">(${relative})</span>`;
}

function footer(setup: DemoSetup): SafeHtml {
  return html`<footer>
    Running on ${setup.database} · tokens at rest: ${setup.tokensAtRest} ·
    cache: ${setup.cache} · sessions:
    ${setup.sessions}${
      setup.localIssuer &&
      html` · local provider at <code>${setup.localIssuer}</code> (any username)`
    }
  </footer>`;
}
