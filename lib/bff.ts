/** The custom header our own pages send to /bff routes (see app/bff/notes/route.ts). */
export const BFF_HEADER = 'x-bff-request';
