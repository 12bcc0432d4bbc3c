/** What the benches seal and store: a token set the size of the local IdP's. */
export function localSizedTokens(now = Math.floor(Date.now() / 1000)) {
  // An RS256 ID token and access token of about 900 bytes each, a short refresh token.
  const filler = (n: number) => 'x'.repeat(n);
  return {
    sub: 'alice',
    idToken: `eyJ${filler(880)}`,
    accessToken: `eyJ${filler(880)}`,
    accessTokenExpiresAt: now + 300,
    tokensReceivedAt: now,
    scope: 'notes:read notes:write',
    refreshToken: filler(43),
  };
}
