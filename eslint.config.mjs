import nextCoreWebVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    ignores: [
      '.next/**',
      'node_modules/**',
      '.local/**',
      'test-results/**',
      'playwright-report/**',
      'next-env.d.ts',
    ],
  },
  {
    // The roles stay honest: app code never imports the local IdP, the resource server never
    // touches the session or cookies, and the Edge guard imports no Node-only client modules.
    files: ['app/**', 'lib/**', 'middleware.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/idp/*', '@/idp/*'],
              message: 'App code never imports idp/ (development-only authorization server).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['lib/resource-server/**', 'app/api/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'next/headers',
              message: 'The resource server reads only the Authorization header.',
            },
            { name: 'iron-session', message: 'The resource server never reads the session.' },
          ],
          patterns: [
            {
              group: [
                '**/session/*',
                '@/lib/session/*',
                '**/idp/*',
                '@/idp/*',
                '**/client/*',
                '@/lib/client/*',
              ],
              message: 'The resource server never imports the session or the client.',
            },
          ],
        },
      ],
    },
  },
  {
    // Provider profiles are data that both halves read: they import neither half, nor anything else.
    files: ['lib/providers/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '**/client/*',
                '**/session/*',
                '**/resource-server/*',
                '**/doctor/*',
                '**/config*',
                '**/idp/*',
                '@/*',
                'next/*',
                'node:*',
              ],
              message:
                'lib/providers is data: it imports neither the client nor the resource server.',
            },
          ],
        },
      ],
    },
  },
  {
    // The attack lab attacks the app over HTTP, as an attacker would: it never imports what it attacks.
    files: ['lib/lab/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'next/headers',
              message: 'The lab sends requests; it reads no cookie of its own.',
            },
            { name: 'iron-session', message: 'The lab never opens a session.' },
          ],
          patterns: [
            {
              group: [
                '**/client/*',
                '@/lib/client/*',
                '**/session/*',
                '@/lib/session/*',
                '**/resource-server/*',
                '@/lib/resource-server/*',
                '**/idp/*',
                '@/idp/*',
                '**/guard*',
                '@/lib/guard*',
              ],
              message: 'The lab attacks the app over HTTP; it never imports the code it attacks.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['middleware.ts', 'lib/guard.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                '**/client/*',
                '@/lib/client/*',
                '**/session/session',
                '@/lib/session/session',
                '**/idp/*',
              ],
              message: 'The Edge guard uses Web APIs only.',
            },
          ],
        },
      ],
    },
  },
];

export default config;
