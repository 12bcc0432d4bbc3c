/**
 * A deployment that lacks required settings shows a setup page, not a crash loop. Locally,
 * `next start` refuses to start instead (lib/startup.ts). On a Vercel deployment a process that
 * exits would only restart and fail again, so every request (pages, /auth, /api, /bff) gets this
 * 503 page from the Edge guard: it names each missing variable and how to set it, never shows a
 * value, and never serves a half-configured sign-in. Web APIs only (the Edge guard uses it).
 */
import {
  ConfigError,
  MIN_SECRET_LENGTH,
  onVercelDeployment,
  readConfig,
  readResourceServerConfig,
} from './config';

export interface MissingSetting {
  name: string;
  how: string;
}

export const SETUP_DOCS = 'docs/vercel.md#environment-variables';

type Env = Record<string, string | undefined>;
const set = (env: Env, name: string) => Boolean(env[name]?.trim());

/**
 * What a deployment needs and lacks: every missing variable at once (a ConfigError names only
 * the first), then, when none is missing, the configuration error of what is there.
 */
export function deploymentProblems(env: Env = process.env): MissingSetting[] {
  if (set(env, 'PREVIEW_SIGN_IN') && env.VERCEL_ENV?.trim() !== 'preview') {
    return [
      {
        name: 'PREVIEW_SIGN_IN',
        how: "is for the Preview environment only: remove it from this environment's variables.",
      },
    ];
  }
  if (signInOff(env)) return []; // nothing signs in, so nothing is required
  const missing: MissingSetting[] = [];
  const secret = env.SESSION_SECRET?.trim() ?? '';
  if (secret.length < MIN_SECRET_LENGTH) {
    missing.push({
      name: 'SESSION_SECRET',
      how: `${secret ? `is shorter than ${MIN_SECRET_LENGTH} characters` : 'is not set'}: generate one with \`openssl rand -base64 32\` and add it as a Sensitive variable.`,
    });
  }
  if (!set(env, 'OIDC_ISSUER')) {
    missing.push({
      name: 'OIDC_ISSUER',
      how: "your provider's issuer URL (https://…). The bundled local identity provider does not run on a deployment.",
    });
  }
  if (!set(env, 'OIDC_CLIENT_ID'))
    missing.push({
      name: 'OIDC_CLIENT_ID',
      how: 'the client id of the app registered at your provider.',
    });
  if (env.OIDC_CLIENT_AUTH_METHOD?.trim() === 'private_key_jwt') {
    if (!set(env, 'OIDC_CLIENT_PRIVATE_KEY') && !set(env, 'OIDC_CLIENT_PRIVATE_KEY_FILE')) {
      missing.push({
        name: 'OIDC_CLIENT_PRIVATE_KEY',
        how: "the client's PKCS #8 private key (PEM; newlines may be written as \\n).",
      });
    }
  } else if (!set(env, 'OIDC_CLIENT_SECRET')) {
    missing.push({
      name: 'OIDC_CLIENT_SECRET',
      how: 'the client secret from your provider, as a Sensitive variable.',
    });
  }
  const stage = env.VERCEL_ENV?.trim();
  const vercelHost = stage === 'production' ? 'VERCEL_PROJECT_PRODUCTION_URL' : 'VERCEL_BRANCH_URL';
  if (!set(env, 'APP_BASE_URL') && !set(env, vercelHost)) {
    missing.push({
      name: 'APP_BASE_URL',
      how: 'the https:// origin users sign in on, registered at the provider with /auth/callback.',
    });
  }
  if (missing.length) return missing;
  try {
    readConfig(env);
    readResourceServerConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return [{ name: 'configuration', how: err.message }];
  }
  return [];
}

/**
 * PREVIEW_SIGN_IN=off on a preview deployment: the public home page only, for reviewing the UI
 * of a branch without registering its URL at the provider. Everything else (sign-in, pages
 * behind it, /api, /bff) answers a 503 page saying so. Refused in production.
 */
export function signInOff(env: Env = process.env): boolean {
  return env.VERCEL_ENV?.trim() === 'preview' && env.PREVIEW_SIGN_IN?.trim() === 'off';
}

let checked: MissingSetting[] | undefined;

/** On a Vercel deployment, what is missing (computed once per instance); elsewhere nothing. */
export function unfinishedDeployment(): MissingSetting[] {
  if (!onVercelDeployment()) return [];
  checked ??= deploymentProblems();
  return checked;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

/** The 503 setup page. */
export function setupRequiredResponse(problems: MissingSetting[]): Response {
  const items = problems
    .map(
      (p) =>
        `<li><code>${escapeHtml(p.name)}</code>: ${escapeHtml(p.how).replace(/`([^`]+)`/g, '<code>$1</code>')}</li>`,
    )
    .join('\n');
  return servicePage(
    'This deployment needs its settings',
    `<p>Sign-in stays off until these environment variables are set in the project's settings
(Settings → Environment Variables), followed by a redeploy:</p>
<ul>
${items}
</ul>
<p>Each one is explained in <code>${SETUP_DOCS}</code> in the repository.</p>`,
  );
}

/** The 503 page of a preview with PREVIEW_SIGN_IN=off, for every path but the home page. */
export function signInOffResponse(): Response {
  return servicePage(
    'Sign-in is off on this preview',
    `<p>This preview deployment runs with <code>PREVIEW_SIGN_IN=off</code>: only the <a href="/">home page</a> is served.
Sign-in, the pages behind it, <code>/api</code> and <code>/bff</code> are not. See <code>docs/vercel.md#preview-deployments</code>.</p>`,
  );
}

/** A static 503 page. Its only style is nonce'd; nothing runs. */
function servicePage(title: string, body: string): Response {
  const nonce = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(16))));
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style nonce="${nonce}">body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem;color:#111}code{background:#f2f2f2;padding:0 .25rem;border-radius:3px}li{margin:.5rem 0}</style>
</head><body>
<h1>${escapeHtml(title)}</h1>
${body}
</body></html>
`;
  return new Response(html, {
    status: 503,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Security-Policy': `default-src 'none'; style-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      'X-Content-Type-Options': 'nosniff',
      'X-Robots-Tag': 'noindex',
    },
  });
}

/**
 * The same two gates for /api and /bff, which the Edge guard does not run on (middleware.ts):
 * a JSON 503 for their callers, naming what is missing (never a value), or saying sign-in is off.
 * Undefined when the request may go on.
 */
export function apiGate(): Response | undefined {
  const unfinished = unfinishedDeployment();
  const headers = { 'Cache-Control': 'no-store' };
  if (unfinished.length) {
    return Response.json(
      {
        error: 'setup_required',
        error_description: `This deployment needs its settings: ${unfinished.map((p) => p.name).join(', ')}. See ${SETUP_DOCS}.`,
        missing: unfinished.map((p) => p.name),
      },
      { status: 503, headers },
    );
  }
  if (signInOff()) {
    return Response.json(
      {
        error: 'sign_in_off',
        error_description: 'Sign-in is off on this preview (PREVIEW_SIGN_IN=off).',
      },
      { status: 503, headers },
    );
  }
  return undefined;
}
