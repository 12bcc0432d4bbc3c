/**
 * `npm run doctor`: checks the configured provider (the environment, then .env.local and the
 * other .env files, as `next dev` reads them: lib/env-files.ts) and prints
 * each finding with its fix. Exit code 1 if any check failed.
 *
 *   npm run doctor
 *   npm run doctor -- --token <access token>     check a token as /api would
 *   pbpaste | npm run doctor -- --token -        the same, read from stdin (kept out of shell history)
 */
import '../lib/env-files.ts'; // first, before any module reads process.env
import { runDoctor, summarize, type Finding, type Status } from '../lib/doctor/doctor.ts';

const USAGE = 'Usage: npm run doctor [-- --token <access token> | --token -]';

const color = process.stdout.isTTY === true && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);

const MARKS: Record<Status, { mark: string; color: number }> = {
  ok: { mark: '✔', color: 32 },
  warn: { mark: '!', color: 33 },
  fail: { mark: '✖', color: 31 },
  info: { mark: '·', color: 2 },
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
}

async function tokenArgument(args: string[]): Promise<string | undefined> {
  let token: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg === '--token') {
      token = args[++i];
      if (token === undefined)
        throw new Error('--token needs a value (or - to read it from stdin).');
    } else if (arg.startsWith('--token=')) {
      token = arg.slice('--token='.length);
    } else {
      throw new Error(`Unknown argument "${arg}".`);
    }
  }
  if (token === '-') token = await readStdin();
  if (token !== undefined && !token) throw new Error('The token is empty.');
  return token;
}

function print(finding: Finding): void {
  const { mark, color: code } = MARKS[finding.status];
  console.log(`${paint(code, mark)} ${paint(1, finding.check)}: ${finding.detail}`);
  if (finding.fix) console.log(`    ${paint(36, 'fix:')} ${finding.fix}`);
}

async function main(): Promise<number> {
  let token: string | undefined;
  try {
    token = await tokenArgument(process.argv.slice(2));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return 2;
  }
  console.log(
    paint(1, 'Setup doctor') + ': the configured identity provider, as this app will use it\n',
  );
  const findings = await runDoctor(process.env, { token });
  for (const finding of findings) print(finding);
  const counts = summarize(findings);
  const summary = `${counts.ok} ok, ${counts.warn} warning${counts.warn === 1 ? '' : 's'}, ${counts.fail} failed, ${counts.info} info`;
  console.log(`\n${counts.fail ? paint(31, `✖ ${summary}`) : paint(32, `✔ ${summary}`)}`);
  return counts.fail ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error('The doctor itself failed:', err);
    process.exitCode = 1;
  },
);
