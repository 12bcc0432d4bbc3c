/**
 * The local IdP's own login page (it lists the demo accounts) and the cancel action.
 * Mounted as Koa middleware in front of oidc-provider's routes.
 */
import type { IncomingMessage } from 'node:http';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { ACCOUNTS, authenticate } from './accounts.ts';
import { escape, page } from './views.ts';

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) break;
  }
  return new URLSearchParams(body);
}

function loginPage(uid: string, clientId: string, error?: string, login = ''): string {
  const rows = ACCOUNTS.map(
    (a) =>
      `<tr><td><code>${escape(a.login)}</code></td><td><code>${escape(a.password)}</code></td><td>${escape(a.description)}</td></tr>`,
  ).join('');
  return page(
    'Sign in',
    `<h1>Sign in</h1><p>to continue to <code>${escape(clientId)}</code></p>
    ${error ? `<p class="error" role="alert">${escape(error)}</p>` : ''}
    <form method="post" action="/interaction/${escape(uid)}/login" autocomplete="off">
      <label for="login">Username</label><input id="login" name="login" value="${escape(login)}" required autofocus>
      <label for="password">Password</label><input id="password" name="password" type="password" required>
      <button type="submit">Sign in</button>
    </form>
    <form method="post" action="/interaction/${escape(uid)}/abort"><button class="secondary" type="submit">Cancel</button></form>
    <h2 style="font-size:15px;margin-top:22px">Demo accounts</h2>
    <table><thead><tr><th>Username</th><th>Password</th><th>At the API</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

export function interactions(provider: Provider) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<unknown>) => {
    const match = /^\/interaction\/([\w-]+)(?:\/(login|abort))?$/.exec(ctx.path);
    if (!match) return next();
    const [, uid, action] = match as unknown as [string, string, 'login' | 'abort' | undefined];
    ctx.set('Cache-Control', 'no-store');

    const details = await provider.interactionDetails(ctx.req, ctx.res);
    if (details.uid !== uid) return next();
    const clientId = String(details.params.client_id ?? '');

    if (ctx.method === 'GET' && !action) {
      // First-party clients never reach the consent prompt (configuration.ts loadExistingGrant).
      if (details.prompt.name !== 'login') {
        ctx.status = 400;
        ctx.body = page('Unsupported', '<h1>Consent is not supported by the local IdP.</h1>');
        return;
      }
      ctx.type = 'html';
      ctx.body = loginPage(uid, clientId);
      return;
    }

    if (ctx.method === 'POST' && action === 'login') {
      const form = await readForm(ctx.req);
      const account = authenticate(form.get('login') ?? '', form.get('password') ?? '');
      if (!account) {
        ctx.status = 401;
        ctx.type = 'html';
        ctx.body = loginPage(
          uid,
          clientId,
          'Unknown username or wrong password.',
          form.get('login') ?? '',
        );
        return;
      }
      const to = await provider.interactionResult(
        ctx.req,
        ctx.res,
        { login: { accountId: account.sub } },
        {
          mergeWithLastSubmission: false,
        },
      );
      ctx.status = 303;
      ctx.redirect(to);
      return;
    }

    if (ctx.method === 'POST' && action === 'abort') {
      // The user cancelled: the client receives error=access_denied (RFC 6749 §4.1.2.1).
      const to = await provider.interactionResult(
        ctx.req,
        ctx.res,
        {
          error: 'access_denied',
          error_description: 'The user cancelled the sign-in.',
        },
        { mergeWithLastSubmission: false },
      );
      ctx.status = 303;
      ctx.redirect(to);
      return;
    }

    return next();
  };
}
