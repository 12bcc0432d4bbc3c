/**
 * Rows of the attack table (run by ./credentials.test.ts; ./harness.ts runs and checks them):
 * where the credential travels and under which scheme (RFC 6750 §2). No credential, an empty
 * one, two of them (two headers, two in one header, two tokens after one "Bearer"), characters
 * outside b64token, the token in the query string or a form body, a session cookie instead of a
 * token, and other schemes (Basic, Digest, DPoP). The control: the scheme is case-insensitive.
 */
import { bearer } from '../../support/resource-server.ts';
import { accepted, bare, invalidRequest, untouchedIssuer, type Attack } from './harness';

export const credentialAttacks: Attack[] = [
  // --- positive controls --------------------------------------------------------------------
  {
    name: 'the scheme in lower case and two spaces before the token',
    build: async (iss) => {
      const token = await iss.mint();
      return { spec: { headers: [['Authorization', `bearer  ${token}`]] }, secrets: [token] };
    },
    expected: accepted,
  },

  // --- where the credential travels (RFC 6750 §2) --------------------------------------------
  {
    name: 'no credential at all',
    build: async () => ({ spec: {}, secrets: [] }),
    expected: bare('missing_token'),
  },
  {
    name: '"Bearer" and no token',
    build: async () => ({ spec: { headers: [['Authorization', 'Bearer']] }, secrets: [] }),
    expected: invalidRequest('empty_token'),
  },
  {
    name: 'two Authorization headers',
    build: async (iss) => {
      const [a, b] = await Promise.all([iss.mint(), iss.mint({ sub: 'bob' })]);
      return { spec: { headers: [bearer(a), bearer(b)] }, secrets: [a, b] };
    },
    expected: invalidRequest('multiple_credentials'),
  },
  {
    name: '"Bearer a, Bearer b" in one header',
    build: async (iss) => {
      const [a, b] = await Promise.all([iss.mint(), iss.mint({ sub: 'bob' })]);
      return {
        spec: { headers: [['Authorization', `Bearer ${a}, Bearer ${b}`]] },
        secrets: [a, b],
      };
    },
    expected: invalidRequest('multiple_credentials'),
  },
  {
    name: 'two tokens after one "Bearer"',
    build: async (iss) => {
      const [a, b] = await Promise.all([iss.mint(), iss.mint()]);
      return { spec: { headers: [['Authorization', `Bearer ${a} ${b}`]] }, secrets: [a, b] };
    },
    expected: invalidRequest('multiple_credentials'),
  },
  {
    name: 'a token with characters outside b64token',
    build: async (iss) => {
      const token = `${await iss.mint()}"<script>`;
      return { spec: { headers: [['Authorization', `Bearer ${token}`]] }, secrets: [token] };
    },
    expected: invalidRequest('malformed_header'),
  },
  {
    name: 'the token in the query string',
    build: async (iss) => {
      const token = await iss.mint();
      return { spec: { query: `access_token=${token}` }, secrets: [token] };
    },
    expected: invalidRequest('token_in_query'),
    after: untouchedIssuer,
  },
  {
    name: 'the token in the query string beside a valid header',
    build: async (iss) => {
      const token = await iss.mint();
      return {
        spec: { headers: [bearer(token)], query: `x=1&access_token=${token}` },
        secrets: [token],
      };
    },
    expected: invalidRequest('token_in_query'),
  },
  {
    // A GET cannot carry a body, so this row is POST /api/notes.
    name: 'the token in a form body (POST)',
    build: async (iss) => {
      const token = await iss.mint();
      return {
        spec: {
          method: 'POST',
          headers: [['Content-Type', 'application/x-www-form-urlencoded']],
          body: `text=hi&access_token=${token}`,
        },
        secrets: [token],
      };
    },
    expected: invalidRequest('token_in_body'),
  },
  {
    name: 'a session cookie instead of a token',
    build: async () => {
      const cookie = `Fe26.2**${crypto.randomUUID()}${crypto.randomUUID()}`;
      return { spec: { headers: [['Cookie', `__Host-session=${cookie}`]] }, secrets: [cookie] };
    },
    expected: bare('cookie_instead_of_token'),
  },
  {
    name: 'the Basic scheme',
    build: async () => {
      const credentials = Buffer.from(`alice:${crypto.randomUUID()}`).toString('base64');
      return {
        spec: { headers: [['Authorization', `Basic ${credentials}`]] },
        secrets: [credentials],
      };
    },
    expected: bare('other_scheme'),
  },
  {
    // RFC 6750 §3.1: a request with an unsupported authentication method gets no error code.
    name: 'a Digest credential (one credential of another scheme, with commas in its auth-params)',
    build: async () => {
      const digest = `Digest username="alice", realm="api", nonce="${crypto.randomUUID()}", uri="/api/notes"`;
      return { spec: { headers: [['Authorization', digest]] }, secrets: [] };
    },
    expected: bare('other_scheme'),
  },
  {
    name: 'a valid token under the DPoP scheme',
    build: async (iss) => {
      const token = await iss.mint();
      return { spec: { headers: [['Authorization', `DPoP ${token}`]] }, secrets: [token] };
    },
    expected: bare('other_scheme'),
  },
];
