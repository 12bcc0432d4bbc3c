/** The custom header our own pages send to /bff routes (see app/bff/notes/route.ts). */
export const BFF_HEADER = 'x-bff-request';
/** On a BFF answer: the WWW-Authenticate the API sent the server (RFC 6750 §3), for the page to show. */
export const API_CHALLENGE_HEADER = 'x-api-www-authenticate';
