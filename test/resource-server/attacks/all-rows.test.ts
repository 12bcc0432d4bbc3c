/**
 * The attack table as a whole: the rows of every ./*.rows.ts file together (each file runs its
 * own rows in the matching ./*.test.ts). A table that shrank, or two rows with the same name (one
 * would hide the other in the report), fails here.
 */
import { describe, expect, it } from 'vitest';
import { callerAttacks } from './callers.rows';
import { claimAttacks } from './claims.rows';
import { credentialAttacks } from './credentials.rows';
import { TABLE, type Attack } from './harness';
import { signatureAttacks } from './signatures.rows';
import { tokenKindAttacks } from './token-kinds.rows';

const attacks: Attack[] = [
  ...credentialAttacks,
  ...signatureAttacks,
  ...claimAttacks,
  ...callerAttacks,
  ...tokenKindAttacks,
];

describe(TABLE, () => {
  it('has at least 30 rows', () => {
    expect(attacks.length).toBeGreaterThanOrEqual(30);
    expect(new Set(attacks.map((a) => a.name)).size).toBe(attacks.length);
  });
});
