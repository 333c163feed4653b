// The plan's fingerprint: a stable name for exactly the writes a plan would make, so an admin can approve "this
// plan" and a later run applies it only if it would write the same (approval.ts). Canonical: each write is
// serialised with sorted keys, the lines are sorted (the order of records and of Plek's pages does not matter),
// then hashed with SHA-256. Before-values are left out: they are not writes. The version (meta.version, the ETag, or
// meta.lastModified where Plek gives no version) of each existing account a step writes is in: an approval is for the accounts as they were when it was issued, so once
// its plan is applied (every written account gets a new version) or an account is edited by hand since, the same
// approval no longer matches. That makes an approval single use without any memory, where n8n keeps none: a
// queue-mode worker starts every execution with empty static data (approvals.ts). The spelling of a group the plan
// creates counts (`admins` and `ADMINS` are different plans).
// Bound to the environment (the credential's Plek host) and to the time it was issued: a plan's fingerprint reads
// `deactivate30.update2-20261207T1455Z-4f1c...`, so an approval can expire (approval.ts) and never applies elsewhere.
import { createHash } from 'node:crypto';
import { STEP_KIND_LIST, type PlannedStep, type StepKind } from '../model';

/** Kinds in the order the fingerprint's readable prefix lists them: model.ts's one list. */
const KINDS: readonly StepKind[] = STEP_KIND_LIST;

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

/** What one step writes, and the version of the account it writes to; without before-values or display names. */
function writeOf(step: PlannedStep): unknown {
	switch (step.kind) {
		case 'create':
			return { kind: step.kind, key: step.key, user: step.user };
		case 'groupCreate':
			return { kind: step.kind, group: step.displayName };
		case 'groupAdd':
		case 'groupRemove':
			return { kind: step.kind, group: step.groupName.toLowerCase(), key: step.key, user: step.userRef };
		case 'manager':
			return { kind: step.kind, key: step.key, user: step.userRef, manager: step.managerKey };
		default:
			return { kind: step.kind, key: step.key, userId: step.userId, operations: step.operations, version: step.version ?? step.lastModified };
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

/** What a fingerprint is bound to besides the writes: the Plek environment and the minute it was issued. */
export interface FingerprintBinding {
	/** The credential's Plek host ('' when unknown: tests and direct core use). */
	environment?: string;
	/** `YYYYMMDDTHHMMZ` (issuedStamp). */
	issued?: string;
}

/** The minute an instant falls in, UTC: `20261207T1455Z`. */
export function issuedStamp(ms: number): string {
	return new Date(ms).toISOString().replace(/[-:]/g, '').slice(0, 13) + 'Z';
}

/** The instant an issued stamp names, or undefined. */
export function issuedMs(stamp: string): number | undefined {
	const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z$/.exec(stamp);
	if (!m) return undefined;
	const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
	return issuedStamp(ms) === stamp ? ms : undefined;
}

/** `<counts>-<issued>-<20 hex digits of SHA-256>` (without a binding's issued time: `<counts>-<hex>`): the same
 * writes, environment and minute give the same fingerprint. */
export function planFingerprint(steps: readonly PlannedStep[], binding: FingerprintBinding = {}): string {
	const lines = steps.map((s) => canonicalJson(writeOf(s))).sort();
	const hash = createHash('sha256');
	for (const line of lines) hash.update(line).update('\n');
	// The environment comes normalised (trimmed, lower-case) from approvalContext, the one place that reads it.
	if (binding.environment) hash.update(`environment ${binding.environment}\n`);
	if (binding.issued) hash.update(`issued ${binding.issued}\n`);
	const counts = countsLabel(countWrites(steps));
	return `${counts}-${binding.issued ? `${binding.issued}-` : ''}${hash.digest('hex').slice(0, 20)}`;
}

export interface ParsedFingerprint {
	counts: Map<StepKind, number>;
	/** The issued stamp, when the fingerprint has one (all plans' fingerprints do). */
	issued?: string;
}

/** A fingerprint's parts, or undefined when it is not one of ours. */
export function parseFingerprint(fingerprint: string): ParsedFingerprint | undefined {
	const match = /^([A-Za-z0-9.]+)-(?:(\d{8}T\d{4}Z)-)?[0-9a-f]{20}$/.exec(fingerprint.trim());
	if (!match) return undefined;
	const counts = new Map<StepKind, number>();
	if (match[1] !== 'nothing') {
		for (const part of match[1].split('.')) {
			const m = /^([A-Za-z]+)(\d+)$/.exec(part);
			if (!m || !KINDS.includes(m[1] as StepKind)) return undefined;
			counts.set(m[1] as StepKind, Number(m[2]));
		}
	}
	return match[2] !== undefined ? { counts, issued: match[2] } : { counts };
}

/** The counts an approved fingerprint names (its readable prefix), or undefined when it is not one of ours. */
export function parseFingerprintCounts(fingerprint: string): Map<StepKind, number> | undefined {
	return parseFingerprint(fingerprint)?.counts;
}
