/** One structured line per security-relevant event. Never pass a token or a cookie here. */
export function logEvent(
  event: string,
  fields: Record<string, string | number | boolean | undefined> = {},
): void {
  console.log(JSON.stringify({ time: new Date().toISOString(), event, ...fields }));
}

/** A short reference shown to the user and logged beside the reason, to find one in the other. */
export function errorReference(): string {
  return crypto.randomUUID().slice(0, 8);
}
