// The plan's fingerprint: a stable name for exactly the writes a plan would make, so an admin can approve "this
// plan" and a later run applies it only if it would write the same (approval.ts). Canonical: each write is
// serialised with sorted keys, the lines are sorted (the order of records and of Plek's pages does not matter),
// then hashed with SHA-256. Versions (If-Match) and before-values are left out: they are not writes.
import { createHash } from 'node:crypto';
import type { PlannedStep, StepKind } from '../types';

/** Kinds in the order the fingerprint's readable prefix lists them. */
const KINDS: readonly StepKind[] = ['create', 'adopt', 'update', 'reactivate', 'deactivate', 'groupCreate', 'groupAdd', 'groupRemove', 'manager'];

/** JSON with object keys sorted at every level (arrays keep their order: SCIM values are ordered). */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.keys(value as object)
			.filter((k) => (value as Record<string, unknown>)[k] !== undefined)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
		return `{${entries.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/** What one step writes, without the bookkeeping (version, before-values, display names). */
function writeOf(step: PlannedStep): unknown {
	switch (step.kind) {
		case 'create':
			return { kind: step.kind, key: step.key, user: step.user };
		case 'groupCreate':
			return { kind: step.kind, group: step.displayName.toLowerCase() };
		case 'groupAdd':
		case 'groupRemove':
			return { kind: step.kind, group: step.groupName.toLowerCase(), key: step.key, user: step.userRef };
		case 'manager':
			return { kind: step.kind, key: step.key, user: step.userRef, manager: step.managerKey };
		default:
			return { kind: step.kind, key: step.key, userId: step.userId, operations: step.operations };
	}
}

export function countWrites(steps: readonly PlannedStep[]): Map<StepKind, number> {
	const counts = new Map<StepKind, number>();
	for (const step of steps) counts.set(step.kind, (counts.get(step.kind) ?? 0) + 1);
	return counts;
}

/** Readable counts: `deactivate30.update2` ('nothing' for an empty plan). */
export function countsLabel(counts: ReadonlyMap<StepKind, number>): string {
	const parts = KINDS.filter((k) => (counts.get(k) ?? 0) > 0).map((k) => `${k}${counts.get(k)}`);
	return parts.length > 0 ? parts.join('.') : 'nothing';
}

/** `<counts>-<20 hex digits of SHA-256>`, e.g. `deactivate30.update2-4f1c...`: the same writes give the same fingerprint. */
export function planFingerprint(steps: readonly PlannedStep[]): string {
	const lines = steps.map((s) => canonicalJson(writeOf(s))).sort();
	const hash = createHash('sha256');
	for (const line of lines) hash.update(line).update('\n');
	return `${countsLabel(countWrites(steps))}-${hash.digest('hex').slice(0, 20)}`;
}

/** The counts an approved fingerprint names (its readable prefix), or undefined when it is not one of ours. */
export function parseFingerprintCounts(fingerprint: string): Map<StepKind, number> | undefined {
	const match = /^([A-Za-z0-9.]+)-[0-9a-f]{20}$/.exec(fingerprint.trim());
	if (!match) return undefined;
	const counts = new Map<StepKind, number>();
	if (match[1] === 'nothing') return counts;
	for (const part of match[1].split('.')) {
		const m = /^([A-Za-z]+)(\d+)$/.exec(part);
		if (!m || !KINDS.includes(m[1] as StepKind)) return undefined;
		counts.set(m[1] as StepKind, Number(m[2]));
	}
	return counts;
}
