/** Responses shared by the /auth route handlers. */
import type { NextResponse } from 'next/server';
import { providerAnswer, type LoginError } from '@/lib/client/errors';
import { errorReference, logEvent } from '@/lib/log';
import { redirectTo } from '@/lib/origin';
import { errorUrl } from '@/lib/routes';

/** A failed sign-in: log the reason with a reference, and show the friendly error page. */
export function loginFailed(error: LoginError): NextResponse {
  const ref = errorReference();
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  // The provider's HTTP status and OAuth error code, when it answered: what a user needs to fix
  // a misconfigured client (e.g. 401 invalid_client). Never a token or a secret.
  const { status, error: providerError } = providerAnswer(error.cause);
  logEvent('login_failed', { reason: error.reason, ref, cause, status, error: providerError });
  return redirectTo(errorUrl(error.reason, ref));
}
