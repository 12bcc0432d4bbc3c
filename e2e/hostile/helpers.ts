/** Helpers for the app-level hostile-provider suites (the app on :3001, the provider on :4100). */
import { expect, type BrowserContext, type Page, type Response } from '@playwright/test';
import { waitForLogLine, type LogLine } from '../app-log';
import {
  HOSTILE_APP_LOG,
  HOSTILE_APP_URL,
  HOSTILE_ISSUER,
  SCENARIO_COOKIE,
  type OutageMode,
  type Scenario,
} from './scenarios';

export type { LogLine };

/** The first log line of the :3001 app that `match` accepts, waiting a little for it to be written. */
export const logLine = (match: (line: LogLine) => boolean, what: string) =>
  waitForLogLine(HOSTILE_APP_LOG, match, what);

/** Makes the next login of this browser context behave as `scenario` at the hostile provider. */
export async function chooseScenario(context: BrowserContext, scenario: Scenario): Promise<void> {
  await context.addCookies([{ name: SCENARIO_COOKIE, value: scenario, url: HOSTILE_ISSUER }]);
}

/**
 * Starts a login at the :3001 app, as the scenario chooses, and follows every redirect to the
 * end. Returns the final response and how long it took.
 */
export async function hostileLogin(
  context: BrowserContext,
  page: Page,
  scenario: Scenario,
  appUrl = HOSTILE_APP_URL,
): Promise<{ response: Response; ms: number }> {
  await chooseScenario(context, scenario);
  const started = performance.now();
  const response = await page.goto(`${appUrl}/auth/login?returnTo=/dashboard`, { timeout: 20_000 });
  const ms = performance.now() - started;
  expect(response, 'the final response').not.toBeNull();
  return { response: response!, ms };
}

export interface GrantStatus {
  grant: string;
  revoked: boolean;
  outage: OutageMode | null;
  refreshAttempts: number;
  outageAnswers: number;
  refreshes: number;
}

/** Calls a control endpoint of the hostile provider for the grant of `refreshToken`. */
export async function controlGrant(
  endpoint: 'refresh-outage' | 'revoke' | 'grant',
  refreshToken: string,
  query = '',
): Promise<GrantStatus> {
  const response = await fetch(`${HOSTILE_ISSUER}/control/${endpoint}${query}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ refresh_token: refreshToken }),
  });
  expect(response.status, `POST /control/${endpoint}`).toBe(200);
  return (await response.json()) as GrantStatus;
}
