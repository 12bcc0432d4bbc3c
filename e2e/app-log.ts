/**
 * The JSON log lines (lib/log.ts logEvent) of an app instance whose stdout playwright.config.ts
 * writes to a file under test-results/ (the hostile-provider and Glewlwyd instances).
 */
import { expect } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface LogLine {
  time: string;
  event: string;
  [field: string]: unknown;
}

export async function appLog(file: string): Promise<LogLine[]> {
  const absolute = path.resolve(import.meta.dirname, '..', file);
  const text = await readFile(absolute, 'utf8').catch((error: unknown) => {
    throw new Error(
      `cannot read the app's log ${absolute} (started by playwright.config.ts): ${String(error)}`,
    );
  });
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });
}

/** The first line of `file` that `match` accepts, waiting a little for it to be written. */
export async function waitForLogLine(
  file: string,
  match: (line: LogLine) => boolean,
  what: string,
): Promise<LogLine> {
  let found: LogLine | undefined;
  await expect
    .poll(async () => (found = (await appLog(file)).find(match)), {
      message: `a log line: ${what}`,
      timeout: 5_000,
    })
    .toBeDefined();
  return found!;
}
