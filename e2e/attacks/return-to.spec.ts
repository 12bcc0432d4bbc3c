/**
 * Open redirects through `returnTo`, end to end in Chromium against the production build and the
 * local IdP: 17 payloads (`//evil.example`, backslashes, other schemes, encoded slashes and dots,
 * tabs and newlines) at sign-in, percent-encoded and as typed, and at sign-out, through the IdP's
 * RP-initiated logout and without a session (as a form field and in the query). Every one must end
 * on the app; requests to any other host are trapped, and there must be none. A same-origin
 * returnTo survives sign-out exactly as given.
 */
import {
  expect,
  test,
  type Browser,
  type BrowserContext,
  type Cookie,
  type Page,
} from '@playwright/test';
import { APP_URL, IDP_URL } from '../env';
import { signIn } from '../helpers';
import { APP, expectNo5xx, recordAppResponses, sessionCookie } from './helpers';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/**
 * Requests the browser starts for a host other than the app and the IdP (evil.example above
 * all) are answered here, locally, and recorded: the tests assert that there were none.
 * Playwright cannot intercept redirects: those are checked through the Location headers and
 * the recorded navigation chain (recordNavigations).
 */
async function trapOffsiteRequests(context: BrowserContext): Promise<string[]> {
  const offsite: string[] = [];
  const local = new Set([APP.host, new URL(IDP_URL).host]);
  await context.route(
    (url) => !local.has(url.host),
    async (route) => {
      offsite.push(route.request().url());
      await route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>evil</h1>' });
    },
  );
  return offsite;
}

/** Every URL the page's main frame navigates to, redirects included. */
function recordNavigations(page: Page): string[] {
  const navigations: string[] = [];
  page.on('request', (r) => {
    if (r.isNavigationRequest() && r.frame() === page.mainFrame()) navigations.push(r.url());
  });
  return navigations;
}

function expectOnlyAppAndIdp(navigations: string[]): void {
  const elsewhere = navigations.filter((u) => ![APP_URL, IDP_URL].includes(new URL(u).origin));
  expect(elsewhere, 'navigations that left the app and the IdP').toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Open redirects through returnTo
// ---------------------------------------------------------------------------------------------

/**
 * `sameOrigin`: a same-origin path in disguise (percent-encoded slashes or backslash inside a
 * path): it may be kept, but must stay on the app. Every other payload is hostile and must be
 * replaced by the default destination.
 */
const RETURN_TO_PAYLOADS: { value: string; sameOrigin?: true }[] = [
  { value: '//evil.example' },
  { value: '/\\evil.example' },
  { value: 'https://evil.example' },
  { value: 'http:evil.example' },
  { value: '%2F%2Fevil.example' },
  { value: '/%2F%2Fevil.example', sameOrigin: true },
  { value: 'javascript:alert(1)' },
  { value: '/\tevil.example' },
  { value: '/\n/evil.example' },
  { value: '\\\\evil.example' },
  { value: '/..//evil.example' },
  { value: '/%2e%2e//evil.example' },
  { value: '/%5Cevil.example', sameOrigin: true },
  { value: '//%09/evil.example' },
  { value: '///evil.example' },
  { value: 'https:/\\evil.example' },
  { value: '%252F%252Fevil.example' },
];

/** How a payload is put in the URL: exactly (percent-encoded), or as typed in a link. */
const ENCODINGS = {
  encoded: encodeURIComponent,
  raw: (value: string) => value,
} as const;

test.describe('open redirects through returnTo', () => {
  for (const [encoding, encode] of Object.entries(ENCODINGS)) {
    test(`sign-in: every returnTo payload (${encoding}) ends on the app`, async ({
      page,
      context,
    }) => {
      const offsite = await trapOffsiteRequests(context);
      await signIn(page, 'alice', '/auth/login?returnTo=/dashboard');
      await expect(page).toHaveURL(`${APP_URL}/dashboard`);

      const navigations = recordNavigations(page);
      const responses = recordAppResponses(page);
      const results: string[] = [];
      for (const { value, sameOrigin } of RETURN_TO_PAYLOADS) {
        const label = JSON.stringify(value);
        navigations.length = 0;
        // The IdP session is still there: /auth/login → IdP → /auth/callback → returnTo, no form.
        const callback = page.waitForResponse((r) =>
          r.url().startsWith(`${APP_URL}/auth/callback?`),
        );
        await page.goto(`/auth/login?returnTo=${encode(value)}`);
        const location = new URL((await callback).headers().location!, APP_URL);
        const final = new URL(page.url());
        results.push(`${label} -> ${location.href} -> ${final.href}`);

        expect(location.origin, `callback Location for ${label}`).toBe(APP_URL);
        expect(final.origin, `final URL for ${label}`).toBe(APP_URL);
        if (encoding === 'encoded' && !sameOrigin) {
          expect(location.href, `callback Location for ${label}`).toBe(`${APP_URL}/`);
          expect(final.href, `final URL for ${label}`).toBe(`${APP_URL}/`);
        }
        // The chain: the app, the IdP, back to the app, and nowhere else.
        const hosts = navigations.map((u) => new URL(u).origin);
        expect(
          hosts.every((o) => o === APP_URL || o === IDP_URL),
          `${label}: ${navigations.join(' → ')}`,
        ).toBe(true);
        const back = navigations.findIndex((u) => u.startsWith(`${APP_URL}/auth/callback?`));
        expect(back, `${label}: the callback`).toBeGreaterThan(0);
        expect(
          hosts.slice(back).every((o) => o === APP_URL),
          `${label}: after the callback`,
        ).toBe(true);
      }
      test.info().annotations.push({
        type: `sign-in returnTo (${encoding})`,
        description: results.join('\n'),
      });
      expect(offsite, 'requests that left the app and the IdP').toEqual([]);
      expectNo5xx(responses);
    });
  }

  /**
   * Posts a sign-out form from one of the app's pages, as the sign-out button does (so Origin is
   * the app; /auth/* pages would not do: with their Referrer-Policy no-referrer, a form POST
   * from them is sent with `Origin: null`). Returns where the app finally redirects the browser:
   * the Location of /auth/logout/callback (after the IdP), or of /auth/logout (no session).
   */
  async function postSignOut(page: Page, fields: Record<string, string>, query = ''): Promise<URL> {
    const here = new URL(page.url());
    if (here.origin !== APP_URL || here.pathname.startsWith('/auth/')) await page.goto('/?start=1');
    const last = page.waitForResponse(
      (r) =>
        r.url().startsWith(`${APP_URL}/auth/logout`) &&
        r.status() === 303 &&
        !r.headers().location?.startsWith(IDP_URL),
    );
    await page.evaluate(
      ({ fields, action }) => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = action;
        for (const [name, value] of Object.entries(fields)) {
          const input = document.createElement('input');
          input.type = 'hidden';
          input.name = name;
          input.value = value;
          form.append(input);
        }
        document.body.append(form);
        form.submit();
      },
      { fields, action: `/auth/logout${query}` },
    );
    return new URL((await last).headers().location!, APP_URL);
  }

  /**
   * After sign-out: a hostile returnTo lands exactly on the signed-out home page. A same-origin
   * one may be kept: the browser goes there (a protected path then sends it on to sign in).
   */
  async function expectSignedOutLanding(
    page: Page,
    label: string,
    location: URL,
    sameOrigin: boolean | undefined,
  ): Promise<void> {
    expect(location.origin, `Location for ${label}`).toBe(APP_URL);
    if (!sameOrigin) {
      // After the provider (`1`), or without it (`local`: no session here).
      expect(location.href, `Location for ${label}`).toMatch(
        new RegExp(`^${APP_URL}/\\?signedOut=(1|local)$`),
      );
      await expect(page).toHaveURL(location.href);
      await expect(page.getByRole('status')).toContainText('signed out');
    } else {
      await page.waitForURL(
        (url) => url.href === location.href || url.href.startsWith(`${IDP_URL}/interaction/`),
      );
    }
  }

  /**
   * The session cookie of a real sign-in, made in a browser of its own: a browser it is added to
   * has no session at the IdP, so the IdP ends the (absent) session without asking and sends the
   * browser straight on to /auth/logout/callback.
   */
  async function realSessionCookie(browser: Browser): Promise<Cookie> {
    const source = await browser.newContext();
    try {
      const page = await source.newPage();
      await signIn(page, 'alice');
      await expect(page.getByTestId('user-name')).toHaveText('Alice Liddell');
      return (await sessionCookie(source))!;
    } finally {
      await source.close();
    }
  }

  test('sign-out: every returnTo payload ends on the app, through the IdP’s RP-initiated logout', async ({
    page,
    context,
    browser,
  }) => {
    // A real session, from a real sign-in in another browser; this one has no IdP session, so
    // the IdP confirms the logout by itself and sends the browser to /auth/logout/callback.
    const session = await realSessionCookie(browser);
    const offsite = await trapOffsiteRequests(context);
    const navigations = recordNavigations(page);
    const responses = recordAppResponses(page);
    const results: string[] = [];
    for (const { value, sameOrigin } of RETURN_TO_PAYLOADS) {
      const label = JSON.stringify(value);
      await context.addCookies([session]);
      const idp: string[] = [];
      const onRequest = (r: { url: () => string }) => {
        if (r.url().startsWith(`${IDP_URL}/session/end`)) idp.push(r.url());
      };
      page.on('request', onRequest);
      const location = await postSignOut(page, { returnTo: value });
      page.off('request', onRequest);
      expect(idp.length, `${label}: RP-initiated logout at the IdP`).toBeGreaterThan(0);
      await expectSignedOutLanding(page, label, location, sameOrigin);
      results.push(`${label} -> ${location.href} -> ${page.url()}`);
      expect(await sessionCookie(context), `session after sign-out (${label})`).toBeUndefined();
    }
    test
      .info()
      .annotations.push({ type: 'sign-out returnTo (via IdP)', description: results.join('\n') });
    expect(offsite, 'requests that left the app and the IdP').toEqual([]);
    expectOnlyAppAndIdp(navigations);
    expectNo5xx(responses);
  });

  test('sign-out returns to a same-origin returnTo exactly as given, percent-encoding included', async ({
    page,
    context,
    browser,
  }) => {
    const returnTo = '/?next=%2Fdashboard%3Fa%3D1%26b%3D2&discount=100%25';
    // Without a session, /auth/logout redirects straight there.
    expect((await postSignOut(page, { returnTo })).href).toBe(`${APP_URL}${returnTo}`);
    await expect(page).toHaveURL(`${APP_URL}${returnTo}`);

    // Through the IdP, returnTo waits in the logout-state cookie. Next merges that cookie with
    // the one endSession() writes through cookies() and loses a level of percent-encoding on
    // the way; the value is an iron seal (lib/cookies/seal.ts), which needs no encoding.
    await context.addCookies([await realSessionCookie(browser)]);
    const location = await postSignOut(page, { returnTo });
    expect(location.href, 'Location of /auth/logout/callback').toBe(`${APP_URL}${returnTo}`);
    await expect(page).toHaveURL(`${APP_URL}${returnTo}`);
  });

  for (const via of ['form field', 'query'] as const) {
    test(`sign-out without a session: returnTo as ${via} goes straight to a same-origin page`, async ({
      page,
      context,
    }) => {
      const offsite = await trapOffsiteRequests(context);
      const navigations = recordNavigations(page);
      const responses = recordAppResponses(page);
      for (const { value, sameOrigin } of RETURN_TO_PAYLOADS) {
        const label = `${JSON.stringify(value)} (${via})`;
        const location =
          via === 'form field'
            ? await postSignOut(page, { returnTo: value })
            : await postSignOut(page, {}, `?returnTo=${encodeURIComponent(value)}`);
        await expectSignedOutLanding(page, label, location, sameOrigin);
      }
      expect(offsite, 'requests that left the app').toEqual([]);
      expectOnlyAppAndIdp(navigations);
      expectNo5xx(responses);
    });
  }
});
